"""Workshop imports: a contact point nominates officials from a file (their administration, within its places), and
staff record past activities with their participants so the indicators count them. Preview first, all or nothing."""

import csv
import datetime as dt
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from workshops import selectors
from workshops.enums import AttendanceStatus, NominationStatus, WorkshopStatus
from workshops.models import Attendance, Nomination, Workshop

from .factories import NominationFactory, WorkshopFactory

NOMINATION_HEADER = [
    "Full name",
    "Gender",
    "Position",
    "Email address",
    "Preferred language",
    "Agrees to appear on the participant list",
]
PAST_HEADER = [
    "Workshop",
    "Kind",
    "Start date",
    "End date",
    "Host city",
    "Administration",
    "Full name",
    "Gender",
    "Position",
    "Email address",
    "Attended",
]


def _xlsx(header, rows, name="list.xlsx"):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for number, row in enumerate([header, *rows]):
        for column, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(number, column, dt.datetime.combine(value, dt.time()), date_format)
            else:
                sheet.write(number, column, value)
    book.close()
    return SimpleUploadedFile(name, buffer.getvalue())


def _csv(header, rows):
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return SimpleUploadedFile("list.csv", text.getvalue().encode("utf-8"))


def _nominees(count, start=0):
    return [
        [f"Official {n}", "Femme" if n % 2 else "male", "Risk analyst", f"official{n}@kra.example", "fr", "oui"]
        for n in range(start, start + count)
    ]


# --- Nominations -------------------------------------------------------------------------------------------
def test_contact_point_imports_nominations_after_a_preview(client_as, contact_point, workshop, kenya):
    url = reverse("workshops:nomination_import", args=[workshop.pk])
    client = client_as(contact_point)
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _xlsx(NOMINATION_HEADER, _nominees(3))})
    assert response.status_code == 200
    assert "3 rows are ready" in response.content.decode()
    assert not Nomination.objects.exists()  # the preview writes nothing

    response = client.post(url, {"rows": response.context["token"], "confirm": "1"})
    assert response.status_code == 302 and response.url == workshop.get_absolute_url()
    nominations = list(Nomination.objects.order_by("email"))
    assert [n.email for n in nominations] == ["official0@kra.example", "official1@kra.example", "official2@kra.example"]
    assert {n.administration for n in nominations} == {kenya}
    assert [n.gender for n in nominations] == ["male", "female", "male"]  # "Femme" read as female
    assert all(n.language == "fr" and n.consent_to_list and n.nominated_by == contact_point for n in nominations)
    assert all(n.status == NominationStatus.NOMINATED for n in nominations)
    audit = AuditEntry.objects.get(action="workshops.nominations.imported")
    assert audit.data["count"] == 3
    assert AuditEntry.objects.filter(action="workshops.nomination.created").count() == 3


def test_rows_beyond_the_places_left_and_repeated_people_are_shown_and_nothing_is_written(
    client_as, contact_point, workshop
):
    NominationFactory(workshop=workshop, email="already@kra.example")  # Kenya's quota is 5: 4 places left
    rows = [*_nominees(4), ["Official 0 again", "female", "Analyst", "OFFICIAL0@kra.example", "en", ""]]
    rows.append(["Someone", "female", "Analyst", "already@kra.example", "en", "no"])
    rows.append(["Official 9", "female", "Analyst", "official9@kra.example", "en", "maybe"])
    rows.append(["Official 10", "unknown", "Analyst", "official10@kra.example", "en", "no"])
    response = client_as(contact_point).post(
        reverse("workshops:nomination_import", args=[workshop.pk]), {"file": _csv(NOMINATION_HEADER, rows)}
    )
    assert response.status_code == 400
    errors = {result.number: " ".join(result.errors) for result in response.context["results"] if result.errors}
    assert "The same email address is on row 2." in errors[6]
    assert "already nominated for this workshop" in errors[7]
    assert "Write yes or no" in errors[8]
    assert "is not one of" in errors[9]
    assert set(errors) == {6, 7, 8, 9}
    assert Nomination.objects.count() == 1
    # A fifth good row is beyond the places left.
    response = client_as(contact_point).post(
        reverse("workshops:nomination_import", args=[workshop.pk]), {"file": _csv(NOMINATION_HEADER, _nominees(5))}
    )
    errors = {result.number: result.errors for result in response.context["results"] if result.errors}
    assert list(errors) == [6] and "4 left" in errors[6][0]


def test_confirmation_checks_again_and_writes_none_when_the_places_went_meanwhile(client_as, contact_point, workshop):
    url = reverse("workshops:nomination_import", args=[workshop.pk])
    client = client_as(contact_point)
    token = client.post(url, {"file": _xlsx(NOMINATION_HEADER, _nominees(3))}).context["token"]
    for n in range(3):  # a colleague nominates three others meanwhile: 2 places left, the file has 3
        NominationFactory(workshop=workshop, email=f"colleague{n}@kra.example")
    response = client.post(url, {"rows": token, "confirm": "1"})
    assert response.status_code == 400
    assert Nomination.objects.count() == 3
    assert not AuditEntry.objects.filter(action="workshops.nominations.imported").exists()


def test_closed_workshop_refuses_every_row(client_as, contact_point, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=WorkshopStatus.DELIVERED)
    response = client_as(contact_point).post(
        reverse("workshops:nomination_import", args=[workshop.pk]), {"file": _csv(NOMINATION_HEADER, _nominees(2))}
    )
    assert response.status_code == 400
    assert all("Nominations are closed" in " ".join(r.errors) for r in response.context["results"])


@pytest.mark.parametrize("who", ["staff", "other_contact_point", "expert", "anonymous"])
def test_only_a_contact_point_of_a_beneficiary_imports_nominations(client_as, request, who, workshop):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    url = reverse("workshops:nomination_import", args=[workshop.pk])
    client = client_as(user)
    response = client.post(url, {"file": _csv(NOMINATION_HEADER, _nominees(1))})
    if who == "anonymous":
        assert response.status_code == 302 and "login" in response.url
    else:
        assert response.status_code == 404
    assert client.get(url + "?template=xlsx").status_code in (302, 404)
    assert not Nomination.objects.exists()


def test_the_workshop_page_links_to_the_import_for_its_contact_point(client_as, contact_point, other_contact_point):
    workshop = WorkshopFactory()
    url = reverse("workshops:nomination_import", args=[workshop.pk])
    assert url in client_as(contact_point).get(workshop.get_absolute_url()).content.decode()


# --- Past activities ---------------------------------------------------------------------------------------
def _past_rows():
    start = dt.date(2021, 3, 15)
    end = dt.date(2021, 3, 19)
    regional = ["Regional risk analytics", "Régional", start, end, "Dakar"]
    national = ["Data analytics for KRA", "national", "12/10/2020", "16/10/2020", "Nairobi"]
    return [
        [*regional, "SEN", "Awa Ndiaye", "Femme", "Analyst", "awa@douanes.example", "oui"],
        [*regional, "Kenya", "John Kamau", "male", "Officer", "john@kra.example", ""],
        [*regional, "SEN", "Moussa Fall", "male", "Officer", "moussa@douanes.example", "non"],
        [*national, "KEN", "Grace Wanjiku", "female", "Analyst", "grace@kra.example", "yes"],
        [*national, "KEN", "John Kamau", "male", "Officer", "john@kra.example", "yes"],
    ]


def test_staff_import_past_activities_and_the_indicators_count_them(client_as, staff, kenya, senegal):
    url = reverse("workshops:past_activity_import")
    client = client_as(staff)
    assert reverse("workshops:past_activity_import") in client.get(reverse("workshops:list")).content.decode()
    response = client.post(url, {"file": _xlsx(PAST_HEADER, _past_rows())})
    assert response.status_code == 200, [r.errors for r in response.context["results"]]
    assert not Workshop.objects.exists()
    response = client.post(url, {"rows": response.context["token"], "confirm": "1"})
    assert response.status_code == 302

    regional = Workshop.objects.get(title="Regional risk analytics")
    national = Workshop.objects.get(title="Data analytics for KRA")
    assert (regional.kind, regional.start_date, regional.status) == ("regional", dt.date(2021, 3, 15), "closed")
    assert (national.start_date, national.end_date) == (dt.date(2020, 10, 12), dt.date(2020, 10, 16))
    assert not regional.is_public
    assert {(b.administration.code, b.quota) for b in regional.beneficiary_links.all()} == {("SEN", 2), ("KEN", 1)}
    assert regional.nominations.filter(status=NominationStatus.ACCEPTED).count() == 3
    absent = Attendance.objects.get(nomination__email="moussa@douanes.example")
    assert absent.status == AttendanceStatus.ABSENT
    # Trained: those who attended; John counts once a year, in each year he was trained.
    assert selectors.officials_trained_count(period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 12, 31)) == 2
    assert selectors.officials_trained_count(period_start=dt.date(2020, 1, 1), period_end=dt.date(2021, 12, 31)) == 3
    assert AuditEntry.objects.filter(action="workshops.past_activity.imported").count() == 2
    assert AuditEntry.objects.get(action="workshops.past_activities.imported").data["count"] == 2


def test_past_activity_problems_are_shown_per_row_and_nothing_is_written(client_as, staff, kenya):
    rows = _past_rows()
    rows[1][4] = "Abidjan"  # the same workshop in another city
    rows[2][10] = "peut-être"
    rows[3][3] = "10/10/2020"  # ends before it starts
    rows.append([*rows[0][:5], "SEN", "Awa again", "female", "Analyst", "AWA@douanes.example", "yes"])
    future = timezone.localdate() + dt.timedelta(days=3)
    rows.append(["Next week", "national", future, future, "Nairobi", "Atlantis", "X", "male", "Y", "x@y.example", ""])
    response = client_as(staff).post(reverse("workshops:past_activity_import"), {"file": _xlsx(PAST_HEADER, rows)})
    assert response.status_code == 400
    errors = {result.number: " ".join(result.errors) for result in response.context["results"] if result.errors}
    assert "differs from row 2" in errors[3]
    assert "Write yes or no" in errors[4]
    assert "before the start date" in errors[5]
    assert "The same email address is on row 2" in errors[7]
    assert "ended before today" in errors[8] and "No administration" in errors[8]
    assert not Workshop.objects.exists()


def test_a_workshop_already_in_the_portal_is_not_imported_twice(client_as, staff, kenya):
    WorkshopFactory(title="Data analytics for KRA", start_date=dt.date(2020, 10, 12), end_date=dt.date(2020, 10, 16))
    response = client_as(staff).post(reverse("workshops:past_activity_import"), {"file": _csv(PAST_HEADER, [
        [str(v) if isinstance(v, dt.date) else v for v in row] for row in _past_rows()
    ])})  # fmt: skip
    errors = {result.number: " ".join(result.errors) for result in response.context["results"] if result.errors}
    assert set(errors) == {5, 6} and "already in the portal" in errors[5]


@pytest.mark.parametrize("who", ["contact_point", "other_contact_point", "expert", "anonymous"])
def test_only_staff_import_past_activities(client_as, request, who, db):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_as(user)
    url = reverse("workshops:past_activity_import")
    response = client.post(url, {"file": _xlsx(PAST_HEADER, _past_rows())})
    assert response.status_code == (302 if who == "anonymous" else 404)
    assert client.get(url).status_code == (302 if who == "anonymous" else 404)
    assert not Workshop.objects.exists()
