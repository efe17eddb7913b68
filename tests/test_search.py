"""The portal's search box: every kind of thing is found by its words, best first, only where the user may see it;
the same tests run on SQLite (the fallback) and on PostgreSQL (full-text search) in CI."""

import pytest
from django.urls import reverse

from bacuda_portal.core.search import is_postgresql, query_words
from tests.algorithms.factories import AlgorithmFactory
from tests.elearning.factories import CourseFactory
from tests.scholarships.factories import SubmittedApplicationFactory
from tests.website.factories import NewsPostFactory
from tests.workshops.factories import ExpertFactory, NominationFactory, WorkshopFactory

URL = reverse("search")


def _results(client, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return {group["key"]: [hit.title for hit in group["hits"]] for group in response.context["groups"]}


@pytest.fixture
def portal(kenya, senegal):
    workshop = WorkshopFactory(title="Zanzibar risk management workshop", host_city="Zanzibar")
    return {
        "workshop": workshop,
        "kenyan": NominationFactory(workshop=workshop, full_name="Wanjiru Kamau Zanzibar"),
        "senegalese": NominationFactory(workshop=workshop, administration=senegal, full_name="Awa Zanzibar Ndiaye"),
        "expert": ExpertFactory(full_name="Zanzibar Expert Trainer"),
        "application": SubmittedApplicationFactory(full_name="Zanzibar Applicant Otieno"),
        "other_application": SubmittedApplicationFactory(full_name="Zanzibar Applicant Sow", administration=senegal),
        "course": CourseFactory(title_en="Zanzibar e-learning course"),
        "card": AlgorithmFactory(slug="zanzibar", name_en="Zanzibar model", publication="published"),
        "news": NewsPostFactory(title_en="Zanzibar news"),
    }


def test_staff_find_every_kind_of_thing(client, staff, portal):
    client.force_login(staff)
    found = _results(client, "zanzibar")
    assert found["workshops"] == ["Zanzibar risk management workshop"]
    assert sorted(found["participants"]) == ["Awa Zanzibar Ndiaye", "Wanjiru Kamau Zanzibar"]
    assert found["experts"] == ["Zanzibar Expert Trainer"]
    assert sorted(found["applications"]) == ["Zanzibar Applicant Otieno", "Zanzibar Applicant Sow"]
    assert found["courses"] == ["Zanzibar e-learning course"]
    assert found["cards"] == ["Zanzibar model"]
    assert found["news"] == ["Zanzibar news"]


def test_every_word_must_match_and_a_word_start_is_enough(client, staff, portal):
    client.force_login(staff)
    assert _results(client, "wanj kamau")["participants"] == ["Wanjiru Kamau Zanzibar"]
    assert "participants" not in _results(client, "wanjiru ndiaye")


def test_a_title_match_ranks_above_a_match_in_the_text(client, staff, kenya):
    ExpertFactory(full_name="Amina Odhiambo", biography="Trained with the valuation team of Mombasa.")
    ExpertFactory(full_name="Mombasa Valuation Lead")
    client.force_login(staff)
    assert _results(client, "mombasa")["experts"] == ["Mombasa Valuation Lead", "Amina Odhiambo"]


def test_a_contact_point_finds_only_their_administrations_people(client, contact_point, portal):
    client.force_login(contact_point)
    found = _results(client, "zanzibar")
    assert found["participants"] == ["Wanjiru Kamau Zanzibar"]
    assert found["applications"] == ["Zanzibar Applicant Otieno"]
    assert "experts" not in found and "courses" not in found
    assert found["workshops"] == ["Zanzibar risk management workshop"]  # Kenya benefits from it


def test_another_members_contact_point_sees_nothing_of_kenya(client, other_contact_point, portal):
    client.force_login(other_contact_point)
    found = _results(client, "zanzibar")
    assert found["participants"] == ["Awa Zanzibar Ndiaye"]
    assert found["applications"] == ["Zanzibar Applicant Sow"]
    assert "workshops" not in found  # Senegal is not a beneficiary of the workshop
    assert "Otieno" not in str(found) and "Wanjiru" not in str(found)


def test_an_applicant_finds_public_things_and_their_own_application(client, portal):
    client.force_login(portal["application"].applicant)
    found = _results(client, "zanzibar")
    assert found["applications"] == ["Zanzibar Applicant Otieno"]
    assert set(found) == {"applications", "cards", "news"}


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL, {"q": "zanzibar"})
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("query", ["a", "   ", "&|!", "'); DROP TABLE x; --", "zan:* & !bar | (x"])
def test_operators_and_short_words_never_reach_the_database_as_syntax(client, staff, portal, query):
    client.force_login(staff)
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    if query.strip() and not query_words(query):
        assert "Type at least one word" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_matches(client, staff, kenya, django_assert_max_num_queries):
    client.force_login(staff)
    workshop = WorkshopFactory(title="Kilimanjaro workshop")
    NominationFactory(workshop=workshop, full_name="Kilimanjaro One")
    with django_assert_max_num_queries(20) as few:
        client.get(URL, {"q": "kilimanjaro"})
    for number in range(12):
        NominationFactory(workshop=workshop, full_name=f"Kilimanjaro Person {number}")
        ExpertFactory(full_name=f"Kilimanjaro Expert {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"q": "kilimanjaro"})
    assert len(response.context["groups"][1]["hits"]) == 10  # the best ten per kind


def test_the_backend_in_use_is_named(db):
    assert is_postgresql() in (True, False)  # CI runs this module on both; the fixtures above cover each path
