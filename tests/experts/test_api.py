"""/api/v1/experts/: the registry for WCO staff, with the staff list's filters."""

from datetime import date

import pytest
from rest_framework.authtoken.models import Token

from workshops.experts import services

from .factories import AvailabilityWindowFactory, ExpertFactory, ExpertiseAreaFactory, ExpertLanguageFactory

URL = "/api/v1/experts/"


@pytest.fixture
def registry(kenya, senegal):
    analytics = ExpertiseAreaFactory(code="data-analytics")
    amina = ExpertFactory(full_name="Amina Wanjiru", expertise_areas=[analytics], accreditation_status="accredited")
    ExpertLanguageFactory(expert=amina, language="en", level="C2")
    AvailabilityWindowFactory(expert=amina, start_date=date(2030, 6, 1), end_date=date(2030, 6, 30))
    AvailabilityWindowFactory(expert=amina, start_date=date(2001, 1, 1), end_date=date(2001, 1, 31))  # long past
    moussa = ExpertFactory(full_name="Moussa Diop", administration=None, nationality=senegal)
    ExpertLanguageFactory(expert=moussa, language="fr", level="native")
    AvailabilityWindowFactory(expert=moussa, start_date=date(2030, 6, 10), end_date=date(2030, 7, 10))
    ExpertFactory(full_name="Retired Trainer", is_active=False)
    return {"amina": amina, "moussa": moussa}


def _names(client, query=""):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return [row["full_name"] for row in response.json()["results"]]


def test_list_rows(client_as, staff, registry):
    body = client_as(staff).get(URL).json()
    assert body["count"] == 3
    amina = body["results"][0]
    assert amina == {
        "id": registry["amina"].pk,
        "full_name": "Amina Wanjiru",
        "email": registry["amina"].email,
        "phone": "",
        "user": None,
        "nationality": "KEN",
        "administration": "KEN",
        "regions": ["ESA"],
        "accreditation_status": "accredited",
        "is_active": True,
        "expertise_areas": ["data-analytics"],
        "languages": [{"language": "en", "level": "C2"}],
        "availability": [{"start_date": "2030-06-01", "end_date": "2030-06-30", "note": ""}],
        "has_cv": False,
    }
    assert body["results"][1]["regions"] == ["WCA"]
    assert body["results"][1]["administration"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("search=diop", ["Moussa Diop"]),
        ("expertise=data-analytics", ["Amina Wanjiru"]),
        ("language=fr", ["Moussa Diop"]),
        ("region=WCA", ["Moussa Diop"]),
        ("region=ESA", ["Amina Wanjiru", "Retired Trainer"]),
        ("accreditation=accredited", ["Amina Wanjiru"]),
        ("active=false", ["Retired Trainer"]),
        ("available_from=2030-06-12&available_to=2030-06-20", ["Amina Wanjiru", "Moussa Diop"]),
        ("available_from=2030-06-12&available_to=2030-07-05", ["Moussa Diop"]),
        ("available_to=2030-06-05", ["Amina Wanjiru"]),
        ("ordering=-full_name", ["Retired Trainer", "Moussa Diop", "Amina Wanjiru"]),
    ],
)
def test_filters_match_the_staff_list(client_as, staff, registry, query, expected):
    assert _names(client_as(staff), query) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("region=NOPE", "region"),
        ("language=xx", "language"),
        ("expertise=no-such-area", "expertise"),
        ("available_from=2030-06-20&available_to=2030-06-10", "available_to"),
        ("available_from=tomorrow", "available_from"),
    ],
)
def test_invalid_filters_are_refused(client_as, staff, registry, query, field):
    response = client_as(staff).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_detail_has_the_biography_and_accreditation_history(client_as, staff, project_manager, registry):
    moussa = registry["moussa"]
    services.expert_set_accreditation(expert=moussa, status="pre_accredited", on=date(2024, 5, 1), by=staff)
    services.expert_set_accreditation(
        expert=moussa, status="accredited", on=date(2025, 5, 1), by=project_manager, note="Assessed in Dakar"
    )
    body = client_as(staff).get(f"{URL}{moussa.pk}/").json()
    assert body["accreditation_status"] == "accredited"
    assert body["accreditation_history"] == [
        {
            "on": "2025-05-01",
            "from_status": "pre_accredited",
            "to_status": "accredited",
            "by": project_manager.email,
            "note": "Assessed in Dakar",
        },
        {"on": "2024-05-01", "from_status": "none", "to_status": "pre_accredited", "by": staff.email, "note": ""},
    ]
    assert "biography" in body


def test_token_authentication_for_staff(client, staff, registry):
    token = Token.objects.create(user=staff)
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_list_query_count_does_not_grow(client_as, staff, senegal, django_assert_max_num_queries):
    areas = [ExpertiseAreaFactory() for _ in range(3)]
    for n in range(35):
        expert = ExpertFactory(expertise_areas=areas[: 1 + n % 3], nationality=senegal if n % 2 else None)
        ExpertLanguageFactory(expert=expert, language="en")
        ExpertLanguageFactory(expert=expert, language="ar", level="B2")
        AvailabilityWindowFactory(expert=expert)
    client = client_as(staff)
    with django_assert_max_num_queries(8):
        response = client.get(f"{URL}?language=ar&region=ESA")
        assert response.json()["count"] == 35


def test_detail_query_count_does_not_grow(client_as, staff, django_assert_max_num_queries):
    expert = ExpertFactory(expertise_areas=[ExpertiseAreaFactory() for _ in range(5)])
    for language in ("en", "fr", "ar"):
        ExpertLanguageFactory(expert=expert, language=language)
    for status, day in (("pre_accredited", 1), ("accredited", 2), ("recognised", 3)):
        services.expert_set_accreditation(expert=expert, status=status, on=date(2025, 1, day), by=staff)
    client = client_as(staff)
    with django_assert_max_num_queries(8):
        assert client.get(f"{URL}{expert.pk}/").status_code == 200


def test_schema_documents_the_filters(client, db):
    schema = client.get("/api/schema/?format=json").json()
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/experts/"]["get"]["parameters"]}
    assert {"search", "expertise", "language", "region", "accreditation", "available_from", "available_to"} <= (
        parameters
    )
