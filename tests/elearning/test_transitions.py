"""The stage pipeline: every transition, allowed and refused, with its history entry, audit record and message."""

import re

import pytest
from django.urls import reverse

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from workshops.elearning import selectors, services
from workshops.elearning.enums import CourseStage
from workshops.elearning.models import Course, StageChange

from .conftest import CLIKC_URL, tick_whole_checklist
from .factories import CourseFactory


def _history(course):
    return list(StageChange.objects.filter(course=course).values_list("from_stage", "to_stage", "note"))


# --- Advance ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [
        (CourseStage.CONCEPT, CourseStage.STORYBOARD),
        (CourseStage.STORYBOARD, CourseStage.DEVELOPMENT),
        (CourseStage.DEVELOPMENT, CourseStage.REVIEW),
        (CourseStage.REVIEW, CourseStage.PILOT),
    ],
)
def test_advance_moves_to_the_next_stage(staff, from_stage, to_stage):
    course = CourseFactory(stage=from_stage)
    version = course.version
    services.course_advance(course=course, by=staff, note="Storyboard approved by the SMEs")
    course.refresh_from_db()
    assert course.stage == to_stage
    assert course.version == version + 1
    assert course.published_at is None
    last = StageChange.objects.filter(course=course).last()
    assert (last.from_stage, last.to_stage, last.changed_by, last.note) == (
        from_stage,
        to_stage,
        staff,
        "Storyboard approved by the SMEs",
    )
    entry = AuditEntry.objects.get(action="elearning.course.advanced")
    assert entry.actor == staff
    assert entry.target_id == str(course.pk)
    assert entry.data["from_stage"] == from_stage and entry.data["to_stage"] == to_stage


def test_a_new_course_starts_its_history_in_concept(staff):
    course = CourseFactory(owner=staff)
    assert course.stage == CourseStage.CONCEPT
    assert _history(course) == [("", CourseStage.CONCEPT, "")]
    assert AuditEntry.objects.filter(action="elearning.course.created", target_id=str(course.pk)).exists()


def test_the_whole_pipeline_is_recorded_in_order(staff):
    course = CourseFactory()
    for _step in range(4):
        services.course_advance(course=course, by=staff)
    course.clikc_url = CLIKC_URL
    course.save()
    tick_whole_checklist(course)
    services.course_publish(course=course, by=staff)
    assert [to_stage for _from, to_stage, _note in _history(course)] == list(CourseStage.values)


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        (CourseStage.PILOT, "A course in pilot moves on by being published on CLiKC!"),
        (CourseStage.PUBLISHED, "This course is already published."),
    ],
)
def test_advance_is_refused_at_the_end_of_the_pipeline(staff, stage, message):
    course = CourseFactory(stage=stage, clikc_url=CLIKC_URL)
    with pytest.raises(TransitionError, match=re.escape(message)):
        services.course_advance(course=course, by=staff)
    course.refresh_from_db()
    assert course.stage == stage
    assert not AuditEntry.objects.filter(action="elearning.course.advanced").exists()


def test_a_second_click_on_a_stale_page_is_refused(staff):
    course = CourseFactory(stage=CourseStage.DEVELOPMENT)
    stale_copy = Course.objects.get(pk=course.pk)
    services.course_advance(course=course, by=staff)
    with pytest.raises(TransitionError, match="moved to another stage meanwhile"):
        services.course_advance(course=stale_copy, by=staff)
    course.refresh_from_db()
    assert course.stage == CourseStage.REVIEW  # not skipped on to pilot


# --- Send back -------------------------------------------------------------------------------------------
def test_review_sends_the_course_back_to_development(staff, course):
    services.course_send_back(
        course=course, to_stage=CourseStage.DEVELOPMENT, by=staff, note="  Quiz answers are wrong in module 3.  "
    )
    course.refresh_from_db()
    assert course.stage == CourseStage.DEVELOPMENT
    assert _history(course)[-1] == (CourseStage.REVIEW, CourseStage.DEVELOPMENT, "Quiz answers are wrong in module 3.")
    entry = AuditEntry.objects.get(action="elearning.course.sent_back")
    assert entry.actor == staff
    assert entry.data["note"] == "Quiz answers are wrong in module 3."


def test_pilot_can_go_back_more_than_one_stage(staff, pilot_course):
    services.course_send_back(course=pilot_course, to_stage=CourseStage.STORYBOARD, by=staff, note="Restructure")
    pilot_course.refresh_from_db()
    assert pilot_course.stage == CourseStage.STORYBOARD


@pytest.mark.parametrize(
    ("stage", "to_stage", "note", "message"),
    [
        (CourseStage.REVIEW, CourseStage.PILOT, "why", "A course in Review can only be sent back to an earlier stage."),
        (
            CourseStage.REVIEW,
            CourseStage.REVIEW,
            "why",
            "A course in Review can only be sent back to an earlier stage.",
        ),
        (CourseStage.CONCEPT, CourseStage.CONCEPT, "why", "A course in Concept can only be sent back"),
        (CourseStage.REVIEW, "nonsense", "why", "can only be sent back to an earlier stage"),
        (CourseStage.PUBLISHED, CourseStage.PILOT, "why", "A published course cannot be sent back"),
        (CourseStage.REVIEW, CourseStage.DEVELOPMENT, "   ", "Say why the course is sent back: the note is required."),
    ],
)
def test_send_back_refusals(staff, stage, to_stage, note, message):
    course = CourseFactory(stage=stage, clikc_url=CLIKC_URL)
    with pytest.raises(TransitionError, match=re.escape(message)):
        services.course_send_back(course=course, to_stage=to_stage, by=staff, note=note)
    course.refresh_from_db()
    assert course.stage == stage
    assert len(_history(course)) == 1  # only the creation


# --- Publish ---------------------------------------------------------------------------------------------
def test_publish_puts_the_course_live(staff, pilot_course):
    services.course_publish(course=pilot_course, by=staff)
    pilot_course.refresh_from_db()
    assert pilot_course.stage == CourseStage.PUBLISHED
    assert pilot_course.published_at is not None
    assert _history(pilot_course)[-1][:2] == (CourseStage.PILOT, CourseStage.PUBLISHED)
    assert AuditEntry.objects.filter(action="elearning.course.published", actor=staff).exists()
    assert list(selectors.published_courses()) == [pilot_course]


def test_publish_is_refused_while_the_checklist_is_open(staff, pilot_course):
    pilot_course.checklist.filter(key__in=["quiz", "sme_sign_off"]).update(done=False, done_at=None)
    with pytest.raises(TransitionError) as refusal:
        services.course_publish(course=pilot_course, by=staff)
    assert str(refusal.value) == (
        "Complete the launch checklist first; still open: Quiz tested, Subject-matter expert sign-off."
    )
    pilot_course.refresh_from_db()
    assert pilot_course.stage == CourseStage.PILOT
    assert pilot_course.published_at is None
    assert not selectors.published_courses().exists()


def test_publish_is_refused_without_the_clikc_address(staff):
    course = CourseFactory(stage=CourseStage.PILOT)
    tick_whole_checklist(course)
    with pytest.raises(TransitionError, match=r"^Add the course's CLiKC! address before publishing it\.$"):
        services.course_publish(course=course, by=staff)


def test_publish_refusal_names_every_missing_piece(staff):
    course = CourseFactory(stage=CourseStage.PILOT)
    with pytest.raises(TransitionError) as refusal:
        services.course_publish(course=course, by=staff)
    message = str(refusal.value)
    assert "CLiKC! address" in message
    for label in ("Accessibility checked", "French version reviewed", "Pilot feedback addressed"):
        assert label in message


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        (CourseStage.REVIEW, "Only a course in pilot can be published."),
        (CourseStage.CONCEPT, "Only a course in pilot can be published."),
        (CourseStage.PUBLISHED, "This course is already published."),
    ],
)
def test_publish_is_refused_outside_pilot(staff, stage, message):
    course = CourseFactory(stage=stage, clikc_url=CLIKC_URL)
    tick_whole_checklist(course)
    with pytest.raises(TransitionError, match=re.escape(message)):
        services.course_publish(course=course, by=staff)


# --- Launch checklist ------------------------------------------------------------------------------------
def test_every_new_course_has_the_default_launch_checklist(staff):
    course = CourseFactory()
    assert [item.display_label for item in course.checklist.all()] == [
        "Accessibility checked",
        "French version reviewed",
        "Quiz tested",
        "Certificate configured on CLiKC!",
        "Subject-matter expert sign-off",
        "Pilot feedback addressed",
    ]
    assert not course.checklist.filter(done=True).exists()


def test_ticking_records_who_and_when_and_unticking_clears_it(staff, course):
    item = course.checklist.get(key="accessibility")
    services.checklist_item_set_done(item=item, done=True, by=staff)
    item.refresh_from_db()
    assert item.done and item.done_by == staff and item.done_at is not None
    services.checklist_item_set_done(item=item, done=False, by=staff)
    item.refresh_from_db()
    assert not item.done and item.done_by is None and item.done_at is None
    assert [entry.action for entry in AuditEntry.objects.filter(action__startswith="elearning.checklist")] == [
        "elearning.checklist_item.reopened",
        "elearning.checklist_item.done",
    ]


def test_the_checklist_of_a_published_course_is_frozen(staff, pilot_course):
    services.course_publish(course=pilot_course, by=staff)
    item = pilot_course.checklist.first()
    frozen = "The launch checklist of a published course cannot be changed."
    with pytest.raises(TransitionError, match=re.escape(frozen)):
        services.checklist_item_set_done(item=item, done=False, by=staff)


# --- Through the pages -----------------------------------------------------------------------------------
def test_advance_button(client_as, staff, course):
    response = client_as(staff).post(
        reverse("elearning:course_advance", args=[course.code]), {"note": "Reviewers agree"}, follow=True
    )
    assert "The course is now in the Pilot stage." in response.content.decode()
    course.refresh_from_db()
    assert course.stage == CourseStage.PILOT
    assert _history(course)[-1][2] == "Reviewers agree"


def test_advance_button_shows_the_refusal(client_as, staff, pilot_course):
    response = client_as(staff).post(reverse("elearning:course_advance", args=[pilot_course.code]), follow=True)
    assert response.redirect_chain[-1][0] == pilot_course.get_absolute_url()
    assert "A course in pilot moves on by being published on CLiKC!" in response.content.decode()


def test_send_back_button(client_as, staff, course):
    response = client_as(staff).post(
        reverse("elearning:course_send_back", args=[course.code]),
        {"to_stage": "development", "note": "Fix the glossary"},
        follow=True,
    )
    assert "The course was sent back to the Development stage." in response.content.decode()
    course.refresh_from_db()
    assert course.stage == CourseStage.DEVELOPMENT


def test_send_back_button_without_a_note_is_refused_with_the_reason(client_as, staff, course):
    response = client_as(staff).post(
        reverse("elearning:course_send_back", args=[course.code]), {"to_stage": "development"}, follow=True
    )
    assert "Say why the course is sent back: the note is required." in response.content.decode()
    course.refresh_from_db()
    assert course.stage == CourseStage.REVIEW


def test_publish_button_refused_then_accepted(client_as, staff):
    course = CourseFactory(stage=CourseStage.PILOT, clikc_url=CLIKC_URL)
    client = client_as(staff)
    url = reverse("elearning:course_publish", args=[course.code])
    content = client.post(url, follow=True).content.decode()
    assert "Complete the launch checklist first; still open:" in content
    tick_whole_checklist(course)
    content = client.post(url, follow=True).content.decode()
    assert "The course is published on CLiKC!." in content
    course.refresh_from_db()
    assert course.stage == CourseStage.PUBLISHED


def test_transition_buttons_refuse_get(client_as, staff, course):
    client = client_as(staff)
    for name in ("course_advance", "course_send_back", "course_publish"):
        assert client.get(reverse(f"elearning:{name}", args=[course.code])).status_code == 405
