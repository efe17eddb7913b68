"""Reads of the e-learning app, each with the joins its page needs. Callers pass what access allows."""

from datetime import date

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from bacuda_portal.core.search import SearchHit, ranked

from .enums import CourseStage
from .models import ChecklistItem, Course, Milestone, StageChange


def course_list(
    *,
    visible: QuerySet[Course],
    search: str = "",
    stage: str = "",
    language: str = "",
    overdue_only: bool = False,
    today: date | None = None,
) -> QuerySet[Course]:
    """The course list, its CSV export and the API list: searchable by code or title, filterable.

    Each course carries ``overdue_milestone_count``, ``next_due_date`` (earliest open milestone),
    ``checklist_done`` and ``checklist_total``; its experts are prefetched.
    """
    today = today or timezone.localdate()
    queryset = (
        visible.select_related("owner", "vendor")
        .prefetch_related("experts")
        .annotate(
            overdue_milestone_count=Count(
                "milestones",
                filter=Q(milestones__done_on__isnull=True, milestones__due_date__lt=today),
                distinct=True,
            ),
            next_due_date=Min("milestones__due_date", filter=Q(milestones__done_on__isnull=True)),
            checklist_done=Count("checklist", filter=Q(checklist__done=True), distinct=True),
            checklist_total=Count("checklist", distinct=True),
        )
    )
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search) | Q(title_en__icontains=search) | Q(title_fr__icontains=search)
        )
    if stage:
        queryset = queryset.filter(stage=stage)
    if language:
        queryset = offered_in(queryset, language)
    if overdue_only:
        queryset = queryset.filter(overdue_milestone_count__gt=0)
    return queryset.order_by("code")


def offered_in(queryset: QuerySet[Course], language: str) -> QuerySet[Course]:
    """Courses whose languages include ``language`` (a ``CourseLanguage`` code)."""
    # The codes are a fixed set of two-letter strings stored as a JSON list, so the quoted code occurs in the
    # JSON text exactly when it is in the list; ``contains`` on a JSON list is not available on SQLite.
    return queryset.filter(languages__icontains=f'"{language}"')


def course_detail(course: Course) -> Course:
    """The course page: milestones, checklist (with who ticked), history (with who moved) and experts.

    Takes the course the access layer returned and attaches the related rows in one query each.
    """
    return (
        Course.objects.select_related("owner", "vendor")
        .prefetch_related(
            "experts",
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
            Prefetch("checklist", queryset=ChecklistItem.objects.select_related("done_by")),
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
        )
        .get(pk=course.pk)
    )


def overdue_milestones(*, visible: QuerySet[Course], today: date | None = None) -> QuerySet[Milestone]:
    """Open milestones past their due date across all courses the user may see, oldest first (staff dashboard)."""
    return (
        Milestone.objects.overdue(today)
        .filter(course__in=visible)
        .select_related("course__owner")
        .order_by("due_date", "course__code", "id")
    )


def published_courses() -> QuerySet[Course]:
    """Courses live on CLiKC!, newest first, for the public catalogue. Public by nature: no access filter."""
    return Course.objects.filter(stage=CourseStage.PUBLISHED).order_by("-published_at", "code")


def courses_published_between(period_start: date, period_end: date) -> QuerySet[Course]:
    """Courses published on CLiKC! in the period, in order of publication."""
    return Course.objects.filter(
        stage=CourseStage.PUBLISHED, published_at__date__gte=period_start, published_at__date__lte=period_end
    ).order_by("published_at", "code")


def course_count_by_stage() -> list[tuple[str, int]]:
    """``(stage label, number of courses)`` for every stage, in the stages' order."""
    counts = dict(Course.objects.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return [(label, counts.get(value, 0)) for value, label in CourseStage.choices]


# --- Search ----------------------------------------------------------------------------------------------
def search_courses(visible, words: list[str], *, limit: int) -> list[SearchHit]:
    rows = ranked(visible, ["title_en", "title_fr", "code"], words)
    return [
        SearchHit(kind=gettext("Course"), title=course.title, detail=course.code, url=course.get_absolute_url())
        for course in rows[:limit]
    ]


# --- The inbox ------------------------------------------------------------------------------------------------
INBOX_ROWS = 8


def inbox_items(user, *, today: date) -> list:
    """Overdue production milestones of the courses ``user`` manages (staff), as ``core.inbox.InboxItem``s."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from bacuda_portal.core.bilingual import row_in_reader_language
    from bacuda_portal.core.inbox import DUE, InboxItem, Urgency

    from . import access

    if not access.can_manage_courses(user):
        return []
    overdue = overdue_milestones(visible=access.courses_visible_to(user), today=today).select_related(None)
    return [
        InboxItem(
            title=_("An overdue e-learning milestone"),
            detail=f"{row['course__code']} · {row_in_reader_language(row, 'title')}",
            url=reverse("elearning:course_detail", kwargs={"code": row["course__code"]}),
            category=_("E-learning"),
            date=row["due_date"],
            date_kind=DUE,
            urgency=Urgency.HIGH,
        )
        for row in overdue.values("course__code", "title", "title_fr", "due_date")[:INBOX_ROWS]
    ]
