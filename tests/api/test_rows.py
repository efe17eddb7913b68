"""The API's list rows: what the workshops and experts lists attach once the page is cut (sessions, beneficiaries,
expertise, languages, availability) comes in the documented order and equals the detail; serializer fields are
built once per class and language."""

import datetime as dt

from django.utils import translation

from bacuda_portal.members.api import AdministrationSerializer
from tests.experts.factories import AvailabilityWindowFactory, ExpertiseAreaFactory, ExpertLanguageFactory
from tests.experts.factories import ExpertFactory as RegistryExpertFactory
from tests.workshops.factories import ExpertFactory, SessionFactory, WorkshopFactory


def test_workshop_rows_have_the_agenda_in_order_and_beneficiaries_by_name(client_as, staff, kenya, senegal):
    workshop = WorkshopFactory(beneficiaries=[(senegal, 3), (kenya, 3)])
    day = workshop.start_date
    trainer = ExpertFactory(full_name="Amina Wanjiru")
    second = SessionFactory(workshop=workshop, date=day + dt.timedelta(days=1), topic="Second day")
    afternoon = SessionFactory(
        workshop=workshop, start_time=dt.time(14, 0), end_time=dt.time(16, 30), topic="Afternoon", trainer=trainer
    )
    opening = SessionFactory(workshop=workshop, topic="Opening")
    without_agenda = WorkshopFactory()
    client = client_as(staff)
    rows = {row["id"]: row for row in client.get("/api/v1/workshops/").json()["results"]}
    row = rows[workshop.pk]
    assert row["beneficiaries"] == ["KEN", "SEN"]  # Kenya, then Senegal
    assert [session["id"] for session in row["sessions"]] == [opening.pk, afternoon.pk, second.pk]
    assert row["sessions"][1] == {
        "id": afternoon.pk,
        "date": day.isoformat(),
        "start_time": "14:00:00",
        "end_time": "16:30:00",
        "topic": "Afternoon",
        "trainer": "Amina Wanjiru",
    }
    assert row["sessions"][0]["trainer"] is None
    assert rows[without_agenda.pk]["sessions"] == [] and rows[without_agenda.pk]["beneficiaries"] == ["KEN"]
    assert client.get(f"/api/v1/workshops/{workshop.pk}/").json() == row


def test_workshop_api_filters_still_apply_to_the_page(client_as, staff, kenya, senegal):
    kenyan, senegalese = WorkshopFactory(), WorkshopFactory(beneficiaries=[(senegal, 3)])
    SessionFactory(workshop=senegalese, topic="Ouverture")
    body = client_as(staff).get("/api/v1/workshops/?administration=SEN").json()
    assert [row["id"] for row in body["results"]] == [senegalese.pk]
    assert body["results"][0]["sessions"][0]["topic"] == "Ouverture"
    assert kenyan.pk not in [
        row["id"] for row in client_as(staff).get("/api/v1/workshops/?search=zzz").json()["results"]
    ]


def test_expert_rows_list_expertise_by_name_languages_by_code_and_upcoming_availability(client_as, staff, kenya):
    risk = ExpertiseAreaFactory(code="risk", name_en="Risk management")
    analytics = ExpertiseAreaFactory(code="analytics", name_en="Analytics")
    expert = RegistryExpertFactory(full_name="Amina Wanjiru", expertise_areas=[risk, analytics])
    ExpertLanguageFactory(expert=expert, language="fr", level="B2")
    ExpertLanguageFactory(expert=expert, language="en", level="C2")
    AvailabilityWindowFactory(expert=expert, start_date=dt.date(2031, 1, 5), end_date=dt.date(2031, 1, 9), note="b")
    AvailabilityWindowFactory(expert=expert, start_date=dt.date(2030, 1, 5), end_date=dt.date(2030, 1, 9), note="a")
    AvailabilityWindowFactory(expert=expert, start_date=dt.date(2001, 1, 5), end_date=dt.date(2001, 1, 9))
    RegistryExpertFactory(full_name="Zoe Nobody")
    client = client_as(staff)
    rows = client.get("/api/v1/experts/").json()["results"]
    row = rows[0]
    assert row["expertise_areas"] == ["analytics", "risk"]
    assert row["languages"] == [{"language": "en", "level": "C2"}, {"language": "fr", "level": "B2"}]
    assert [window["note"] for window in row["availability"]] == ["a", "b"]
    assert rows[1]["expertise_areas"] == [] and rows[1]["languages"] == [] and rows[1]["availability"] == []
    detail = client.get(f"/api/v1/experts/{expert.pk}/").json()
    assert {key: detail[key] for key in row} == row


def test_serializer_fields_are_built_once_per_language_and_copied_for_each_serializer(db):
    first, second = AdministrationSerializer().fields, AdministrationSerializer().fields
    assert first["code"] is not second["code"] and first["code"].parent is not second["code"].parent
    with translation.override("fr"):
        french = str(AdministrationSerializer().fields["name_en"].label)
    english = str(AdministrationSerializer().fields["name_en"].label)
    assert english == "Name (English)" and french != english
