"""The reviews API: a reviewer reads only their own assignments; blind review and conflicts hold here too."""

import pytest

from bacuda_portal.core.models import AuditEntry
from scholarships.models import ConflictOfInterest, Review

from .factories import EligibleApplicationFactory, ReviewerFactory, submitted_review

URL = "/api/v1/scholarship-reviews/"


@pytest.fixture
def others(call, criteria):
    """Another reviewer's submitted review of another application."""
    reviewer = ReviewerFactory(calls=[call])
    return submitted_review(EligibleApplicationFactory(call=call), reviewer, {criteria[0]: 5, criteria[1]: 5})


def test_a_reviewer_lists_only_their_own_reviews(client_as, reviewer, assignment, others):
    data = client_as(reviewer).get(URL).json()
    assert [row["id"] for row in data["results"]] == [assignment.pk]
    row = data["results"][0]
    assert row["application"]["full_name"] == "Achieng Otieno" and row["application"]["administration"] == "KEN"
    assert client_as(reviewer).get(f"{URL}{others.pk}/").status_code == 404


def test_blind_review_hides_the_name_and_administration_in_the_api(client_as, reviewer, assignment, call):
    call.blind_review = True
    call.save()
    row = client_as(reviewer).get(f"{URL}{assignment.pk}/").json()
    assert row["application"]["full_name"] is None and row["application"]["administration"] is None
    assert row["application"]["position"] == "Risk analyst"
    assert "Achieng" not in str(client_as(reviewer).get(URL).json())


def test_a_conflict_hides_the_review_in_the_api(client_as, reviewer, assignment):
    Review.objects.filter(pk=assignment.pk).update(status="conflict")
    ConflictOfInterest.objects.create(reviewer=assignment.reviewer, application=assignment.application, reason="x")
    client = client_as(reviewer)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{assignment.pk}/").status_code == 404


def test_reviewers_do_not_read_applications_through_the_applications_api(client_as, reviewer, assignment):
    client = client_as(reviewer)
    assert client.get("/api/v1/scholarship-applications/").json()["results"] == []
    assert client.get(f"/api/v1/scholarship-applications/{assignment.application_id}/").status_code == 404


def test_staff_read_every_review_with_scores(client_as, staff, assignment, others):
    data = client_as(staff).get(URL).json()
    assert {row["id"] for row in data["results"]} == {assignment.pk, others.pk}
    detail = client_as(staff).get(f"{URL}{others.pk}/").json()
    assert detail["weighted_score"] == "5.00"
    assert {score["criterion"] for score in detail["scores"]} == {"Analytical background", "Motivation"}
    assert AuditEntry.objects.filter(action="scholarships.application.viewed", actor=staff).exists()


@pytest.mark.parametrize(
    ("role", "listing", "detail"),
    [("anonymous", 401, 401), ("applicant", 200, 404), ("contact_point", 200, 404),
     ("other_contact_point", 200, 404), ("reviewer", 200, 200), ("staff", 200, 200)],
)  # fmt: skip
def test_reviews_api_access(client_as, cast, assignment, role, listing, detail):
    client = client_as(cast[role])
    response = client.get(URL)
    assert response.status_code == listing
    if listing == 200 and role not in ("reviewer", "staff"):
        assert response.json()["results"] == []
    assert client.get(f"{URL}{assignment.pk}/").status_code == detail


def test_a_reviewer_with_a_conflict_gets_nothing(client_as, conflicted_reviewer, assignment):
    Review.objects.create(call=assignment.call, application=assignment.application, reviewer=conflicted_reviewer,
                          status="conflict")  # fmt: skip
    client = client_as(conflicted_reviewer.user)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{assignment.pk}/").status_code == 404
