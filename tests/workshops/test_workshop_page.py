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
