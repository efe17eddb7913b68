"""The REST API under /api/v1/: public reference data, contact points scoped by the access layer."""

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import ContactPointFactory


def _get(client_as, user, url):
    return client_as(user).get(url, HTTP_ACCEPT="application/json")


@pytest.mark.parametrize("role", ["anonymous", "staff", "contact_point", "other_contact_point", "applicant"])
def test_regions_are_public_reference_data(client_as, cast, role):
    response = _get(client_as, cast[role], "/api/v1/regions/")
    assert response.status_code == 200
    regions = {row["code"]: row for row in response.json()}
    assert set(regions) == {"AMS", "AP", "ESA", "EUR", "MENA", "WCA"}
    assert regions["WCA"]["name_fr"] == "Afrique occidentale et centrale"
    assert sum(row["member_count"] for row in regions.values()) == 186


@pytest.mark.parametrize("role", ["anonymous", "staff", "contact_point", "other_contact_point"])
def test_administrations_are_public_and_paginated(client_as, cast, role):
    response = _get(client_as, cast[role], "/api/v1/administrations/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 186
    assert len(body["results"]) == 50
    assert body["next"]


def test_administration_filters_and_search(client, db):
    body = client.get("/api/v1/administrations/?region=MENA&page_size=100").json()
    assert body["count"] == 18
    assert {row["region"] for row in body["results"]} == {"MENA"}
    body = client.get("/api/v1/administrations/?search=kenya").json()
    assert [row["code"] for row in body["results"]] == ["KEN"]
    body = client.get("/api/v1/administrations/KEN/").json()
    assert body["iso_alpha2"] == "KE"
    assert body["is_member"] is True


def test_administrations_api_has_no_personal_data(client, contact_point):
    body = client.get("/api/v1/administrations/KEN/").json()
    assert contact_point.email not in str(body)


def test_administrations_are_read_only(client_as, staff):
    response = client_as(staff).post("/api/v1/administrations/", {"code": "ZZZ"}, content_type="application/json")
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("role", "expected_emails"),
    [
        ("staff", {"cp.kenya@example.org", "cp2.kenya@example.org", "cp.senegal@example.org"}),
        ("contact_point", {"cp.kenya@example.org", "cp2.kenya@example.org"}),
        ("other_contact_point", {"cp.senegal@example.org"}),
        ("applicant", set()),
        ("expert", set()),
    ],
)
def test_contact_points_are_scoped_to_the_users_administration(client_as, cast, colleague, role, expected_emails):
    response = _get(client_as, cast[role], "/api/v1/contact-points/")
    assert response.status_code == 200
    assert {row["email"] for row in response.json()["results"]} == expected_emails


def test_contact_point_detail_of_another_administration_is_not_found(client_as, contact_point, other_contact_point):
    other_id = other_contact_point.contact_point.pk
    assert _get(client_as, contact_point, f"/api/v1/contact-points/{other_id}/").status_code == 404
    own_id = contact_point.contact_point.pk
    assert _get(client_as, contact_point, f"/api/v1/contact-points/{own_id}/").status_code == 200


def test_contact_points_need_authentication(client, db):
    assert client.get("/api/v1/contact-points/").status_code == 401
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize(
    ("role", "administration", "is_staff"),
    [
        ("staff", None, True),
        ("contact_point", "KEN", False),
        ("other_contact_point", "SEN", False),
        ("applicant", None, False),
    ],
)
def test_me(client_as, cast, role, administration, is_staff):
    body = _get(client_as, cast[role], "/api/v1/me/").json()
    assert body["email"] == cast[role].email
    assert body["is_wco_staff"] is is_staff
    assert (body["administration"] or {}).get("code") == administration


def test_token_authentication(client, contact_point, other_contact_point):
    token = Token.objects.create(user=contact_point)
    response = client.get("/api/v1/contact-points/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert {row["email"] for row in response.json()["results"]} == {contact_point.email}
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_api_token_page_creates_shows_once_and_revokes(client_as, contact_point):
    client = client_as(contact_point)
    response = client.post("/en/account/api-token/", {"action": "create"})
    token = Token.objects.get(user=contact_point)
    assert token.key in response.content.decode()
    assert token.key not in client.get("/en/account/api-token/").content.decode()
    client.post("/en/account/api-token/", {"action": "revoke"})
    assert not Token.objects.filter(user=contact_point).exists()


def test_contact_point_list_query_count_does_not_grow(client_as, staff, kenya, django_assert_max_num_queries):
    ContactPointFactory.create_batch(40, administration=kenya)
    client = client_as(staff)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/contact-points/").status_code == 200


def test_openapi_schema_and_docs(client, db):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/administrations/" in paths
    assert "/api/v1/contact-points/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.content.decode()
    assert "cdn" not in docs.content.decode().lower()
