"""The project manager approves many submitted claims or travel requests at once from the mission list."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from workshops.missions.models import Claim, TravelRequest

from .factories import ClaimFactory, MissionFactory, TravelRequestFactory

URL = reverse("missions:bulk_approve")


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_manager_approves_the_ticked_submitted_claims_and_is_told_about_the_others(
    client_as, project_manager, submitted_claim, staff, expert_profile, eager_tasks, django_capture_on_commit_callbacks
):
    # A second mission with a draft claim: refused with its reason; the submitted one is approved.
    other = MissionFactory(traveller_expert=expert_profile, created_by=staff, mission_number="MS-2025-0143")
    TravelRequestFactory(mission=other, approved=True, submitted_by=staff, decided_by=project_manager)
    ClaimFactory(mission=other)
    client = client_as(project_manager)
    assert URL in client.get(reverse("missions:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"action": "claims", "rows": [submitted_claim.mission_id, other.pk]})
    assert response.status_code == 302
    assert Claim.objects.get(pk=submitted_claim.pk).status == "approved"
    assert Claim.objects.get(mission=other).status == "draft"
    shown = _messages(response)
    assert "1 claim approved." in shown
    assert any("1 row was not changed" in m and "Only a submitted claim" in m for m in shown)
    assert len(mail.outbox) == 1  # the traveller of the approved claim is told


def test_manager_approves_submitted_travel_requests(client_as, project_manager, submitted_request):
    response = client_as(project_manager).post(URL, {"action": "requests", "rows": [submitted_request.mission_id]})
    assert TravelRequest.objects.get(pk=submitted_request.pk).status == "approved"
    assert "1 travel request approved." in _messages(response)


def test_unreadable_or_missing_rows_change_nothing(client_as, project_manager, submitted_claim):
    client = client_as(project_manager)
    assert "Tick at least one row." in _messages(client.post(URL, {"action": "claims"}))
    assert "could not be read" in " ".join(_messages(client.post(URL, {"action": "claims", "rows": ["x"]})))
    response = client.post(URL, {"action": "claims", "rows": [999999]})
    assert any("Not found." in m for m in _messages(response))
    assert Claim.objects.get(pk=submitted_claim.pk).status == "submitted"


def test_a_project_officer_is_refused_row_by_row(client_as, staff, submitted_claim):
    client = client_as(staff)
    assert URL not in client.get(reverse("missions:list")).content.decode()
    response = client.post(URL, {"action": "claims", "rows": [submitted_claim.mission_id]})
    assert any("Only the project manager" in m for m in _messages(response))
    assert Claim.objects.get(pk=submitted_claim.pk).status == "submitted"


@pytest.mark.parametrize("who", ["contact_point", "other_contact_point", "expert", "anonymous"])
def test_only_staff_reach_the_bulk_approval(client_as, request, who, submitted_claim):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_as(user).post(URL, {"action": "claims", "rows": [submitted_claim.mission_id]})
    if who == "anonymous":
        assert response.status_code == 302 and "login" in response.url
    else:
        assert response.status_code == 404
    assert Claim.objects.get(pk=submitted_claim.pk).status == "submitted"
