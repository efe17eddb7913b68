"""Contact points nominate officials within their quota; staff accept, wait-list or decline."""

import pytest
from django.urls import reverse

from bacuda_portal.core.exceptions import TransitionError
from workshops import services
from workshops.enums import NominationStatus, WorkshopStatus
from workshops.models import Nomination

from .factories import NominationFactory, WorkshopFactory


def _nominate(client, workshop, **overrides):
    data = {
        "full_name": "Achieng Otieno",
        "gender": "female",
        "position": "Risk analyst",
        "email": "achieng.otieno@kra.example",
        "language": "en",
        "consent_to_list": "on",
        **overrides,
    }
    return client.post(reverse("workshops:nomination_create", args=[workshop.pk]), data)


def test_contact_point_nominates_two_officials(client_as, contact_point, workshop, kenya):
    client = client_as(contact_point)
    assert _nominate(client, workshop).status_code == 302
    assert (
        _nominate(client, workshop, full_name="Brian Mwangi", gender="male", email="brian@kra.example").status_code
        == 302
    )
    nominations = list(Nomination.objects.order_by("created_at"))
    assert [n.full_name for n in nominations] == ["Achieng Otieno", "Brian Mwangi"]
    assert all(n.administration == kenya and n.nominated_by == contact_point for n in nominations)
    assert nominations[0].consent_to_list is True
    content = client.get(workshop.get_absolute_url()).content.decode()
    assert "Achieng Otieno" in content and "Brian Mwangi" in content


def test_over_quota_is_refused_and_keeps_input(client_as, contact_point, workshop):
    for _ in range(5):
        NominationFactory(workshop=workshop)
    response = _nominate(client_as(contact_point), workshop)
    assert response.status_code == 400
    content = response.content.decode()
    assert "quota of 5 nominations" in content
    assert 'value="Achieng Otieno"' in content
    assert Nomination.objects.count() == 5


def test_withdrawn_and_declined_nominations_free_the_quota(client_as, contact_point, staff, workshop):
    nominations = [NominationFactory(workshop=workshop) for _ in range(5)]
    services.nomination_withdraw(nomination=nominations[0], by=contact_point)
    assert _nominate(client_as(contact_point), workshop).status_code == 302


def test_same_person_twice_is_refused(client_as, contact_point, workshop):
    client = client_as(contact_point)
    _nominate(client, workshop)
    response = _nominate(client, workshop, email="ACHIENG.OTIENO@kra.example", full_name="Same person")
    assert response.status_code == 400
    assert "already nominated" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_a_withdrawn_person_can_be_nominated_again(contact_point, workshop, kenya):
    first = services.nomination_create(workshop=workshop, administration=kenya, by=contact_point, full_name="A",
                                       gender="male", position="P", email="a@x.example", language="en",
                                       consent_to_list=False)  # fmt: skip
    services.nomination_withdraw(nomination=first, by=contact_point)
    again = services.nomination_create(workshop=workshop, administration=kenya, by=contact_point, full_name="A",
                                       gender="male", position="P", email="a@x.example", language="en",
                                       consent_to_list=False)  # fmt: skip
    assert again.status == NominationStatus.NOMINATED


def test_cannot_nominate_for_another_administrations_workshop(client_as, contact_point, senegal_workshop):
    assert _nominate(client_as(contact_point), senegal_workshop).status_code == 404
    assert not Nomination.objects.exists()


def test_nominations_close_with_the_workshop(client_as, contact_point, workshop):
    workshop.status = WorkshopStatus.DELIVERED
    workshop.save()
    response = _nominate(client_as(contact_point), workshop)
    assert response.status_code == 400
    assert "Nominations are closed" in response.content.decode()


def test_invalid_nomination_keeps_what_was_typed(client_as, contact_point, workshop):
    response = _nominate(client_as(contact_point), workshop, email="not-an-email")
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="not-an-email"' in content and 'value="Risk analyst"' in content


def test_staff_accept_and_the_participant_gets_practical_information(
    client_as, staff, workshop, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    nomination = NominationFactory(workshop=workshop, email="participant@kra.example")
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(reverse("workshops:nomination_decide", args=[nomination.pk, "accept"]))
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.ACCEPTED and nomination.decided_by == staff
    assert mailoutbox[0].to == ["participant@kra.example"]
    assert "Nairobi" in mailoutbox[0].body and workshop.title in mailoutbox[0].subject


def test_accepting_beyond_the_seats_is_refused(staff, kenya):
    workshop = WorkshopFactory(seats=1)
    first, second = NominationFactory(workshop=workshop), NominationFactory(workshop=workshop)
    services.nomination_accept(nomination=first, by=staff)
    with pytest.raises(TransitionError, match="seats are taken"):
        services.nomination_accept(nomination=second, by=staff)


def test_a_freed_seat_goes_to_the_first_on_the_wait_list(client_as, staff, kenya):
    workshop = WorkshopFactory(seats=1)
    holder = NominationFactory(workshop=workshop, full_name="Seat holder")
    first_waiting = NominationFactory(workshop=workshop, full_name="First waiting")
    second_waiting = NominationFactory(workshop=workshop, full_name="Second waiting")
    services.nomination_accept(nomination=holder, by=staff)
    services.nomination_waitlist(nomination=first_waiting, by=staff)
    services.nomination_waitlist(nomination=second_waiting, by=staff)
    services.nomination_decline(nomination=holder, by=staff)
    client_as(staff).post(reverse("workshops:nomination_offer_next", args=[workshop.pk]))
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == NominationStatus.ACCEPTED
    assert second_waiting.status == NominationStatus.WAITLISTED


def test_offer_next_with_an_empty_wait_list_says_so(client_as, staff, workshop):
    response = client_as(staff).post(reverse("workshops:nomination_offer_next", args=[workshop.pk]), follow=True)
    assert "Nobody is on the wait list." in response.content.decode()


def test_decided_nomination_cannot_be_decided_again(staff, workshop):
    nomination = NominationFactory(workshop=workshop)
    services.nomination_decline(nomination=nomination, by=staff)
    with pytest.raises(TransitionError):
        services.nomination_accept(nomination=nomination, by=staff)


def test_decisions_close_with_the_workshop(client_as, staff, workshop):
    nomination = NominationFactory(workshop=workshop, status="accepted")
    workshop.status = WorkshopStatus.DELIVERED
    workshop.save()
    with pytest.raises(TransitionError, match="closed"):
        services.nomination_decline(nomination=nomination, by=staff)
    content = client_as(staff).get(workshop.get_absolute_url()).content.decode()
    assert reverse("workshops:nomination_decide", args=[nomination.pk, "decline"]) not in content
