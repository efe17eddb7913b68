"""The workshop page's seat counts and quota lines, and the paging of the workshop list."""

import re

import pytest
from django.urls import reverse

from .factories import NominationFactory, WorkshopFactory


@pytest.fixture
def nominated(regional_workshop, kenya, senegal):
    """Kenya: two accepted, one wait-listed, one declined; Senegal: one nominated."""
    for status in ("accepted", "accepted", "waitlisted", "declined"):
        NominationFactory(workshop=regional_workshop, administration=kenya, status=status)
    NominationFactory(workshop=regional_workshop, administration=senegal, status="nominated")
    return regional_workshop


def _quota_lines(content: str) -> dict[str, str]:
    """Administration name -> the "Nominated" cell of its quota line."""
    section = content[content.index('id="beneficiaries-heading"') : content.index('id="agenda-heading"')]
    return dict(re.findall(r"<td>([^<]+)</td>\s*<td class=\"number\">(\d+)</td>", section))


@pytest.mark.parametrize("role", ["staff", "contact_point"])
def test_seat_counts_are_the_workshops_totals(client_as, cast, nominated, role):
    content = client_as(cast[role]).get(nominated.get_absolute_url()).content.decode()
    assert "2 accepted of 6; 1 on the wait list" in content


def test_staff_see_every_quota_line_with_the_nominations_that_count(client_as, staff, nominated):
    content = client_as(staff).get(nominated.get_absolute_url()).content.decode()
    assert _quota_lines(content) == {"Kenya": "3", "Senegal": "1"}  # declined ones free their place


def test_contact_point_sees_only_their_quota_line(client_as, contact_point, nominated):
    content = client_as(contact_point).get(nominated.get_absolute_url()).content.decode()
    assert _quota_lines(content) == {"Kenya": "3"}


def test_workshop_list_is_paged_by_twenty_five_and_paging_keeps_the_filters(client_as, staff, kenya):
    WorkshopFactory.create_batch(30, kind="national")
    client = client_as(staff)
    content = client.get(reverse("workshops:list") + "?kind=national").content.decode()
    assert "30 workshops" in content and "Page 1 of 2" in content
    assert "kind=national&amp;page=2" in content
    assert content.count('<td><a href="/en/workshops/') == 25
    second = client.get(reverse("workshops:list") + "?kind=national&page=2").content.decode()
    assert second.count('<td><a href="/en/workshops/') == 5


# --- What a trainer sees (issue 20: the participant list is shared with the trainers) --------------------------
@pytest.fixture
def trainer_world(regional_workshop, kenya, senegal, expert):
    from .factories import AssignmentFactory, ExpertFactory

    AssignmentFactory(workshop=regional_workshop, expert=ExpertFactory(user=expert), status="confirmed")
    NominationFactory(workshop=regional_workshop, administration=kenya, status="accepted", full_name="Achieng Otieno",
                      position="Risk analyst", email="achieng@kra.example")  # fmt: skip
    NominationFactory(workshop=regional_workshop, administration=senegal, status="accepted", full_name="Awa Sarr",
                      position="Inspectrice", email="awa@douanes.example")  # fmt: skip
    NominationFactory(workshop=regional_workshop, administration=kenya, status="waitlisted", full_name="Brian Mwangi")
    NominationFactory(workshop=regional_workshop, administration=kenya, status="accepted", full_name="Grace Njeri",
                      consent_to_list=False)  # fmt: skip
    return regional_workshop


def test_a_confirmed_trainer_sees_the_accepted_participants_without_contact_details(client_as, expert, trainer_world):
    page = client_as(expert).get(reverse("workshops:detail", args=[trainer_world.pk])).content.decode()
    section = page[page.index('id="trainer-participants-heading"') :]
    assert "Achieng Otieno" in section and "Risk analyst" in section and "Awa Sarr" in section
    assert "Brian Mwangi" not in page  # not accepted
    assert "Grace Njeri" not in page  # did not agree to appear on the list
    assert "achieng@kra.example" not in page and "awa@douanes.example" not in page
    assert "Your administration&#x27;s places" not in page and "Your administration's places" not in page


def test_a_trainer_who_has_not_confirmed_sees_no_participant(client_as, expert, trainer_world):
    trainer_world.assignments.update(status="proposed")
    page = client_as(expert).get(reverse("workshops:detail", args=[trainer_world.pk])).content.decode()
    assert "Achieng Otieno" not in page and 'id="trainer-participants-heading"' not in page


def test_contact_points_and_staff_do_not_get_the_trainers_list(client_as, cast, trainer_world):
    for role in ("staff", "contact_point"):
        page = client_as(cast[role]).get(reverse("workshops:detail", args=[trainer_world.pk])).content.decode()
        assert 'id="trainer-participants-heading"' not in page
        assert 'id="beneficiaries-heading"' in page
