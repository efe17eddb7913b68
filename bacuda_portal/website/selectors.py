"""Reads for the public pages: cheap aggregates and short lists, public content only."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from bacuda_portal.members.models import Administration
from scholarships.models import Call
from workshops import access as workshop_access
from workshops import selectors as workshop_selectors
from workshops.elearning import selectors as elearning_selectors
from workshops.elearning.enums import CourseStage
from workshops.elearning.models import Course
from workshops.enums import WorkshopStatus
from workshops.models import Beneficiary, Workshop

from .models import NewsPost

DELIVERED_STATUSES = (WorkshopStatus.DELIVERED, WorkshopStatus.CLOSED)


def key_figures() -> dict[str, int]:
    """The home page's figures, computed from the portal's own data (five aggregate queries)."""
    delivered = Workshop.objects.filter(status__in=DELIVERED_STATUSES)
    return {
        "wco_members": Administration.objects.members().count(),
        "administrations_reached": Beneficiary.objects.filter(workshop__in=delivered)
        .values("administration_id")
        .distinct()
        .count(),
        "officials_trained": workshop_selectors.officials_trained_count(),
        "workshops_delivered": delivered.count(),
        "published_courses": Course.objects.filter(stage=CourseStage.PUBLISHED).count(),
    }


def public_workshops() -> QuerySet[Workshop]:
    return workshop_access.public_workshops()


def get_public_workshop(pk: int) -> Workshop | None:
    """A public workshop with its agenda, or None (the page then answers 404)."""
    return (
        workshop_access.public_workshops()
        .select_related("region")
        .prefetch_related("sessions", "beneficiary_links__administration")
        .filter(pk=pk)
        .first()
    )


def upcoming_public_workshops(*, today: dt.date | None = None) -> QuerySet[Workshop]:
    """Public workshops that have not ended yet, soonest first."""
    today = today or timezone.localdate()
    return (
        workshop_access.public_workshops()
        .filter(end_date__gte=today)
        .exclude(status__in=DELIVERED_STATUSES)
        .select_related("region")
        .order_by("start_date", "pk")
    )


def past_public_workshops(*, today: dt.date | None = None) -> QuerySet[Workshop]:
    today = today or timezone.localdate()
    return (
        workshop_access.public_workshops()
        .filter(end_date__lt=today)
        .select_related("region")
        .order_by("-start_date", "-pk")
    )


def published_news() -> QuerySet[NewsPost]:
    return NewsPost.objects.published().order_by("-publish_at", "-pk")


def get_published_post(slug: str) -> NewsPost | None:
    return published_news().filter(slug=slug).first()


def published_courses() -> QuerySet[Course]:
    return elearning_selectors.published_courses()


def open_scholarship_calls() -> QuerySet[Call]:
    return Call.objects.open().select_related("programme").order_by("closes_at")
