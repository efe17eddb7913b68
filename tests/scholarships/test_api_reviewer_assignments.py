"""Staff assign one reviewer to many applications of a call through the API (issue 19, part 6), as on the call's
review page: one transaction per application, a summary of which succeeded and why each other failed; the reviewer
must be an active member of the call's pool (else a 400 on ``reviewer``). Anyone but staff finds nothing (404, 401
when anonymous)."""

import json

import pytest

from bacuda_portal.core.models import AuditEntry
from scholarships.models import Review

from .factories import CallFactory, EligibleApplicationFactory, ReviewerFactory


def _post(client, call, data):
    return client.post(
        f"/api/v1/scholarship-calls/{call.pk}/reviewer-assignments/", json.dumps(data), content_type="application/json"
    )


@pytest.fixture
def candidates(call, criteria):
    return [EligibleApplicationFactory(call=call, full_name=f"Candidate {n}") for n in range(3)]


def test_staff_assign_one_reviewer_to_many_applications_with_a_summary(
    client_as, staff, call, candidates, reviewer_profile
):
    Review.objects.create(call=call, application=candidates[1], reviewer=reviewer_profile)
    elsewhere = EligibleApplicationFactory(call=CallFactory(cohort_name="Other"), full_name="Elsewhere")
    ids = [candidates[0].pk, candidates[1].pk, elsewhere.pk, candidates[2].pk]
    response = _post(client_as(staff), call, {"reviewer": reviewer_profile.pk, "ids": ids})
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "done": [candidates[0].pk, candidates[2].pk],
        "failed": [
            {"id": candidates[1].pk, "reason": "This reviewer is already assigned to this application."},
            {"id": elsewhere.pk, "reason": "Not found."},
        ],
    }
    assert set(Review.objects.filter(reviewer=reviewer_profile).values_list("application", flat=True)) == {
        candidate.pk for candidate in candidates
    }
    assert AuditEntry.objects.filter(action="scholarships.review.assigned").count() == 2
    assert not Review.objects.filter(application=elsewhere).exists()


def test_a_reviewer_outside_the_calls_active_pool_is_a_400(client_as, staff, call, candidates):
    outsider = ReviewerFactory(user__email="outsider@example.org", calls=[CallFactory(cohort_name="Other")])
    retired = ReviewerFactory(user__email="retired@example.org", calls=[call], is_active=False)
    client = client_as(staff)
    for reviewer in (outsider.pk, retired.pk, 9_999_999):
        response = _post(client, call, {"reviewer": reviewer, "ids": [candidates[0].pk]})
        assert response.status_code == 400 and "reviewer" in response.json(), response.json()
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"ids": [1]}, "reviewer"), ({"reviewer": 1, "ids": []}, "ids"), ({"reviewer": "x"}, "reviewer")],
)
def test_a_bad_body_is_a_400_naming_the_field(client_as, staff, call, body, field):
    response = _post(client_as(staff), call, body)
    assert response.status_code == 400 and field in response.json(), response.json()


def test_nobody_but_staff_assigns(
    client_as, contact_point, other_contact_point, applicant, reviewer, call, candidates, reviewer_profile
):
    body = {"reviewer": reviewer_profile.pk, "ids": [candidates[0].pk]}
    assert _post(client_as(None), call, body).status_code == 401
    for user in (contact_point, other_contact_point, applicant, reviewer):
        assert _post(client_as(user), call, body).status_code == 404, user
    assert not Review.objects.exists()
