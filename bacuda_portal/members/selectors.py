"""Reads of the members app, each with the joins its page needs. Callers pass what access allows."""

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from bacuda_portal.core.privacy import ERASED_DOMAIN
from bacuda_portal.core.search import SearchHit, ranked

from .enums import STAFF_ROLES
from .models import Administration, ContactPoint, Invitation, Region, User, hash_invitation_token


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


# --- What other apps read of members (their read contract) ------------------------------------------------------


def region_list() -> QuerySet[Region]:
    """Regions in their display order (the reports' charts and filters)."""
    return Region.objects.order_by("sort_order", "code")


def administration_choices() -> QuerySet[Administration]:
    """Administrations for a choice field, by English name."""
    return Administration.objects.order_by("name_en")


def member_count() -> int:
    """Current WCO Members (administrations not retired)."""
    return Administration.objects.members().count()


def active_staff_emails() -> list[str]:
    """Every active WCO staff member's sign-in address, oldest account first."""
    return list(
        User.objects.filter(is_active=True, role__in=sorted(STAFF_ROLES)).order_by("pk").values_list("email", flat=True)
    )


def administration_or_none(administration_id) -> Administration | None:
    """One administration with its region, or None."""
    if not administration_id:
        return None
    return Administration.objects.select_related("region").filter(pk=administration_id).first()


def administration_by_code_or_name(text: str) -> Administration | None:
    """A current administration by its code (KEN) or its English or French name, as a spreadsheet names it."""
    text = text.strip()
    if not text:
        return None
    return Administration.objects.filter(
        Q(code__iexact=text) | Q(name_en__iexact=text) | Q(name_fr__iexact=text), retired_on__isnull=True
    ).first()


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code).first() if code else None


# --- Search ----------------------------------------------------------------------------------------------
def search_administrations(visible, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible.select_related("region"), ["name_en", "name_fr", "code"], words)
    return [
        SearchHit(
            kind=gettext("Administration"),
            title=administration.name,
            detail=administration.code,
            url=administration.get_absolute_url(),
        )
        for administration in rows[:limit]
    ]


# --- The inbox ------------------------------------------------------------------------------------------------
def inbox_items(user) -> list:
    """Erasure requests staff are to carry out (not their own), as ``core.inbox.InboxItem``s, one query."""
    from django.db.models import Min
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from bacuda_portal.core.inbox import InboxItem, Urgency
    from bacuda_portal.core.privacy_selectors import pending_erasure_requests

    from . import privacy_access

    if not privacy_access.can_see_register(user):
        return []
    pending = (
        pending_erasure_requests().exclude(user=user).order_by().aggregate(n=Count("pk"), oldest=Min("created_at"))
    )
    if not pending["n"]:
        return []
    return [
        InboxItem(
            title=gettext_lazy("Erasure requests to carry out"),
            url=reverse("privacy:register"),
            category=gettext_lazy("Data protection"),
            count=pending["n"],
            date=pending["oldest"],
            urgency=Urgency.HIGH,
        )
    ]


def contact_point_recipients(*, region: Region | None = None, administrations=None) -> QuerySet[dict]:
    """The active contact points of a region's administrations, or of the administrations given, as mail
    recipients (the staff mailings): rows of ``email``, ``name``, ``language`` (the user's preferred one) and
    ``administration_name``. Erased accounts are never recipients."""
    contact_points = ContactPoint.objects.active()
    if region is not None:
        contact_points = contact_points.filter(administration__region=region)
    if administrations is not None:
        contact_points = contact_points.filter(administration__in=administrations)
    return (
        contact_points.exclude(user__email__iendswith="@" + ERASED_DOMAIN)
        .annotate(
            email=F("user__email"),
            name=F("user__full_name"),
            language=F("user__preferred_language"),
            administration_name=F("administration__name_en"),
        )
        .order_by("administration__name_en", "user__full_name", "pk")
        .values("email", "name", "language", "administration_name")
    )


def active_staff() -> QuerySet[User]:
    """Every active WCO staff account (the recipients of the staff notifications), oldest first."""
    return User.objects.filter(is_active=True, role__in=sorted(STAFF_ROLES)).order_by("pk")


def active_contact_point_users(administration_ids) -> QuerySet[User]:
    """The accounts of the active contact points of these administrations (each person once)."""
    user_ids = ContactPoint.objects.active().filter(administration_id__in=list(administration_ids)).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def all_active_contact_point_users() -> QuerySet[User]:
    user_ids = ContactPoint.objects.active().values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def users_by_ids(ids) -> QuerySet[User]:
    return User.objects.filter(pk__in=list(ids), is_active=True)
