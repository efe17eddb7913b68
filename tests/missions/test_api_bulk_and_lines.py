"""The mission list's bulk approval and the claim's expense lines through the API (issue 19, part 6), by the same
services and access rules as the pages: the project manager approves many submitted claims or travel requests at
once (one transaction per mission, a summary of what failed and why); the traveller, or staff for them, adds an
expense with its receipt as a multipart upload checked like the page's, and removes it. Anyone else finds nothing
(404, 401 when anonymous); a bad body is a 400 naming the field; a claim that cannot change is a 409."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bacuda_portal.core.models import AuditEntry
from tests import upload_samples as samples
from workshops.missions.models import Claim, ClaimLine, TravelRequest

from .factories import ClaimFactory, MissionFactory, TravelRequestFactory

BULK = "/api/v1/missions/bulk-approve/"


def _post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _lines_url(mission):
    return f"/api/v1/missions/{mission.pk}/claim/lines/"


def _line(mission, receipt: bytes = samples.CLEAN_PDF, name: str = "taxi.pdf", **changes):
    return {
        "date": (mission.start_date + dt.timedelta(days=1)).isoformat(),
        "category": "local_transport",
        "description": "Taxi from the airport",
        "amount": "45.00",
        "currency": "eur",
        "exchange_rate": "",
        "receipt": SimpleUploadedFile(name, receipt),
        **changes,
    }


def _stored_files(settings) -> set:
    return {path for path in settings.PRIVATE_MEDIA_ROOT.rglob("*") if path.is_file()}


# --- Bulk approval ----------------------------------------------------------------------------------------------
def test_the_project_manager_approves_many_submitted_claims_with_a_summary_of_the_others(
    client_as, project_manager, submitted_claim, staff, expert_profile
):
    draft = MissionFactory(traveller_expert=expert_profile, created_by=staff, mission_number="MS-2025-0143")
    TravelRequestFactory(mission=draft, approved=True, submitted_by=staff, decided_by=project_manager)
    ClaimFactory(mission=draft)
    ids = [draft.pk, submitted_claim.mission_id, 9_999_999, draft.pk]
    response = _post_json(client_as(project_manager), BULK, {"what": "claims", "ids": ids})
    assert response.status_code == 200, response.json()
    summary = response.json()
    assert summary["done"] == [submitted_claim.mission_id]
    assert summary["failed"] == [
        {"id": draft.pk, "reason": "Only a submitted claim can be approved or rejected."},
        {"id": 9_999_999, "reason": "Not found."},
    ]
    assert Claim.objects.get(pk=submitted_claim.pk).status == "approved"
    assert Claim.objects.get(mission=draft).status == "draft"
    assert AuditEntry.objects.filter(action="missions.claim.approved").count() == 1


def test_the_project_manager_approves_travel_requests_in_bulk(client_as, project_manager, submitted_request):
    response = _post_json(client_as(project_manager), BULK, {"what": "requests", "ids": [submitted_request.mission_id]})
    assert response.status_code == 200 and response.json() == {"done": [submitted_request.mission_id], "failed": []}
    assert TravelRequest.objects.get(pk=submitted_request.pk).status == "approved"


def test_a_project_officer_is_refused_mission_by_mission_with_the_reason(client_as, staff, submitted_claim):
    response = _post_json(client_as(staff), BULK, {"what": "claims", "ids": [submitted_claim.mission_id]})
    assert response.status_code == 200
    [failure] = response.json()["failed"]
    assert failure["id"] == submitted_claim.mission_id and "project manager" in failure["reason"]
    assert Claim.objects.get(pk=submitted_claim.pk).status == "submitted"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"what": "claims", "ids": []}, "ids"), ({"what": "payments", "ids": [1]}, "what"), ({"what": "claims"}, "ids")],
)
def test_a_bulk_approval_the_form_would_refuse_is_a_400_naming_the_field(client_as, project_manager, body, field):
    response = _post_json(client_as(project_manager), BULK, body)
    assert response.status_code == 400 and field in response.json(), response.json()


def test_nobody_else_approves_in_bulk(client_as, other_contact_point, contact_point, expert, submitted_claim):
    body = {"what": "claims", "ids": [submitted_claim.mission_id]}
    assert _post_json(client_as(None), BULK, body).status_code == 401
    for user in (other_contact_point, contact_point, expert):
        assert _post_json(client_as(user), BULK, body).status_code == 404, user
    assert Claim.objects.get(pk=submitted_claim.pk).status == "submitted"


# --- Expense lines ----------------------------------------------------------------------------------------------
def test_the_traveller_adds_an_expense_with_its_receipt_and_removes_it(client_as, expert, approved_request):
    mission = approved_request.mission
    client = client_as(expert)
    response = client.post(_lines_url(mission), _line(mission))
    assert response.status_code == 201, response.json()
    line = ClaimLine.objects.get()
    assert line.claim.status == "draft" and line.currency == "EUR" and line.receipt.read().startswith(b"%PDF")
    assert str(line.pk) in response.json()["receipt_url"]
    assert client.get(f"/api/v1/missions/{mission.pk}/").json()["claim"]["lines"][0]["id"] == line.pk
    removed = client.delete(f"{_lines_url(mission)}{line.pk}/")
    assert removed.status_code == 204 and not ClaimLine.objects.exists()
    assert AuditEntry.objects.filter(action="missions.claim.line_removed").exists()


def test_staff_add_an_expense_in_another_currency_for_the_traveller(client_as, staff, approved_request):
    mission = approved_request.mission
    response = client_as(staff).post(_lines_url(mission), _line(mission, currency="KES", exchange_rate="0.0071"))
    assert response.status_code == 201, response.json()
    assert ClaimLine.objects.get().exchange_rate is not None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"receipt": samples.HTML_PAYLOAD}, "receipt"),
        ({"amount": "-4"}, "amount"),
        ({"currency": "XXY"}, "currency"),
        ({"currency": "KES"}, "exchange_rate"),  # another currency than the request's needs its rate
        ({"category": "casino"}, "category"),
    ],
)
def test_an_expense_the_page_would_refuse_is_a_400_naming_the_field_and_stores_nothing(
    client_as, expert, approved_request, settings, changes, field
):
    mission = approved_request.mission
    before = _stored_files(settings)
    response = client_as(expert).post(_lines_url(mission), _line(mission, **changes))
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ClaimLine.objects.exists() and not Claim.objects.exists()
    assert _stored_files(settings) == before


def test_a_json_body_names_the_missing_receipt(client_as, expert, approved_request):
    mission = approved_request.mission
    body = {key: value for key, value in _line(mission).items() if key != "receipt"}
    response = _post_json(client_as(expert), _lines_url(mission), body)
    assert response.status_code == 400 and "receipt" in response.json()


def test_a_claim_that_cannot_change_is_a_409(client_as, expert, submitted_claim, staff, expert_profile):
    mission = submitted_claim.mission
    client = client_as(expert)
    response = client.post(_lines_url(mission), _line(mission))
    assert response.status_code == 409 and "draft or a rejected" in response.json()["detail"]
    line = submitted_claim.lines.get()
    assert client.delete(f"{_lines_url(mission)}{line.pk}/").status_code == 409
    # Before the travel request is approved there is no claim to add to.
    waiting = MissionFactory(traveller_expert=expert_profile, created_by=staff, mission_number="MS-2025-0150")
    TravelRequestFactory(mission=waiting, submitted=True, submitted_by=staff)
    refused = client_as(staff).post(_lines_url(waiting), _line(waiting))
    assert refused.status_code == 409 and "travel request is approved" in refused.json()["detail"]
    assert ClaimLine.objects.count() == 1


def test_nobody_else_adds_or_removes_an_expense(
    client_as, other_contact_point, contact_point, other_expert, draft_claim
):
    mission = draft_claim.mission
    line = draft_claim.lines.get()
    assert client_as(None).post(_lines_url(mission), _line(mission)).status_code == 401
    assert client_as(None).delete(f"{_lines_url(mission)}{line.pk}/").status_code == 401
    for user in (other_contact_point, contact_point, other_expert):
        assert client_as(user).post(_lines_url(mission), _line(mission)).status_code == 404, user
        assert client_as(user).delete(f"{_lines_url(mission)}{line.pk}/").status_code == 404, user
    assert ClaimLine.objects.count() == 1


def test_a_line_of_another_mission_is_not_found(client_as, staff, draft_claim, expert_profile):
    other = MissionFactory(traveller_expert=expert_profile, created_by=staff, mission_number="MS-2025-0199")
    line = draft_claim.lines.get()
    assert client_as(staff).delete(f"{_lines_url(other)}{line.pk}/").status_code == 404
    assert client_as(staff).delete(f"{_lines_url(draft_claim.mission)}first/").status_code == 404
    assert ClaimLine.objects.filter(pk=line.pk).exists()
