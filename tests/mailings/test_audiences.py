"""Each audience resolves to the right people, once per address, and never to anyone else's."""

import datetime as dt

import pytest
from django.utils import timezone

from bacuda_portal.mailings import selectors
from bacuda_portal.members.models import Region
from tests.factories import ContactPointFactory, UserFactory

pytestmark = pytest.mark.django_db


def emails(recipients):
    return [recipient.email for recipient in recipients]


def test_a_workshops_participants_are_those_holding_or_waiting_for_a_seat(workshop, other_workshop):
    recipients = selectors.audience_recipients(audience="workshop_participants", workshop=workshop)
    assert emails(recipients) == ["achieng@kra.example", "awa@douanes.example", "brian@kra.example",
                                  "chebet@kra.example"]  # fmt: skip


def test_a_workshops_accepted_participants_only(workshop, other_workshop):
    recipients = selectors.audience_recipients(audience="workshop_accepted", workshop=workshop)
    assert emails(recipients) == ["achieng@kra.example", "awa@douanes.example"]
    assert [recipient.language for recipient in recipients] == ["en", "fr"]
    assert recipients[1].name == "Awa Diop" and recipients[1].administration == "Senegal"


def test_an_address_met_twice_is_written_to_once(workshop, monkeypatch):
    """The owning apps' rules keep an address once per audience today (a person is nominated once per
    workshop); the mailing does not rely on it: the first row of an address wins, whatever its case."""
    rows = [
        {"email": "achieng@kra.example", "name": "Achieng Otieno", "language": "en", "administration_name": "Kenya"},
        {"email": "ACHIENG@KRA.example ", "name": "A. Otieno", "language": "fr", "administration_name": "Kenya"},
        {"email": "awa@douanes.example", "name": "Awa Diop", "language": "fr", "administration_name": "Senegal"},
    ]
    monkeypatch.setattr(selectors.workshop_selectors, "workshop_recipients", lambda workshop, accepted_only: rows)
    recipients = selectors.audience_recipients(audience="workshop_accepted", workshop=workshop)
    assert emails(recipients) == ["achieng@kra.example", "awa@douanes.example"]
    assert recipients[0].name == "Achieng Otieno"


def test_a_regions_contact_points_are_its_administrations_active_ones(contact_point, other_contact_point, kenya, esa):
    ContactPointFactory(administration=kenya, user__email="old.cp@kra.example",
                        active_from=dt.date(2020, 1, 1), active_to=dt.date(2021, 1, 1))  # fmt: skip
    ContactPointFactory(administration=kenya, user=UserFactory(email="inactive@kra.example", is_active=False))
    recipients = selectors.audience_recipients(audience="region_contact_points", region=esa)
    assert emails(recipients) == ["cp.kenya@example.org"]
    wca = Region.objects.get(code="WCA")
    assert emails(selectors.audience_recipients(audience="region_contact_points", region=wca)) == [
        "cp.senegal@example.org"
    ]


def test_chosen_administrations_contact_points(
    contact_point, other_contact_point, french_contact_point, kenya, senegal
):
    only_senegal = selectors.audience_recipients(audience="administration_contact_points", administrations=[senegal])
    assert sorted(emails(only_senegal)) == ["cp.senegal@example.org", "cp2.senegal@example.org"]
    assert {r.email: r.language for r in only_senegal}["cp2.senegal@example.org"] == "fr"
    both = selectors.audience_recipients(audience="administration_contact_points", administrations=[kenya, senegal])
    assert sorted(emails(both)) == ["cp.kenya@example.org", "cp.senegal@example.org", "cp2.senegal@example.org"]


def test_a_calls_applicants_are_its_submitted_applications(call):
    recipients = selectors.audience_recipients(audience="call_applicants", call=call)
    assert sorted(emails(recipients)) == ["amina@example.org", "moussa@example.org"]
    assert {r.email: r.language for r in recipients} == {"amina@example.org": "en", "moussa@example.org": "fr"}


def test_erased_people_are_never_recipients(workshop, call):
    from scholarships.models import Application
    from workshops.models import Nomination

    Nomination.objects.filter(email="achieng@kra.example").update(email="erased-x-1@erased.invalid")
    Application.objects.filter(full_name="Amina Wanjiru").update(anonymised_at=timezone.now())
    assert "erased-x-1@erased.invalid" not in emails(
        selectors.audience_recipients(audience="workshop_accepted", workshop=workshop)
    )
    assert emails(selectors.audience_recipients(audience="call_applicants", call=call)) == ["moussa@example.org"]
