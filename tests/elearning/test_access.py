"""Who reaches what: every e-learning page, form, button and API endpoint with the whole cast.

Course development is staff work: staff get the page, every other signed-in user "not found", anonymous
visitors the login page (pages) or 401 (API). Refused writes leave the data as it was.
"""

import pytest
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from workshops.elearning.enums import CourseStage
from workshops.elearning.models import Course, Milestone

from .factories import MilestoneFactory, SubjectMatterExpertFactory

ROLES = ["anonymous", "project_manager", "staff", "contact_point", "other_contact_point", "expert", "applicant"]
EXPECTED_FOR_PAGES = {
    "anonymous": "login",
    "project_manager": 200,
    "staff": 200,
    "contact_point": 404,
    "other_contact_point": 404,
    "expert": 404,
    "applicant": 404,
}
EXPECTED_FOR_API = {**EXPECTED_FOR_PAGES, "anonymous": 401}


def _expect(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:300]


@pytest.fixture
def milestone(course):
    return MilestoneFactory(course=course)


@pytest.fixture
def sme_of_the_course(course, expert):
    """The "expert" user of the cast is a subject-matter expert of the course: that gives no access either."""
    profile = SubjectMatterExpertFactory(user=expert, full_name=expert.full_name, email=expert.email)
    course.experts.add(profile)
    return expert


GET_PAGES = [
    ("course_list", lambda course, milestone: []),
    ("course_create", lambda course, milestone: []),
    ("course_detail", lambda course, milestone: [course.code]),
    ("course_update", lambda course, milestone: [course.code]),
    ("milestone_update", lambda course, milestone: [milestone.pk]),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "args"), GET_PAGES, ids=[name for name, _args in GET_PAGES])
def test_pages(client_as, cast, sme_of_the_course, course, milestone, role, url_name, args):
    response = client_as(cast[role]).get(reverse(f"elearning:{url_name}", args=args(course, milestone)))
    _expect(response, EXPECTED_FOR_PAGES[role])


@pytest.mark.parametrize("role", ROLES)
def test_csv_export(client_as, cast, course, role):
    response = client_as(cast[role]).get(reverse("elearning:course_list") + "?format=csv")
    _expect(response, EXPECTED_FOR_PAGES[role])
    assert AuditEntry.objects.filter(action="elearning.courses.exported").exists() == (response.status_code == 200)


def _unchanged(course, milestone):
    course.refresh_from_db()
    milestone.refresh_from_db()
    return (
        course.stage == CourseStage.REVIEW
        and course.version == 1
        and milestone.done_on is None
        and not course.checklist.filter(done=True).exists()
        and course.milestones.count() == 1
    )


# Each button with data that would succeed for staff; the expected redirect is the course page.
BUTTONS = [
    ("course_advance", lambda course, milestone: [course.code], {"note": "ok"}),
    ("course_send_back", lambda course, milestone: [course.code], {"to_stage": "development", "note": "fix"}),
    ("course_publish", lambda course, milestone: [course.code], {}),
    ("milestone_create", lambda course, milestone: [course.code], {"title": "New", "due_date": "2030-01-01"}),
    ("milestone_complete", lambda course, milestone: [milestone.pk], {}),
    ("milestone_delete", lambda course, milestone: [milestone.pk], {}),
    ("checklist_tick", lambda course, milestone: [course.checklist.first().pk], {"done": "on"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "args", "data"), BUTTONS, ids=[name for name, *_rest in BUTTONS])
def test_buttons(client_as, cast, course, milestone, role, url_name, args, data):
    response = client_as(cast[role]).post(reverse(f"elearning:{url_name}", args=args(course, milestone)), data)
    expected = EXPECTED_FOR_PAGES[role]
    if expected == 200:
        assert response.status_code == 302
        assert response["Location"].startswith(course.get_absolute_url())
    else:
        _expect(response, expected)
        assert _unchanged(course, milestone)


@pytest.mark.parametrize("role", ROLES)
def test_create_form_post(client_as, cast, role):
    data = {"code": "new-course", "title_en": "New course", "languages": ["en"], "owner": cast["staff"].pk}
    response = client_as(cast[role]).post(reverse("elearning:course_create"), data)
    expected = EXPECTED_FOR_PAGES[role]
    _expect(response, 302 if expected == 200 else expected)
    assert Course.objects.filter(code="new-course").exists() == (expected == 200)


@pytest.mark.parametrize("role", ROLES)
def test_edit_form_post(client_as, cast, course, milestone, role):
    data = {"title_en": "Changed", "languages": ["en"], "owner": course.owner_id, "version": course.version}
    response = client_as(cast[role]).post(reverse("elearning:course_update", args=[course.code]), data)
    expected = EXPECTED_FOR_PAGES[role]
    _expect(response, 302 if expected == 200 else expected)
    course.refresh_from_db()
    assert (course.title_en == "Changed") == (expected == 200)


@pytest.mark.parametrize("role", ROLES)
def test_milestone_edit_post(client_as, cast, course, milestone, role):
    data = {"title": "Changed", "due_date": milestone.due_date.isoformat()}
    response = client_as(cast[role]).post(reverse("elearning:milestone_update", args=[milestone.pk]), data)
    expected = EXPECTED_FOR_PAGES[role]
    _expect(response, 302 if expected == 200 else expected)
    assert Milestone.objects.filter(pk=milestone.pk, title="Changed").exists() == (expected == 200)


def test_unknown_course_and_milestone_are_not_found_for_staff(client_as, staff):
    client = client_as(staff)
    assert client.get(reverse("elearning:course_detail", args=["no-such-course"])).status_code == 404
    assert client.get(reverse("elearning:milestone_update", args=[99999])).status_code == 404


# --- API -------------------------------------------------------------------------------------------------
API_READS = [
    ("list", lambda course: "/api/v1/courses/"),
    ("detail", lambda course: f"/api/v1/courses/{course.code}/"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url"), API_READS, ids=[name for name, _url in API_READS])
def test_api_reads(client_as, cast, sme_of_the_course, course, role, name, url):
    response = client_as(cast[role]).get(url(course), HTTP_ACCEPT="application/json")
    _expect(response, EXPECTED_FOR_API[role])
    if response.status_code == 404:
        assert course.code not in response.content.decode()


API_ACTIONS = [
    ("advance", {"note": "ok"}),
    ("send-back", {"to_stage": "development", "note": "fix"}),
    ("publish", {}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "data"), API_ACTIONS, ids=[action for action, _data in API_ACTIONS])
def test_api_actions(client_as, cast, course, milestone, role, action, data):
    response = client_as(cast[role]).post(
        f"/api/v1/courses/{course.code}/{action}/",
        data,
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )
    expected = EXPECTED_FOR_API[role]
    if expected == 200:
        # Publishing a course in review is refused by the pipeline, not by access.
        assert response.status_code == (400 if action == "publish" else 200)
    else:
        _expect(response, expected)
        assert _unchanged(course, milestone)
