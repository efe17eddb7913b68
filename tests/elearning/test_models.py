"""Invariants of the courses, milestones and checklist: overdue flags, validation and database constraints."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from workshops.elearning import selectors
from workshops.elearning.enums import CourseStage
from workshops.elearning.models import ChecklistItem, Course, Milestone
from workshops.elearning.validators import validate_clikc_url, validate_course_languages

from .conftest import CLIKC_URL
from .factories import CourseFactory, MilestoneFactory

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("due_in_days", "done_days_ago", "overdue"),
    [
        (-1, None, True),  # due yesterday, open
        (-30, None, True),
        (0, None, False),  # due today: not late yet
        (1, None, False),
        (-7, 1, False),  # late, but done since
        (-7, 0, False),
    ],
)
def test_milestone_overdue_flag(db, due_in_days, done_days_ago, overdue):
    milestone = MilestoneFactory(
        due_date=TODAY + timedelta(days=due_in_days),
        done_on=None if done_days_ago is None else TODAY - timedelta(days=done_days_ago),
    )
    assert milestone.is_overdue is overdue
    assert Milestone.objects.overdue().filter(pk=milestone.pk).exists() is overdue


def test_overdue_is_computed_against_the_given_day(db):
    milestone = MilestoneFactory(due_date=TODAY + timedelta(days=10))
    assert not Milestone.objects.overdue().filter(pk=milestone.pk).exists()
    assert Milestone.objects.overdue(on=TODAY + timedelta(days=11)).filter(pk=milestone.pk).exists()


def test_overdue_milestones_across_courses_for_the_dashboard(staff, django_assert_num_queries):
    first, second = CourseFactory(code="first"), CourseFactory(code="second")
    oldest = MilestoneFactory(course=second, title="Storyboard", due_date=TODAY - timedelta(days=20))
    newer = MilestoneFactory(course=first, title="Alpha build", due_date=TODAY - timedelta(days=2))
    MilestoneFactory(course=first, title="Pilot", due_date=TODAY + timedelta(days=2))
    MilestoneFactory(course=first, title="Script", due_date=TODAY - timedelta(days=9), done_on=TODAY)
    with django_assert_num_queries(1):
        rows = [
            (m.title, m.course.code, m.course.owner.email)
            for m in selectors.overdue_milestones(visible=Course.objects.all())
        ]
    assert rows == [
        (oldest.title, "second", second.owner.email),
        (newer.title, "first", first.owner.email),
    ]


def test_overdue_milestones_respect_what_the_user_may_see(contact_point):
    from workshops.elearning import access

    MilestoneFactory(due_date=TODAY - timedelta(days=3))
    assert not selectors.overdue_milestones(visible=access.courses_visible_to(contact_point)).exists()


def test_published_courses_newest_first(db):
    older = CourseFactory(stage=CourseStage.PUBLISHED, clikc_url=CLIKC_URL)
    Course.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(days=30))
    newer = CourseFactory(stage=CourseStage.PUBLISHED, clikc_url=CLIKC_URL)
    CourseFactory(stage=CourseStage.PILOT, clikc_url=CLIKC_URL)
    assert list(selectors.published_courses()) == [newer, older]


def test_milestone_done_in_the_future_is_invalid(db):
    milestone = MilestoneFactory.build(course=CourseFactory(), done_on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        milestone.full_clean()
    assert error.value.message_dict == {"done_on": ["A milestone cannot be marked done on a date in the future."]}


def test_milestone_due_before_the_course_was_created_is_valid(db):
    milestone = MilestoneFactory.build(course=CourseFactory(), due_date=TODAY - timedelta(days=400))
    milestone.full_clean()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "Choose at least one language."),
        (["en", "de"], "Unknown language code(s): de."),
        (["fr", "fr"], "Each language may be listed only once."),
        ("en", "Languages must be a list of language codes."),
    ],
)
def test_language_validation(value, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        validate_course_languages(value)


def test_all_six_languages_are_accepted():
    validate_course_languages(["en", "fr", "es", "ar", "pt", "ru"])


@pytest.mark.parametrize(
    "url",
    ["http://clikc.wcoomd.org/course/view.php?id=1", "https://example.com/course", "https://clikc.wcoomd.org.evil.io/"],
)
def test_clikc_address_must_be_on_clikc(url):
    with pytest.raises(ValidationError, match=re.escape("starting with https://clikc.wcoomd.org/")):
        validate_clikc_url(url)


def test_clikc_address_accepted():
    validate_clikc_url("https://clikc.wcoomd.org/course/view.php?id=4321")
    validate_clikc_url("")  # empty until publication


def test_course_title_follows_the_language(db):
    from django.utils import translation

    course = CourseFactory(title_en="Risk management", title_fr="Gestion des risques")
    untitled_in_french = CourseFactory(title_en="Image analysis", title_fr="")
    with translation.override("fr"):
        assert course.title == "Gestion des risques"
        assert untitled_in_french.title == "Image analysis"
    with translation.override("en"):
        assert course.title == "Risk management"


def test_languages_are_stored_in_a_fixed_order(staff):
    course = CourseFactory(languages=["ru", "fr", "en"])
    assert course.languages == ["en", "fr", "ru"]


# --- Database constraints: the last line of defence behind the services -----------------------------------
def _violates(update):
    with pytest.raises(IntegrityError), transaction.atomic():
        update()


def test_database_refuses_a_published_course_without_clikc_address(db):
    course = CourseFactory(stage=CourseStage.PILOT)
    _violates(lambda: Course.objects.filter(pk=course.pk).update(stage="published", published_at=timezone.now()))


def test_database_refuses_a_publication_date_outside_publication(db):
    course = CourseFactory(stage=CourseStage.PILOT, clikc_url=CLIKC_URL)
    _violates(lambda: Course.objects.filter(pk=course.pk).update(published_at=timezone.now()))
    _violates(lambda: Course.objects.filter(pk=course.pk).update(stage="published"))


def test_database_refuses_an_unknown_stage_and_a_bad_code(db):
    course = CourseFactory()
    _violates(lambda: Course.objects.filter(pk=course.pk).update(stage="abandoned"))
    _violates(lambda: Course.objects.filter(pk=course.pk).update(code="Has Spaces"))


def test_database_refuses_an_undated_tick(db):
    item = CourseFactory().checklist.first()
    _violates(lambda: ChecklistItem.objects.filter(pk=item.pk).update(done=True))
    _violates(lambda: ChecklistItem.objects.filter(pk=item.pk).update(done_at=timezone.now()))


def test_database_refuses_a_second_standard_item_of_the_same_kind(db):
    course = CourseFactory()
    _violates(lambda: ChecklistItem.objects.create(course=course, key="quiz", label="Quiz tested again"))
    ChecklistItem.objects.create(course=course, key="", label="Translated subtitles checked")  # own items are free


def test_database_refuses_a_stage_change_that_changes_nothing(db):
    course = CourseFactory()
    _violates(lambda: course.stage_changes.create(from_stage="review", to_stage="review"))
