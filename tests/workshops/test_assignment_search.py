"""The "find an expert to assign" page: who may use it, how it narrows the registry, and assigning from it."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.experts.factories import (
    AvailabilityWindowFactory,
    ExpertFactory,
    ExpertiseAreaFactory,
    ExpertLanguageFactory,
)
from workshops.enums import AssignmentStatus

from .factories import AssignmentFactory, WorkshopFactory

ROLES = ["anonymous", "staff", "contact_point", "other_contact_point", "expert", "applicant"]


def _search_url(workshop, query=""):
    return reverse("workshops:assignment_search", args=[workshop.pk]) + (f"?{query}" if query else "")


def _listed_names(content: str) -> list[str]:
    return re.findall(r'<td><a href="/en/experts/\d+/">([^<]+)</a></td>', content)


@pytest.fixture
def registry(workshop, kenya, senegal):
    """Experts who differ in every filter; Amina is free over the workshop dates, Moussa is not."""
    analytics = ExpertiseAreaFactory(code="data-analytics")
    valuation = ExpertiseAreaFactory(code="valuation")
    amina = ExpertFactory(full_name="Amina Wanjiru", expertise_areas=[analytics])
    ExpertLanguageFactory(expert=amina, language="en", level="C2")
    AvailabilityWindowFactory(
        expert=amina,
        start_date=workshop.start_date - dt.timedelta(days=3),
        end_date=workshop.end_date + dt.timedelta(days=3),
    )
    moussa = ExpertFactory(
        full_name="Moussa Diop", administration=senegal, nationality=senegal, expertise_areas=[valuation]
    )
    ExpertLanguageFactory(expert=moussa, language="fr", level="native")
    ExpertFactory(full_name="Retired Trainer", is_active=False)
    return {"amina": amina, "moussa": moussa}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("staff", 200), ("contact_point", 404), ("other_contact_point", 404),
     ("expert", 404), ("applicant", 404)],
)  # fmt: skip
def test_only_staff_find_experts_to_assign(client_as, cast, workshop, assigned_expert, role, expected):
    response = client_as(cast[role]).get(_search_url(workshop))
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


def test_the_workshop_page_links_to_the_search_instead_of_a_select_of_every_expert(client_as, staff, workshop):
    ExpertFactory.create_batch(3)
    content = client_as(staff).get(workshop.get_absolute_url()).content.decode()
    assert _search_url(workshop) in content
    assert 'name="expert"' not in content


def test_lists_active_experts_with_what_a_choice_needs(client_as, staff, workshop, registry):
    content = client_as(staff).get(_search_url(workshop)).content.decode()
    assert _listed_names(content) == ["Amina Wanjiru", "Moussa Diop"]  # the inactive one cannot be assigned
    assert "2 active experts" in content
    assert "Kenya" in content and "Senegal" in content
    assert "English C2" in content and "French native" in content
    assert "Data analytics" in content and "Customs valuation" in content
    amina_row = content[content.index("Amina Wanjiru") : content.index("Moussa Diop")]
    moussa_row = content[content.index("Moussa Diop") :]
    assert "<td>Yes" in amina_row and "No availability recorded" not in amina_row
    assert "No availability recorded" in moussa_row.split("</tr>")[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=wanjiru", ["Amina Wanjiru"]),
        ("expertise=valuation", ["Moussa Diop"]),
        ("language=en", ["Amina Wanjiru"]),
        ("region=WCA", ["Moussa Diop"]),
        ("language=fr&region=ESA", []),
    ],
)
def test_search_narrows_the_experts(client_as, staff, workshop, registry, query, expected):
    content = client_as(staff).get(_search_url(workshop, query)).content.decode()
    assert _listed_names(content) == expected


def test_availability_over_the_workshop_dates_is_one_click_and_can_be_cleared(client_as, staff, workshop, registry):
    client = client_as(staff)
    content = client.get(_search_url(workshop, "language=en")).content.decode()
    dates = f"available_from={workshop.start_date.isoformat()}&amp;available_to={workshop.end_date.isoformat()}"
    assert f"?language=en&amp;{dates}" in content
    filtered = client.get(_search_url(workshop, dates.replace("&amp;", "&"))).content.decode()
    assert _listed_names(filtered) == ["Amina Wanjiru"]
    assert f'value="{workshop.start_date.isoformat()}"' in filtered  # shown in the form, where it can be cleared
    cleared = client.get(_search_url(workshop, "available_from=&available_to=")).content.decode()
    assert _listed_names(cleared) == ["Amina Wanjiru", "Moussa Diop"]


def test_assigned_and_double_booked_experts_are_marked(client_as, staff, workshop, registry):
    AssignmentFactory(workshop=workshop, expert=registry["amina"], role="lead_trainer")
    elsewhere = WorkshopFactory(start_date=workshop.start_date, end_date=workshop.end_date)
    AssignmentFactory(workshop=elsewhere, expert=registry["moussa"])
    content = client_as(staff).get(_search_url(workshop)).content.decode()
    amina_row = content[content.index("Amina Wanjiru") : content.index("Moussa Diop")]
    moussa_row = content[content.index("Moussa Diop") :].split("</tr>")[0]
    assert "Lead trainer: Awaiting the expert&#x27;s confirmation" in amina_row
    assert 'name="expert"' not in amina_row  # already assigned: no second "Assign" button
    assert "Assigned to another workshop on these dates" in moussa_row
    assert f'name="expert" value="{registry["moussa"].pk}"' in moussa_row


def test_assign_from_the_search_page(client_as, staff, workshop, registry):
    client = client_as(staff)
    content = client.get(_search_url(workshop, "q=diop")).content.decode()
    form = re.search(r'<form method="post" action="([^"]+/experts/)".*?</form>', content, re.S)
    assert form.group(1) == reverse("workshops:assignment_create", args=[workshop.pk])
    expert_id = re.search(r'name="expert" value="(\d+)"', form.group(0)).group(1)
    assert 'name="role"' in form.group(0) and 'value="resource_person"' in form.group(0)
    response = client.post(form.group(1), {"expert": expert_id, "role": "resource_person"})
    assert response.status_code == 302 and response["Location"] == workshop.get_absolute_url()
    assignment = workshop.assignments.get()
    assert assignment.expert == registry["moussa"]
    assert (assignment.role, assignment.status) == ("resource_person", AssignmentStatus.PROPOSED)


def test_inactive_expert_cannot_be_assigned_by_a_forged_post(client_as, staff, workshop):
    retired = ExpertFactory(is_active=False)
    client_as(staff).post(
        reverse("workshops:assignment_create", args=[workshop.pk]), {"expert": retired.pk, "role": "trainer"}
    )
    assert not workshop.assignments.exists()


def test_paged_by_twenty_and_paging_keeps_the_filters(client_as, staff, workshop, kenya):
    ExpertFactory.create_batch(25)
    client = client_as(staff)
    content = client.get(_search_url(workshop, "region=ESA")).content.decode()
    assert len(_listed_names(content)) == 20
    assert "Page 1 of 2" in content and "region=ESA&amp;page=2" in content
    assert len(_listed_names(client.get(_search_url(workshop, "region=ESA&page=2")).content.decode())) == 5


def test_search_query_count_does_not_grow(client_as, staff, workshop, django_assert_max_num_queries):
    areas = [ExpertiseAreaFactory(code="data-analytics"), ExpertiseAreaFactory(code="valuation")]
    for expert in ExpertFactory.create_batch(20, expertise_areas=areas):
        ExpertLanguageFactory(expert=expert, language="en")
        ExpertLanguageFactory(expert=expert, language="fr")
        AvailabilityWindowFactory(expert=expert)
        AssignmentFactory(expert=expert)
    client = client_as(staff)
    # session, user, workshop, expertise areas and regions (the filters), count, page, expertise, languages
    with django_assert_max_num_queries(9):
        response = client.get(_search_url(workshop, "expertise=valuation&region=ESA&q=e"))
    assert response.status_code == 200 and len(_listed_names(response.content.decode())) == 20
