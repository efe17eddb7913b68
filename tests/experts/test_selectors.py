"""``expert_search``: every filter on its own, together, and the meaning of "available for a period"."""

from datetime import date

import pytest

from bacuda_portal.members.models import Administration
from workshops.experts import selectors
from workshops.experts.enums import AccreditationStatus

from .factories import AvailabilityWindowFactory, ExpertFactory, ExpertiseAreaFactory, ExpertLanguageFactory


def _names(**filters) -> list[str]:
    return [expert.full_name for expert in selectors.expert_search(**filters)]


@pytest.fixture
def analytics(db):
    return ExpertiseAreaFactory(code="data-analytics")


@pytest.fixture
def valuation(db):
    return ExpertiseAreaFactory(code="valuation")


def test_without_filters_every_expert_is_listed_by_name(db):
    for name in ("Carla", "Anna", "Bruno"):
        ExpertFactory(full_name=name)
    assert _names() == ["Anna", "Bruno", "Carla"]


@pytest.mark.parametrize("search", ["wanjiru", "AMINA.W@", "Kenya", "KEN"])
def test_search_by_name_email_or_administration(db, senegal, search):
    ExpertFactory(full_name="Amina Wanjiru", email="amina.w@kra.go.ke")
    ExpertFactory(full_name="Moussa Diop", email="moussa@douanes.sn", administration=senegal, nationality=senegal)
    assert _names(search=search) == ["Amina Wanjiru"]


def test_search_by_administration_in_french(db, senegal):
    ExpertFactory(full_name="Moussa Diop", administration=senegal)
    ExpertFactory(full_name="Amina Wanjiru")
    assert _names(search="Sénégal") == ["Moussa Diop"]


def test_filter_by_expertise(analytics, valuation):
    ExpertFactory(full_name="Both", expertise_areas=[analytics, valuation])
    ExpertFactory(full_name="Analytics only", expertise_areas=[analytics])
    ExpertFactory(full_name="Valuation only", expertise_areas=[valuation])
    ExpertFactory(full_name="None")
    assert _names(expertise=analytics) == ["Analytics only", "Both"]


def test_filter_by_language_at_any_level(db):
    french_native = ExpertFactory(full_name="Native")
    ExpertLanguageFactory(expert=french_native, language="fr", level="native")
    ExpertLanguageFactory(expert=french_native, language="en", level="B2")
    french_beginner = ExpertFactory(full_name="Beginner")
    ExpertLanguageFactory(expert=french_beginner, language="fr", level="A1")
    english_only = ExpertFactory(full_name="English only")
    ExpertLanguageFactory(expert=english_only, language="en", level="C2")
    assert _names(language="fr") == ["Beginner", "Native"]
    assert _names(language="ar") == []


def test_filter_by_region_of_the_administration_or_the_nationality(db, kenya, senegal):
    france = Administration.objects.get(code="FRA")
    ExpertFactory(full_name="Kenyan in Kenya", administration=kenya, nationality=kenya)
    ExpertFactory(full_name="Senegalese in France", administration=france, nationality=senegal)
    ExpertFactory(full_name="Senegalese consultant", administration=None, nationality=senegal)
    ExpertFactory(full_name="Unknown origin", administration=None, nationality=None)
    assert _names(region="WCA") == ["Senegalese consultant", "Senegalese in France"]
    assert _names(region="EUR") == ["Senegalese in France"]
    assert _names(region="ESA") == ["Kenyan in Kenya"]
    assert _names(region="AMS") == []


def test_filter_by_accreditation(db):
    ExpertFactory(full_name="Accredited", accreditation_status=AccreditationStatus.ACCREDITED)
    ExpertFactory(full_name="Pre-accredited", accreditation_status=AccreditationStatus.PRE_ACCREDITED)
    ExpertFactory(full_name="Not accredited")
    assert _names(accreditation="accredited") == ["Accredited"]
    assert _names(accreditation="none") == ["Not accredited"]


def test_filter_by_active(db):
    ExpertFactory(full_name="Active")
    ExpertFactory(full_name="Retired trainer", is_active=False)
    assert _names(active=True) == ["Active"]
    assert _names(active=False) == ["Retired trainer"]
    assert _names(active=None) == ["Active", "Retired trainer"]


@pytest.fixture
def june_expert(db):
    """Available from 1 to 30 June 2030, both days included."""
    expert = ExpertFactory(full_name="June")
    AvailabilityWindowFactory(expert=expert, start_date=date(2030, 6, 1), end_date=date(2030, 6, 30))
    return expert


@pytest.mark.parametrize(
    ("available_from", "available_to", "available"),
    [
        (date(2030, 6, 1), date(2030, 6, 30), True),  # exactly the window
        (date(2030, 6, 10), date(2030, 6, 14), True),  # inside
        (date(2030, 6, 30), date(2030, 6, 30), True),  # the last day
        (date(2030, 5, 31), date(2030, 6, 10), False),  # starts the day before the window
        (date(2030, 6, 20), date(2030, 7, 1), False),  # ends the day after the window
        (date(2030, 5, 1), date(2030, 7, 31), False),  # around the window
        (date(2030, 7, 1), date(2030, 7, 5), False),  # after it
        (date(2030, 6, 15), None, True),  # one day only
        (None, date(2030, 7, 1), False),  # one day only, outside
    ],
)
def test_available_means_one_window_covers_the_whole_period(june_expert, available_from, available_to, available):
    assert _names(available_from=available_from, available_to=available_to) == (["June"] if available else [])


def test_two_windows_that_together_cover_a_period_do_not_count_as_available(db):
    expert = ExpertFactory(full_name="Split")
    AvailabilityWindowFactory(expert=expert, start_date=date(2030, 6, 1), end_date=date(2030, 6, 15))
    AvailabilityWindowFactory(expert=expert, start_date=date(2030, 6, 17), end_date=date(2030, 6, 30))
    assert _names(available_from=date(2030, 6, 10), available_to=date(2030, 6, 20)) == []
    assert _names(available_from=date(2030, 6, 20), available_to=date(2030, 6, 25)) == ["Split"]


def test_an_expert_with_several_matching_rows_is_listed_once(analytics):
    expert = ExpertFactory(full_name="Many", expertise_areas=[analytics])
    for language in ("en", "fr", "es"):
        ExpertLanguageFactory(expert=expert, language=language)
    AvailabilityWindowFactory(expert=expert, start_date=date(2030, 1, 1), end_date=date(2030, 1, 31))
    AvailabilityWindowFactory(expert=expert, start_date=date(2030, 3, 1), end_date=date(2030, 3, 31))
    assert _names(expertise=analytics, language="fr", available_from=date(2030, 3, 2), region="ESA") == ["Many"]


def test_filters_combine(analytics, senegal):
    match = ExpertFactory(full_name="Match", expertise_areas=[analytics], accreditation_status="accredited")
    ExpertLanguageFactory(expert=match, language="fr", level="C1")
    AvailabilityWindowFactory(expert=match, start_date=date(2030, 6, 1), end_date=date(2030, 6, 30))
    wrong_language = ExpertFactory(full_name="Wrong language", expertise_areas=[analytics])
    ExpertLanguageFactory(expert=wrong_language, language="en", level="C1")
    AvailabilityWindowFactory(expert=wrong_language, start_date=date(2030, 6, 1), end_date=date(2030, 6, 30))
    assert _names(
        expertise=analytics,
        language="fr",
        region="ESA",
        accreditation="accredited",
        available_from=date(2030, 6, 5),
        available_to=date(2030, 6, 9),
    ) == ["Match"]


def test_list_preloads_what_a_row_shows(analytics, django_assert_num_queries):
    for _ in range(5):
        expert = ExpertFactory(expertise_areas=[analytics])
        ExpertLanguageFactory(expert=expert)
        AvailabilityWindowFactory(expert=expert, start_date=date(2099, 1, 1), end_date=date(2099, 2, 1))
    with django_assert_num_queries(4):  # experts with their joins, then expertise, languages, availability
        for expert in selectors.expert_search():
            assert expert.administration.region.code and expert.nationality.region.code
            assert [area.code for area in expert.expertise_areas.all()] == ["data-analytics"]
            assert len(expert.languages.all()) == 1
            assert len(expert.upcoming_availability) == 1
