"""Staff decide many nominations at once: one transaction per row, a summary of what succeeded and why each failure
failed, nothing half-done."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from workshops.enums import NominationStatus

from .factories import NominationFactory, WorkshopFactory


def _bulk(client, workshop, action, nominations):
    return client.post(
        reverse("workshops:nominations_bulk", args=[workshop.pk]),
        {"action": action, "rows": [n.pk for n in nominations]},
    )


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_staff_accept_the_ticked_people_until_the_seats_are_taken(client_as, staff):
    workshop = WorkshopFactory(seats=2)
    first, second, third = (NominationFactory(workshop=workshop, full_name=f"Person {n}") for n in range(3))
    declined = NominationFactory(workshop=workshop, full_name="Declined person", status=NominationStatus.DECLINED)
    response = _bulk(client_as(staff), workshop, "accept", [third, declined, first, second])
    assert response.status_code == 302
    statuses = {n.full_name: n.status for n in workshop.nominations.all()}
    # In nomination order: the first two take the two seats; the third and the declined one are refused.
    assert statuses == {
        "Person 0": "accepted",
        "Person 1": "accepted",
        "Person 2": "nominated",
        "Declined person": "declined",
    }
    shown = _messages(response)
    assert "2 people accepted." in shown
    assert any(
        "2 rows were not changed" in m and "Person 2: All 2 seats are taken" in m and "Declined person: Only a" in m
        for m in shown
    )
    assert AuditEntry.objects.filter(action="workshops.nomination.accepted").count() == 2


def test_wait_list_and_decline_in_bulk(client_as, staff, workshop):
    people = [NominationFactory(workshop=workshop) for _ in range(3)]
    client = client_as(staff)
    _bulk(client, workshop, "waitlist", people[:2])
    response = _bulk(client, workshop, "decline", people)
    assert {n.status for n in workshop.nominations.all()} == {"declined"}
    assert "3 nominations declined." in _messages(response)


def test_rows_of_another_workshop_or_no_action_change_nothing(client_as, staff, workshop, senegal_workshop):
    mine = NominationFactory(workshop=workshop)
    theirs = NominationFactory(workshop=senegal_workshop, administration=senegal_workshop.beneficiaries.first())
    client = client_as(staff)
    response = _bulk(client, workshop, "accept", [mine, theirs])
    assert "not on this page any more" in " ".join(_messages(response))
    response = _bulk(client, workshop, "", [mine])
    assert "Choose what to do with the ticked rows." in _messages(response)
    response = _bulk(client, workshop, "accept", [])
    assert "Tick at least one row." in _messages(response)
    assert {n.status for n in (mine, theirs)} == {"nominated"}
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == theirs.status == "nominated"


@pytest.mark.parametrize("who", ["contact_point", "other_contact_point", "expert", "anonymous"])
def test_only_staff_decide_in_bulk(client_as, request, who, workshop):
    nomination = NominationFactory(workshop=workshop)
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = _bulk(client_as(user), workshop, "accept", [nomination])
    if who == "anonymous":
        assert response.status_code == 302 and "login" in response.url
    else:
        assert response.status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOMINATED


def test_the_workshop_page_offers_the_bulk_bar_to_staff_only(client_as, staff, contact_point, workshop):
    NominationFactory(workshop=workshop)
    url = reverse("workshops:nominations_bulk", args=[workshop.pk])
    assert url in client_as(staff).get(workshop.get_absolute_url()).content.decode()
    assert url not in client_as(contact_point).get(workshop.get_absolute_url()).content.decode()
