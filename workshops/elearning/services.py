"""Every write and state change of the e-learning app: one function each, in a transaction, audited."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from .enums import CourseLanguage, CourseStage, LaunchCheck, earlier_stages, next_stage
from .models import ChecklistItem, Course, Milestone, StageChange, Vendor

# What the edit form may change. The code is fixed once created (it is in every address of the course); the
# stage, the publication date and the version change only through the functions below.
EDITABLE_COURSE_FIELDS = frozenset(
    {
        "title_en",
        "title_fr",
        "summary_en",
        "summary_fr",
        "languages",
        "clikc_url",
        "vendor",
        "owner",
        "planned_launch_on",
        "experts",
    }
)


def _ordered_languages(languages: Iterable[str]) -> list[str]:
    """Stored in the order of ``CourseLanguage``, so that equal choices compare and display alike."""
    chosen = list(languages)
    known = [code for code in CourseLanguage.values if code in chosen]
    # Unknown codes are kept, so that validation names them instead of dropping them silently.
    return known + [code for code in chosen if code not in CourseLanguage.values]


# --- Courses -------------------------------------------------------------------------------------------
@transaction.atomic
def course_create(
    *,
    by: User,
    code: str,
    title_en: str,
    languages: Iterable[str],
    owner: User | None = None,
    title_fr: str = "",
    summary_en: str = "",
    summary_fr: str = "",
    clikc_url: str = "",
    vendor: Vendor | None = None,
    planned_launch_on: date | None = None,
    experts: Iterable[Any] = (),
) -> Course:
    """Create a course in the concept stage, owned by ``owner`` (``by`` when not given).

    Side effects: the default launch checklist (every ``LaunchCheck``, not done); the first entry of the
    stage history (created in concept); audit record.
    """
    course = Course(
        code=code,
        title_en=title_en,
        title_fr=title_fr,
        summary_en=summary_en,
        summary_fr=summary_fr,
        languages=_ordered_languages(languages),
        clikc_url=clikc_url,
        vendor=vendor,
        owner=owner or by,
        planned_launch_on=planned_launch_on,
    )
    course.full_clean()
    course.save()
    course.experts.set(experts)
    # Labels are stored in English for exports and the admin; pages show the standard items translated.
    with translation.override("en"):
        ChecklistItem.objects.bulk_create(
            ChecklistItem(course=course, key=check.value, label=str(check.label), position=position)
            for position, check in enumerate(LaunchCheck, start=1)
        )
    StageChange.objects.create(course=course, from_stage="", to_stage=course.stage, changed_by=by)
    audit_record(actor=by, action="elearning.course.created", target=course)
    return course


@transaction.atomic
def course_update(*, course: Course, by: User, expected_version: int, **changes: Any) -> Course:
    """Change a course's description, languages, people, dates or CLiKC! address (``EDITABLE_COURSE_FIELDS``).

    ``expected_version`` is the version the editor started from: if someone else saved the course meanwhile,
    nothing is saved and TransitionError says so (optimistic locking). Side effects: the version goes up;
    audit record naming the changed fields. Returns the course as saved.
    """
    unexpected = set(changes) - EDITABLE_COURSE_FIELDS
    if unexpected:
        raise TypeError(f"course_update cannot change {', '.join(sorted(unexpected))}")
    # Compare-and-set in one statement: safe on every database, with or without row locks.
    claimed = Course.objects.filter(pk=course.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not claimed:
        raise TransitionError(
            _(
                "Someone else changed this course while you were editing it. Your changes were not saved: "
                "open the course again to see the current version."
            )
        )
    saved = Course.objects.get(pk=course.pk)
    experts = changes.pop("experts", None)
    if "languages" in changes:
        changes["languages"] = _ordered_languages(changes["languages"])
    changed = sorted(field for field, value in changes.items() if getattr(saved, field) != value)
    for field, value in changes.items():
        setattr(saved, field, value)
    saved.full_clean()
    saved.save()
    if experts is not None:
        before = set(saved.experts.values_list("pk", flat=True))
        saved.experts.set(experts)
        if before != set(saved.experts.values_list("pk", flat=True)):
            changed.append("experts")
    audit_record(actor=by, action="elearning.course.updated", target=saved, fields=changed)
    return saved


def _move(*, course: Course, to_stage: str, by: User, note: str, action: str) -> Course:
    """Write the stage change, refusing if the course moved since ``course`` was read (a second click)."""
    from_stage = course.stage
    published_at = timezone.now() if to_stage == CourseStage.PUBLISHED else None
    moved = Course.objects.filter(pk=course.pk, stage=from_stage).update(
        stage=to_stage, published_at=published_at, version=F("version") + 1, updated_at=timezone.now()
    )
    if not moved:
        raise TransitionError(_("This course was moved to another stage meanwhile. Reload the page and try again."))
    course.refresh_from_db(fields=["stage", "published_at", "version", "updated_at"])
    StageChange.objects.create(course=course, from_stage=from_stage, to_stage=to_stage, changed_by=by, note=note)
    audit_record(actor=by, action=action, target=course, from_stage=from_stage, to_stage=to_stage, note=note)
    return course


@transaction.atomic
def course_advance(*, course: Course, by: User, note: str = "") -> Course:
    """Move a course to the next stage: concept → storyboard → development → review → pilot.

    Pilot → published is ``course_publish``, which has the launch gate. Side effects: an entry in the stage
    history (with the optional note); the version goes up; audit record.
    """
    if course.stage == CourseStage.PUBLISHED:
        raise TransitionError(_("This course is already published."))
    if course.stage == CourseStage.PILOT:
        raise TransitionError(
            _("A course in pilot moves on by being published on CLiKC!, once its launch checklist is complete.")
        )
    return _move(
        course=course, to_stage=next_stage(course.stage), by=by, note=note.strip(), action="elearning.course.advanced"
    )


@transaction.atomic
def course_send_back(*, course: Course, to_stage: str, by: User, note: str) -> Course:
    """Return a course to an earlier stage, typically review → development when the review asks for changes.

    ``note`` (why it goes back) is required. A published course is never sent back. Side effects: an entry in
    the stage history; the version goes up; audit record. Milestones and checklist ticks stay as they are.
    """
    if course.stage == CourseStage.PUBLISHED:
        raise TransitionError(_("A published course cannot be sent back to an earlier stage."))
    if to_stage not in earlier_stages(course.stage):
        raise TransitionError(
            _("A course in %(stage)s can only be sent back to an earlier stage.")
            % {"stage": CourseStage(course.stage).label}
        )
    if not note.strip():
        raise TransitionError(_("Say why the course is sent back: the note is required."))
    return _move(course=course, to_stage=to_stage, by=by, note=note.strip(), action="elearning.course.sent_back")


def publication_blockers(course: Course) -> list[str]:
    """What still stands between a course in pilot and its publication; empty when it may be published."""
    blockers = []
    if not course.clikc_url:
        blockers.append(_("Add the course's CLiKC! address before publishing it."))
    open_items = [item.display_label for item in course.checklist.all() if not item.done]
    if open_items:
        blockers.append(
            _("Complete the launch checklist first; still open: %(items)s.") % {"items": ", ".join(open_items)}
        )
    return blockers


@transaction.atomic
def course_publish(*, course: Course, by: User) -> Course:
    """Pilot → published on CLiKC!.

    Refused (TransitionError naming what is missing) unless the course has its CLiKC! address and every item
    of its launch checklist is done. Side effects: ``published_at`` is set, which puts the course in the public
    catalogue (``selectors.published_courses``); an entry in the stage history; the version goes up; audit
    record.
    """
    if course.stage == CourseStage.PUBLISHED:
        raise TransitionError(_("This course is already published."))
    if course.stage != CourseStage.PILOT:
        raise TransitionError(_("Only a course in pilot can be published."))
    blockers = publication_blockers(course)
    if blockers:
        raise TransitionError(" ".join(blockers))
    return _move(course=course, to_stage=CourseStage.PUBLISHED, by=by, note="", action="elearning.course.published")


# --- Launch checklist ----------------------------------------------------------------------------------
@transaction.atomic
def checklist_item_set_done(*, item: ChecklistItem, done: bool, by: User) -> ChecklistItem:
    """Tick (or untick) one item of a course's launch checklist.

    Side effects: who ticked it and when are recorded (and cleared on untick); audit record. A repeated tick
    changes nothing. Refused once the course is published: its checklist is the record of the launch.
    """
    if item.course.stage == CourseStage.PUBLISHED:
        raise TransitionError(_("The launch checklist of a published course cannot be changed."))
    if item.done == done:
        return item
    item.done = done
    item.done_by = by if done else None
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done", "done_by", "done_at"])
    audit_record(
        actor=by,
        action="elearning.checklist_item.done" if done else "elearning.checklist_item.reopened",
        target=item.course,
        item=item.label,
    )
    return item


# --- Milestones ----------------------------------------------------------------------------------------
@transaction.atomic
def milestone_create(
    *, course: Course, by: User, title: str, due_date: date, done_on: date | None = None, title_fr: str = ""
) -> Milestone:
    """Add a milestone to a course. A due date in the past is allowed (a course recorded late); a completion
    date in the future is not. Side effects: audit record."""
    milestone = Milestone(
        course=course, title=title.strip(), title_fr=title_fr.strip(), due_date=due_date, done_on=done_on
    )
    milestone.full_clean()
    milestone.save()
    audit_record(actor=by, action="elearning.milestone.created", target=course, milestone=milestone.title)
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, by: User, title: str, due_date: date, done_on: date | None, title_fr: str = ""
) -> Milestone:
    """Change a milestone's titles, due date or completion date. Side effects: audit record."""
    milestone.title = title.strip()
    milestone.title_fr = title_fr.strip()
    milestone.due_date = due_date
    milestone.done_on = done_on
    milestone.full_clean()
    milestone.save(update_fields=["title", "title_fr", "due_date", "done_on", "updated_at"])
    audit_record(actor=by, action="elearning.milestone.updated", target=milestone.course, milestone=milestone.title)
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, by: User, on: date | None = None) -> Milestone:
    """Open → done on ``on`` (today by default). Side effects: the milestone stops being overdue; audit record."""
    if milestone.done_on is not None:
        raise TransitionError(_("This milestone is already done."))
    milestone.done_on = on or timezone.localdate()
    milestone.full_clean()
    milestone.save(update_fields=["done_on", "updated_at"])
    audit_record(actor=by, action="elearning.milestone.completed", target=milestone.course, milestone=milestone.title)
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by: User) -> None:
    """Side effects: audit record (on the course, which remains)."""
    audit_record(actor=by, action="elearning.milestone.deleted", target=milestone.course, milestone=milestone.title)
    milestone.delete()
