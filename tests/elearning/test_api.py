"""The courses API under /api/v1/courses/: staff only, filters, transitions as actions, constant query count."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from workshops.elearning.enums import CourseStage

from .conftest import CLIKC_URL
from .factories import CourseFactory, MilestoneFactory, SubjectMatterExpertFactory

LIST_URL = "/api/v1/courses/"
TODAY = timezone.localdate()


def _get(client_as, user, url):
    return client_as(user).get(url, HTTP_ACCEPT="application/json")


def _post(client_as, user, url, data=None):
    return client_as(user).post(url, data or {}, content_type="application/json", HTTP_ACCEPT="application/json")


def test_course_detail_has_milestones_checklist_and_history(client_as, staff, course):
    MilestoneFactory(course=course, title="Storyboard", due_date=TODAY - timedelta(days=1))
    MilestoneFactory(course=course, title="Pilot", due_date=TODAY + timedelta(days=1))
    body = _get(client_as, staff, f"{LIST_URL}{course.code}/").json()
    assert body["code"] == "bacuda-ml-101"
    assert body["stage"] == "review"
    assert body["languages"] == ["en", "fr"]
    assert body["owner"] == staff.email
    assert body["vendor"]["name"] == course.vendor.name
    assert [expert["full_name"] for expert in body["experts"]] == ["Amina Diallo"]
    assert body["overdue_milestone_count"] == 1
    assert [(m["title"], m["is_overdue"]) for m in body["milestones"]] == [("Storyboard", True), ("Pilot", False)]
    assert [item["key"] for item in body["checklist"]][:2] == ["accessibility", "french_version"]
    assert body["checklist"][0]["label"] == "Accessibility checked"
    assert [(change["from_stage"], change["to_stage"]) for change in body["stage_changes"]] == [("", "concept")]


@pytest.fixture
def catalogue(db):
    overdue = CourseFactory(code="late-course", languages=["fr"], stage=CourseStage.DEVELOPMENT)
    MilestoneFactory(course=overdue, due_date=TODAY - timedelta(days=1))
    CourseFactory(code="spanish-course", title_en="Synthetic data", languages=["es", "en"])
    CourseFactory(code="live-course", languages=["en"], stage=CourseStage.PUBLISHED, clikc_url=CLIKC_URL)


@pytest.mark.parametrize(
    ("query", "expected_codes"),
    [
        ("", ["late-course", "live-course", "spanish-course"]),
        ("stage=development", ["late-course"]),
        ("language=es", ["spanish-course"]),
        ("language=en", ["live-course", "spanish-course"]),
        ("overdue=true", ["late-course"]),
        ("overdue=false", ["late-course", "live-course", "spanish-course"]),
        ("search=synthetic", ["spanish-course"]),
        ("ordering=-code", ["spanish-course", "live-course", "late-course"]),
    ],
)
def test_course_list_filters(client_as, staff, catalogue, query, expected_codes):
    body = _get(client_as, staff, f"{LIST_URL}?{query}").json()
    assert [row["code"] for row in body["results"]] == expected_codes


def test_an_unknown_filter_value_is_a_bad_request(client_as, staff, catalogue):
    assert _get(client_as, staff, f"{LIST_URL}?language=de").status_code == 400


def test_advance_action(client_as, staff, course):
    response = _post(client_as, staff, f"{LIST_URL}{course.code}/advance/", {"note": "Review done"})
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "pilot"
    assert body["stage_changes"][-1] == {**body["stage_changes"][-1], "to_stage": "pilot", "note": "Review done"}
    assert body["version"] == 2


def test_advance_action_refused(client_as, staff, pilot_course):
    response = _post(client_as, staff, f"{LIST_URL}{pilot_course.code}/advance/")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("A course in pilot moves on by being published on CLiKC!")


def test_send_back_action(client_as, staff, course):
    url = f"{LIST_URL}{course.code}/send-back/"
    refused = _post(client_as, staff, url, {"to_stage": "development", "note": ""})
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Say why the course is sent back: the note is required."}
    invalid = _post(client_as, staff, url, {"to_stage": "nowhere", "note": "x"})
    assert invalid.status_code == 400
    assert "to_stage" in invalid.json()
    accepted = _post(client_as, staff, url, {"to_stage": "development", "note": "Glossary errors"})
    assert accepted.status_code == 200
    assert accepted.json()["stage"] == "development"


def test_publish_action_gate(client_as, staff):
    course = CourseFactory(stage=CourseStage.PILOT, clikc_url=CLIKC_URL)
    url = f"{LIST_URL}{course.code}/publish/"
    refused = _post(client_as, staff, url)
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Complete the launch checklist first; still open: Accessibility checked")
    course.checklist.update(done=True, done_at=timezone.now())
    published = _post(client_as, staff, url)
    assert published.status_code == 200
    assert published.json()["stage"] == "published"
    assert published.json()["published_at"]


def test_courses_are_read_only_apart_from_the_actions(client_as, staff, course):
    client = client_as(staff)
    assert client.post(LIST_URL, {"code": "x"}, content_type="application/json").status_code == 405
    assert client.patch(f"{LIST_URL}{course.code}/", {}, content_type="application/json").status_code == 405
    assert client.delete(f"{LIST_URL}{course.code}/").status_code == 405


def test_token_authentication_for_staff(client, staff, course):
    token = Token.objects.create(user=staff)
    response = client.get(LIST_URL, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_course_list_query_count_does_not_grow(client_as, staff, django_assert_max_num_queries):
    experts = SubjectMatterExpertFactory.create_batch(3)
    for course in CourseFactory.create_batch(35, experts=experts):
        MilestoneFactory(course=course, due_date=TODAY - timedelta(days=2))
        MilestoneFactory(course=course)
    client = client_as(staff)
    with django_assert_max_num_queries(9):
        response = client.get(LIST_URL, HTTP_ACCEPT="application/json")
    assert response.json()["count"] == 35
    assert all(len(row["milestones"]) == 2 and len(row["checklist"]) == 6 for row in response.json()["results"])


def test_openapi_schema_lists_the_course_endpoints(client, db):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/courses/",
        "/api/v1/courses/{code}/",
        "/api/v1/courses/{code}/advance/",
        "/api/v1/courses/{code}/send-back/",
        "/api/v1/courses/{code}/publish/",
    ):
        assert path in paths
