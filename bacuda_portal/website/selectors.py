"""Reads for the public pages: cheap aggregates and short lists, public content only."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from bacuda_portal.core.search import SearchHit, ranked
from bacuda_portal.members import selectors as member_selectors
from scholarships import selectors as scholarship_selectors
from workshops import access as workshop_access
from workshops import selectors as workshop_selectors
from workshops.elearning import selectors as elearning_selectors
from workshops.enums import DELIVERED_WORKSHOP_STATUSES

from .models import NewsPost


def key_figures() -> dict[str, int]:
    """The home page's figures, computed from the portal's own data (five aggregate queries)."""
    return {
        "wco_members": member_selectors.member_count(),
        "administrations_reached": workshop_selectors.beneficiaries_served()
        .values("administration_id")
        .distinct()
        .count(),
        "officials_trained": workshop_selectors.officials_trained_count(),
        "workshops_delivered": workshop_selectors.delivered_workshops().count(),
        "published_courses": elearning_selectors.published_courses().count(),
    }


def public_workshops() -> QuerySet:
    return workshop_access.public_workshops()


def get_public_workshop(pk: int):
    """A public workshop with its agenda, or None (the page then answers 404)."""
    return (
        workshop_access.public_workshops()
        .select_related("region")
        .prefetch_related("sessions", "beneficiary_links__administration")
        .filter(pk=pk)
        .first()
    )


def upcoming_public_workshops(*, today: dt.date | None = None) -> QuerySet:
    """Public workshops that have not ended yet, soonest first."""
    today = today or timezone.localdate()
    return (
        workshop_access.public_workshops()
        .filter(end_date__gte=today)
        .exclude(status__in=DELIVERED_WORKSHOP_STATUSES)
        .select_related("region")
        .order_by("start_date", "pk")
    )


def past_public_workshops(*, today: dt.date | None = None) -> QuerySet:
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


def published_courses() -> QuerySet:
    return elearning_selectors.published_courses()


def open_scholarship_calls() -> QuerySet:
    return scholarship_selectors.calls_open_now()


# --- Search ----------------------------------------------------------------------------------------------
def search_news(words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(NewsPost.objects.published(), ["title_en", "title_fr", "body_en", "body_fr"], words)
    return [
        SearchHit(kind=gettext("News"), title=post.title, detail="", url=post.get_absolute_url())
        for post in rows[:limit]
    ]


def news_posts_for_editing(*, search: str = "", state: str = "", now=None) -> QuerySet[NewsPost]:
    """Every news post for the staff list, drafts and scheduled ones included, newest first, with its author."""
    now = now or timezone.now()
    posts = NewsPost.objects.select_related("author")
    if search:
        posts = posts.filter(
            Q(slug__icontains=search)
            | Q(title_en__icontains=search)
            | Q(title_fr__icontains=search)
            | Q(summary_en__icontains=search)
            | Q(summary_fr__icontains=search)
        )
    if state == "draft":
        posts = posts.filter(publish_at__isnull=True)
    elif state == "scheduled":
        posts = posts.filter(publish_at__gt=now)
    elif state == "published":
        posts = posts.filter(publish_at__lte=now)
    return posts.order_by("-publish_at", "-created_at", "-pk")
