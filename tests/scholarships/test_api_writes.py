"""The scholarship selection written through the API (issue 19, part 6): endorsement by the contact point of the
application's administration, reviews by their reviewer, decisions (one and in bulk) and their release by staff, offers
answered by the applicant and confirmed by staff. The same services and access rules as the pages: anyone else finds
nothing (404, 401 when anonymous); a refused body is a 400 naming the field; a refused state change is a 409."""

import datetime as dt

import pytest
from django.utils import timezone

from scholarships import services
from scholarships.models import Call, Decision, Endorsement, Review

from .factories import EligibleApplicationFactory, SubmittedApplicationFactory


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _app_url(application, tail):
    return f"/api/v1/scholarship-applications/{application.pk}/{tail}/"


# --- Endorsement -------------------------------------------------------------------------------------------------
def test_the_contact_point_endorses_and_declines_within_the_quota(client_as, contact_point, call, kenya):
    first, second, third = (
        SubmittedApplicationFactory(call=call, administration=kenya, full_name=f"Kenyan {n}") for n in range(3)
    )
    client = client_as(contact_point)
    response = _post(client, _app_url(first, "endorsement"), {"decision": "endorsed"})
    assert response.status_code == 200, response.json()
    assert response.json() == {"application": first.pk, "decision": "endorsed", "comment": "", "rank": 1}
    assert _post(client, _app_url(second, "endorsement"), {"decision": "endorsed"}).json()["rank"] == 2
    over = _post(client, _app_url(third, "endorsement"), {"decision": "endorsed"})
    assert over.status_code == 409 and "quota of this call" in over.json()["detail"]
    assert not Endorsement.objects.filter(application=third).exists()
    refused = _post(client, _app_url(third, "endorsement"), {"decision": "declined"})
    assert refused.status_code == 400 and "comment" in refused.json()
    assert _post(client, _app_url(third, "endorsement"), {"decision": "maybe"}).status_code == 400
    declined = _post(client, _app_url(first, "endorsement"), {"decision": "declined", "comment": "Left the unit."})
    assert declined.status_code == 200 and declined.json()["rank"] is None
    assert Endorsement.objects.get(application=second).rank == 1  # the ranks close up


def test_only_the_administrations_contact_point_endorses(client_as, other_contact_point, staff, applicant, application):
    url = _app_url(application, "endorsement")
    assert _post(client_as(None), url, {"decision": "endorsed"}).status_code == 401
    for user in (other_contact_point, staff, applicant):
        assert _post(client_as(user), url, {"decision": "endorsed"}).status_code == 404, user
    assert not Endorsement.objects.filter(application=application).exists()


# --- Reviews -----------------------------------------------------------------------------------------------------
def test_the_reviewer_saves_then_submits_scores_for_their_assignment(client_as, reviewer, assignment, criteria):
    client = client_as(reviewer)
    url = f"/api/v1/scholarship-reviews/{assignment.pk}/scores/"
    draft = {"scores": [{"criterion": criteria[0].pk, "score": 8}], "submit": False}
    response = _post(client, url, draft)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "assigned" and response.json()["scores"][0]["score"] == 8
    incomplete = _post(client, url, {**draft, "submit": True})
    assert incomplete.status_code == 400
    assert {f"criterion_{criteria[1].pk}", "recommendation"} <= set(incomplete.json())
    assert _post(client, url, {"scores": [{"criterion": criteria[0].pk, "score": 11}]}).status_code == 400
    body = {"scores": [{"criterion": c.pk, "score": 7} for c in criteria], "recommendation": "yes", "comment": "Good."}
    response = _post(client, url, body)
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["weighted_score"] == "7.00"
    again = _post(client, url, body)
    assert again.status_code == 409 and "already been submitted" in again.json()["detail"]


def test_only_the_assigned_reviewer_scores(client_as, staff, other_contact_point, conflicted_reviewer, assignment,
                                           criteria):  # fmt: skip
    url = f"/api/v1/scholarship-reviews/{assignment.pk}/scores/"
    body = {"scores": [{"criterion": c.pk, "score": 5} for c in criteria], "recommendation": "no"}
    assert _post(client_as(None), url, body).status_code == 401
    for user in (staff, other_contact_point, conflicted_reviewer.user):
        assert _post(client_as(user), url, body).status_code == 404, user
    assert Review.objects.get(pk=assignment.pk).status == "assigned"


def test_a_declared_conflict_hides_the_assignment_from_its_reviewer(client_as, reviewer, assignment):
    client = client_as(reviewer)
    url = f"/api/v1/scholarship-reviews/{assignment.pk}/conflict/"
    assert _post(client, url, {"reason": ""}).status_code == 400
    assert _post(client, url, {"reason": "My colleague."}).status_code == 204
    assert Review.objects.get(pk=assignment.pk).status == "conflict"
    assert _post(client, url, {"reason": "Again."}).status_code == 404


# --- Decisions, release, offers ----------------------------------------------------------------------------------
def test_staff_record_a_decision_and_release_the_calls_decisions(client_as, staff, call, eligible):
    client = client_as(staff)
    response = _post(client, _app_url(eligible, "decision"), {"outcome": "selected"})
    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "selected" and response.json()["status"] == "pending"
    assert _post(client, _app_url(eligible, "decision"), {"outcome": "best"}).status_code == 400
    Call.objects.filter(pk=call.pk).update(seats=1)
    other = EligibleApplicationFactory(call=call)
    full = _post(client, _app_url(other, "decision"), {"outcome": "selected"})
    assert full.status_code == 409 and "seats" in full.json()["detail"]
    release = _post(client, f"/api/v1/scholarship-calls/{call.pk}/release/")
    assert release.status_code == 200 and release.json() == {"count": 1}
    assert Decision.objects.get(application=eligible).offer_status == "open"
    assert _post(client, f"/api/v1/scholarship-calls/{call.pk}/release/").status_code == 409  # nothing pending
    released = _post(client, _app_url(eligible, "decision"), {"outcome": "not_selected"})
    assert released.status_code == 409 and "released" in released.json()["detail"]


def test_bulk_decisions_answer_a_summary_per_row(client_as, staff, call, criteria, senegal_application):
    Call.objects.filter(pk=call.pk).update(seats=2)
    first, second, third = (EligibleApplicationFactory(call=call) for _ in range(3))
    elsewhere = EligibleApplicationFactory()  # another call's
    ids = [third.pk, first.pk, second.pk, elsewhere.pk, third.pk, 999999]
    response = _post(client_as(staff), f"/api/v1/scholarship-calls/{call.pk}/decisions/",
                     {"outcome": "selected", "ids": ids})  # fmt: skip
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["done"] == [third.pk, first.pk]
    assert [row["id"] for row in body["failed"]] == [second.pk, elsewhere.pk, 999999]
    assert "seats of this call are taken" in body["failed"][0]["reason"]
    assert body["failed"][1]["reason"] == "Not found."
    assert set(Decision.objects.values_list("application", flat=True)) == {third.pk, first.pk}
    bad = _post(client_as(staff), f"/api/v1/scholarship-calls/{call.pk}/decisions/", {"outcome": "selected"})
    assert bad.status_code == 400 and "ids" in bad.json()


@pytest.mark.parametrize("tail", ["release", "decisions"])
def test_only_staff_release_and_decide_a_call(client_as, contact_point, other_contact_point, eligible, tail):
    services.decision_record(application=eligible, outcome="selected", by=None)
    url = f"/api/v1/scholarship-calls/{eligible.call_id}/{tail}/"
    body = {"outcome": "not_selected", "ids": [eligible.pk]}
    assert _post(client_as(None), url, body).status_code == 401
    for user in (contact_point, other_contact_point):
        assert _post(client_as(user), url, body).status_code == 404
    assert _post(client_as(contact_point), "/api/v1/scholarship-calls/x/release/").status_code == 404
    decision = Decision.objects.get(application=eligible)
    assert (decision.outcome, decision.status) == ("selected", "pending")


def test_only_staff_decide_an_application(client_as, contact_point, other_contact_point, applicant, eligible):
    url = _app_url(eligible, "decision")
    assert _post(client_as(None), url, {"outcome": "selected"}).status_code == 401
    for user in (contact_point, other_contact_point, applicant):
        assert _post(client_as(user), url, {"outcome": "selected"}).status_code == 404
    assert not Decision.objects.exists()


@pytest.fixture
def offers(call, applicant, other_applicant, staff):
    """The applicant selected with an open offer; another applicant first on the reserve list."""
    selected = EligibleApplicationFactory(call=call, applicant=applicant)
    reserve = EligibleApplicationFactory(call=call, applicant=other_applicant)
    services.decision_record(application=selected, outcome="selected", by=staff)
    services.decision_record(application=reserve, outcome="reserve", by=staff)
    services.decisions_release(call=call, by=staff)
    return {"selected": selected, "reserve": reserve}


def test_the_applicant_declines_the_offer_and_staff_confirm_the_reserves_seat(
    client_as, applicant, other_applicant, staff, contact_point, offers
):
    selected, reserve = offers["selected"], offers["reserve"]
    for user in (None, other_applicant, staff, contact_point):
        assert _post(client_as(user), _app_url(selected, "offer-reply"), {"accept": True}).status_code in (401, 404)
    assert _post(client_as(applicant), _app_url(selected, "offer-reply"), {}).status_code == 400
    response = _post(client_as(applicant), _app_url(selected, "offer-reply"), {"accept": False})
    assert response.status_code == 200 and response.json()["offer_status"] == "declined"
    again = _post(client_as(applicant), _app_url(selected, "offer-reply"), {"accept": True})
    assert again.status_code == 409 and "no open offer" in again.json()["detail"]
    assert Decision.objects.get(application=reserve).offer_status == "proposed"
    assert _post(client_as(contact_point), _app_url(reserve, "offer-confirm")).status_code == 404
    response = _post(client_as(staff), _app_url(reserve, "offer-confirm"))
    assert response.status_code == 200
    assert (response.json()["outcome"], response.json()["offer_status"]) == ("selected", "open")
    assert _post(client_as(staff), _app_url(reserve, "offer-confirm")).status_code == 409


def test_an_answer_after_the_reply_by_date_is_a_conflict(client_as, applicant, offers):
    Decision.objects.filter(application=offers["selected"]).update(reply_by=timezone.now() - dt.timedelta(minutes=1))
    response = _post(client_as(applicant), _app_url(offers["selected"], "offer-reply"), {"accept": True})
    assert response.status_code == 409 and "reply-by date" in response.json()["detail"]
    assert Decision.objects.get(application=offers["selected"]).offer_status == "open"
