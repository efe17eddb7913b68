"""The staff list of administrations and the administration page that contact points land on."""

import csv
import io

import pytest
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from tests.factories import ContactPointFactory, InvitationFactory

LIST_URL = reverse("members:administration_list")


def test_list_shows_all_members_paged(client_as, staff):
    response = client_as(staff).get(LIST_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "186 administrations" in content
    assert "Page 1 of 4" in content
    assert content.count("<tr>\n        <td>") == 50


@pytest.mark.parametrize(
    ("query", "expected_count", "expected_present"),
    [
        ("q=ken", 1, "Kenya"),
        ("q=KE", 1, "Kenya"),  # an ISO alpha-2 code
        ("q=sénégal", 1, "Senegal"),  # French name
        ("region=MENA", 18, "Morocco"),
        ("kind=customs_territory", 4, "Bermuda"),
        ("kind=union", 1, "European Union"),
    ],
)
def test_list_search_and_filters(client_as, staff, query, expected_count, expected_present):
    response = client_as(staff).get(f"{LIST_URL}?{query}")
    content = response.content.decode()
    assert f"{expected_count} administration" in content
    assert expected_present in content


def test_list_filters_retired_members(client_as, staff, kenya):
    from bacuda_portal.members import services

    services.administration_retire(administration=kenya, by=staff)
    content = client_as(staff).get(f"{LIST_URL}?status=retired").content.decode()
    assert "1 administration" in content and "Kenya" in content
    assert "185 administrations" in client_as(staff).get(f"{LIST_URL}?status=current").content.decode()


def test_list_rows_link_each_administration_with_its_kind_and_status(client_as, staff, kenya):
    content = client_as(staff).get(f"{LIST_URL}?q=ken").content.decode()
    assert '<td><a href="/en/administrations/KEN/">Kenya</a></td>' in content
    assert "<td>UN member state</td>" in content and "<td>Current</td>" in content
    content = client_as(staff).get(f"/fr{LIST_URL.removeprefix('/en')}?q=ken").content.decode()
    assert '<a href="/fr/administrations/KEN/">Kenya</a>' in content and "<td>État membre de l&#x27;ONU</td>" in content


def test_list_ignores_an_invalid_filter_value(client_as, staff):
    response = client_as(staff).get(f"{LIST_URL}?region=NOPE")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_list_paging_keeps_filters(client_as, staff):
    content = client_as(staff).get(f"{LIST_URL}?region=EUR").content.decode()
    assert "region=EUR&amp;page=2" in content


def test_list_exports_csv_with_the_filters(client_as, staff, contact_point):
    response = client_as(staff).get(f"{LIST_URL}?region=ESA&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Code"
    assert len(rows) == 1 + 24
    kenya = next(row for row in rows if row[0] == "KEN")
    assert kenya[4] == "ESA"
    assert kenya[6] == "1"  # one active contact point
    assert AuditEntry.objects.filter(action="members.administrations.exported", actor=staff).exists()


def test_csv_export_is_staff_only(client_as, contact_point):
    assert client_as(contact_point).get(f"{LIST_URL}?format=csv").status_code == 404


def test_list_query_count_does_not_grow(client_as, staff, kenya, senegal, django_assert_max_num_queries):
    client = client_as(staff)
    ContactPointFactory.create_batch(30, administration=kenya)
    ContactPointFactory.create_batch(30, administration=senegal)
    with django_assert_max_num_queries(7):
        assert client.get(LIST_URL).status_code == 200


def test_contact_point_sees_own_administration_and_colleagues(client_as, contact_point, colleague, other_contact_point):
    content = client_as(contact_point).get(reverse("members:administration_detail", args=["KEN"])).content.decode()
    assert "Kenya" in content
    assert "East and Southern Africa" in content
    assert colleague.email in content
    assert contact_point.email in content
    assert other_contact_point.email not in content
    assert "Senegal" not in content
    assert "Invite a contact point" not in content  # contact points do not invite


def test_contact_point_page_hides_invitations(client_as, contact_point, kenya):
    InvitationFactory(administration=kenya, email="pending.person@example.org")
    content = client_as(contact_point).get(reverse("members:administration_detail", args=["KEN"])).content.decode()
    assert "pending.person@example.org" not in content


def test_staff_page_shows_invitations_and_form(client_as, staff, kenya):
    InvitationFactory(administration=kenya, email="pending.person@example.org")
    content = client_as(staff).get(reverse("members:administration_detail", args=["KEN"])).content.decode()
    assert "pending.person@example.org" in content
    assert "Invite a contact point" in content


def test_administration_page_in_french(client_as, contact_point):
    response = client_as(contact_point).get("/fr/administrations/KEN/")
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "Afrique orientale et australe" in content


def test_detail_query_count_does_not_grow(client_as, staff, kenya, django_assert_max_num_queries):
    client = client_as(staff)
    ContactPointFactory.create_batch(30, administration=kenya)
    InvitationFactory.create_batch(10, administration=kenya)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("members:administration_detail", args=["KEN"])).status_code == 200


def test_language_switcher_keeps_the_page(client_as, contact_point):
    client = client_as(contact_point)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/en/administrations/KEN/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/administrations/KEN/"
