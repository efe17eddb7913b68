"""Reads of the members app, each with the joins its page needs. Callers pass what access allows."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Administration, ContactPoint, Invitation, Region, hash_invitation_token


def regions() -> QuerySet[Region]:
    return Region.objects.annotate(
        member_count=Count("administrations", filter=Q(administrations__retired_on__isnull=True))
    )


def administration_list(
    *, visible: QuerySet[Administration], search: str = "", region: str = "", kind: str = "", status: str = ""
) -> QuerySet[Administration]:
    """The administrations page and its CSV export: searchable by name or code, filterable."""
    today = timezone.localdate()
    active_contact_points = Q(contact_points__active_from__lte=today) & (
        Q(contact_points__active_to__isnull=True) | Q(contact_points__active_to__gte=today)
    )
    queryset = visible.select_related("region").annotate(
        contact_point_count=Count("contact_points", filter=active_contact_points, distinct=True)
    )
    if search:
        queryset = queryset.filter(
            Q(name_en__icontains=search)
            | Q(name_fr__icontains=search)
            | Q(code__iexact=search)
            | Q(iso_alpha2__iexact=search)
        )
    if region:
        queryset = queryset.filter(region__code=region)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status == "current":
        queryset = queryset.filter(retired_on__isnull=True)
    elif status == "retired":
        queryset = queryset.filter(retired_on__isnull=False)
    return queryset.order_by("name_en")


def active_contact_points_of(administration: Administration) -> QuerySet[ContactPoint]:
    return ContactPoint.objects.active().filter(administration=administration).select_related("user")


def pending_invitations_of(administration: Administration) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        administration=administration,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).select_related("invited_by")


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("administration__region")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )
