"""Travel requests and claims written through the API (issue 19, part 6): the mission page's flow by the same services
and access rules. Staff write and submit the request, the project manager decides, the traveller submits the claim;
anyone else finds nothing (404, 401 when anonymous); a body the form would refuse is a 400 naming the field; a state
that does not allow the change is a 409 with the service's reason."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from workshops.missions.models import Claim, TravelRequest

REQUEST = {
    "itinerary": "12 May BRU-NBO; 17 May NBO-BRU",
    "currency": "eur",
    "dsa_days": 5,
    "dsa_rate": "250.00",
    "terminal_expenses": "120.00",
    "advance": "500.00",
}


def _send(client, url, data=None, method="post"):
    return client.generic(method.upper(), url, json.dumps(data or {}), content_type="application/json")


def _url(mission, tail):
    return f"/api/v1/missions/{mission.pk}/{tail}/"


def test_staff_write_and_submit_a_travel_request_which_the_project_manager_approves(
    client_as, staff, project_manager, mission
):
    staff_client = client_as(staff)
    response = _send(staff_client, _url(mission, "travel-request"), REQUEST, "put")
    assert response.status_code == 200, response.json()
    request = TravelRequest.objects.get(mission=mission)
    assert request.status == "draft" and request.currency == "EUR" and request.dsa_rate == Decimal("250.00")
    assert response.json()["travel_request"]["total"] == "1370.00"
    changed = _send(staff_client, _url(mission, "travel-request"), {**REQUEST, "dsa_days": 4}, "put")
    assert changed.status_code == 200 and changed.json()["travel_request"]["dsa_days"] == 4
    response = _send(staff_client, _url(mission, "travel-request/submit"))
    assert response.status_code == 200 and response.json()["travel_request"]["status"] == "submitted"
    # Submitted: neither changed nor submitted again, and a project officer does not decide.
    conflict = _send(staff_client, _url(mission, "travel-request"), REQUEST, "put")
    assert conflict.status_code == 409 and "draft or a rejected" in conflict.json()["detail"]
    assert _send(staff_client, _url(mission, "travel-request/submit")).status_code == 409
    assert _send(staff_client, _url(mission, "travel-request/decision"), {"decision": "approve"}).status_code == 403
    manager = client_as(project_manager)
    refused = _send(manager, _url(mission, "travel-request/decision"), {"decision": "reject"})
    assert refused.status_code == 400 and "comment" in refused.json()
    response = _send(manager, _url(mission, "travel-request/decision"), {"decision": "approve", "comment": "Fine."})
    assert response.status_code == 200 and response.json()["travel_request"]["status"] == "approved"
    assert AuditEntry.objects.filter(action="missions.request.approved").exists()
    again = _send(manager, _url(mission, "travel-request/decision"), {"decision": "approve"})
    assert again.status_code == 409 and again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**REQUEST, "currency": "XXY"}, "currency"),
        ({**REQUEST, "dsa_rate": "-1"}, "dsa_rate"),
        ({key: value for key, value in REQUEST.items() if key != "itinerary"}, "itinerary"),
        ({**REQUEST, "advance": "99999.00"}, "advance"),
    ],
)
def test_a_travel_request_the_form_would_refuse_is_a_400_naming_the_field(client_as, staff, mission, body, field):
    response = _send(client_as(staff), _url(mission, "travel-request"), body, "put")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not TravelRequest.objects.filter(mission=mission).exists()


def test_the_traveller_submits_the_claim_and_the_project_manager_decides(
    client_as, expert, staff, project_manager, draft_claim
):
    mission = draft_claim.mission
    assert _send(client_as(expert), _url(mission, "claim/decision"), {"decision": "approve"}).status_code == 404
    response = _send(client_as(expert), _url(mission, "claim/submit"))
    assert response.status_code == 200, response.json()
    assert response.json()["claim"]["status"] == "submitted"
    assert _send(client_as(expert), _url(mission, "claim/submit")).status_code == 409
    manager = client_as(project_manager)
    response = _send(manager, _url(mission, "claim/decision"), {"decision": "reject", "comment": "Receipt unreadable."})
    assert response.status_code == 200 and Claim.objects.get(pk=draft_claim.pk).status == "rejected"
    assert (
        _send(
            manager, _url(mission, "claim/payment"), {"paid_on": "2026-06-02", "payment_reference": "PAY-1"}
        ).status_code
        == 409
    )


def test_staff_record_the_payment_of_an_approved_claim(client_as, staff, project_manager, submitted_claim):
    mission = submitted_claim.mission
    approved = _send(client_as(project_manager), _url(mission, "claim/decision"), {"decision": "approve"})
    assert approved.status_code == 200
    bad = _send(client_as(staff), _url(mission, "claim/payment"), {"paid_on": "yesterday"})
    assert bad.status_code == 400 and {"paid_on", "payment_reference"} <= set(bad.json())
    response = _send(
        client_as(staff),
        _url(mission, "claim/payment"),
        {"paid_on": str(timezone.localdate()), "payment_reference": "PAY-2026-0318"},
    )
    assert response.status_code == 200 and response.json()["claim"]["status"] == "paid"
    assert response.json()["claim"]["payment_reference"] == "PAY-2026-0318"


@pytest.mark.parametrize(
    ("tail", "method", "body"),
    [
        ("travel-request", "put", REQUEST),
        ("travel-request/submit", "post", {}),
        ("travel-request/decision", "post", {"decision": "approve"}),
        ("claim/submit", "post", {}),
        ("claim/decision", "post", {"decision": "approve"}),
        ("claim/payment", "post", {"paid_on": "2026-06-02", "payment_reference": "PAY-1"}),
    ],
)
def test_anyone_else_finds_nothing(
    client_as, other_contact_point, contact_point, other_expert, submitted_claim, tail, method, body
):
    url = _url(submitted_claim.mission, tail)
    assert _send(client_as(None), url, body, method).status_code == 401
    for user in (other_contact_point, contact_point, other_expert):
        assert _send(client_as(user), url, body, method).status_code == 404, user
    assert Claim.objects.get(pk=submitted_claim.pk).status == "submitted"
    assert TravelRequest.objects.get(mission=submitted_claim.mission).status == "approved"


def test_the_traveller_writes_no_travel_request(client_as, expert, mission):
    assert _send(client_as(expert), _url(mission, "travel-request"), REQUEST, "put").status_code == 404
    assert not TravelRequest.objects.filter(mission=mission).exists()
