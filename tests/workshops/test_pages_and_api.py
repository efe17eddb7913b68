"""The workshop list (search, filters, paging, CSV), query counts, and the workshops and nominations API."""

import csv
import io

from django.urls import reverse

from workshops.models import Nomination

from .factories import AssignmentFactory, NominationFactory, SessionFactory, WorkshopFactory

LIST_URL = reverse("workshops:list")


def test_list_filters_and_search(client_as, staff, workshop, senegal_workshop):
    client = client_as(staff)
    content = client.get(f"{LIST_URL}?q=Sénégal").content.decode()
    assert senegal_workshop.title in content and workshop.title not in content
    WorkshopFactory(title="Cancelled one", status="cancelled")
    content = client.get(f"{LIST_URL}?status=cancelled").content.decode()
    assert "Cancelled one" in content and workshop.title not in content
    content = client.get(f"{LIST_URL}?year={workshop.start_date.year}&kind=national").content.decode()
    assert workshop.title in content


def test_list_csv_export(client_as, staff, workshop):
    NominationFactory(workshop=workshop, status="accepted")
    response = client_as(staff).get(f"{LIST_URL}?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Title"
    row = next(r for r in rows if r[0] == workshop.title)
    assert row[2] == "Planned" and row[8] == "1"


def test_contact_point_csv_has_only_their_workshops(client_as, contact_point, workshop, senegal_workshop):
    response = client_as(contact_point).get(f"{LIST_URL}?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert workshop.title in text and senegal_workshop.title not in text


def test_list_query_count_does_not_grow(client_as, staff, kenya, django_assert_max_num_queries):
    for _ in range(40):
        NominationFactory(workshop=WorkshopFactory())
    client = client_as(staff)
    with django_assert_max_num_queries(6):
        assert client.get(LIST_URL).status_code == 200


def test_detail_query_count_does_not_grow(client_as, staff, workshop, django_assert_max_num_queries):
    for _ in range(15):
        AssignmentFactory(workshop=workshop)
        SessionFactory(workshop=workshop)
    NominationFactory.create_batch(5, workshop=workshop)
    client = client_as(staff)
    with django_assert_max_num_queries(18):
        assert client.get(workshop.get_absolute_url()).status_code == 200


def test_api_lists_visible_workshops_with_agenda(client_as, contact_point, workshop, senegal_workshop):
    SessionFactory(workshop=workshop, topic="Opening")
    body = client_as(contact_point).get("/api/v1/workshops/").json()
    assert [row["title"] for row in body["results"]] == [workshop.title]
    assert body["results"][0]["beneficiaries"] == ["KEN"]
    assert body["results"][0]["sessions"][0]["topic"] == "Opening"
    assert client_as(contact_point).get(f"/api/v1/workshops/{senegal_workshop.pk}/").status_code == 404


def test_api_workshops_need_authentication(client, workshop):
    assert client.get("/api/v1/workshops/").status_code == 401


def test_api_workshop_list_query_count_does_not_grow(client_as, staff, kenya, django_assert_max_num_queries):
    for _ in range(30):
        SessionFactory(workshop=WorkshopFactory())
    client = client_as(staff)
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/workshops/").status_code == 200


def test_api_contact_point_nominates_within_the_rules(client_as, contact_point, workshop, senegal_workshop):
    client = client_as(contact_point)
    data = {"workshop": workshop.pk, "full_name": "API Official", "gender": "male", "position": "Analyst",
            "email": "api.official@kra.example", "language": "en", "consent_to_list": True}  # fmt: skip
    response = client.post("/api/v1/nominations/", data, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["administration"] == "KEN"
    again = client.post("/api/v1/nominations/", data, content_type="application/json")
    assert again.status_code == 400 and "already nominated" in again.content.decode()
    other = client.post("/api/v1/nominations/", {**data, "workshop": senegal_workshop.pk, "email": "z@x.example"},
                        content_type="application/json")  # fmt: skip
    # Another administration's workshop answers like one that does not exist (no existence oracle).
    assert other.status_code == 400
    assert other.json() == {"workshop": [f'Invalid pk "{senegal_workshop.pk}" - object does not exist.']}
    assert Nomination.objects.count() == 1


def test_api_nominations_are_scoped(
    client_as, staff, contact_point, other_contact_point, regional_workshop, kenya, senegal
):
    NominationFactory(workshop=regional_workshop, administration=kenya, email="k@x.example")
    NominationFactory(workshop=regional_workshop, administration=senegal, email="s@x.example")
    emails = lambda user: {row["email"] for row in client_as(user).get("/api/v1/nominations/").json()["results"]}  # noqa: E731
    assert emails(staff) == {"k@x.example", "s@x.example"}
    assert emails(contact_point) == {"k@x.example"}
    assert emails(other_contact_point) == {"s@x.example"}


def test_api_expert_cannot_nominate(client_as, assigned_expert, workshop):
    data = {"workshop": workshop.pk, "full_name": "X", "gender": "male", "position": "P", "email": "x@x.example",
            "language": "en"}  # fmt: skip
    assert (
        client_as(assigned_expert).post("/api/v1/nominations/", data, content_type="application/json").status_code
        == 404
    )
