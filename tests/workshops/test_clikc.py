"""CLiKC! enrolment: staff download the accepted participants in Moodle's user-upload CSV, import Moodle's
course-completion report of the prerequisite e-learning course (preview, then all or nothing), and accepting someone
who has not completed it warns (and is still allowed)."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from tests.elearning.factories import CourseFactory
from workshops import selectors, services
from workshops.models import PrerequisiteCompletion
from workshops.moodle import moodle_names, moodle_username, parse_moodle_time

from .factories import NominationFactory, WorkshopFactory

MOODLE_HEADER = [
    "username",
    "firstname",
    "lastname",
    "email",
    "course1",
    "group1",
    "role1",
    "lang",
    "institution",
    "country",
]
# Moodle's report/completion CSV: ID, Name, the identity fields, one column per criterion, then "Course complete"
# (the date in the language pack's strftimedatetimeshort, empty when not complete).
COMPLETION_HEADER = ["ID", "Name", "Email address", "Activity completion", "Course complete"]


@pytest.fixture
def course(db):
    return CourseFactory(code="bacuda-ml-101")


@pytest.fixture
def clikc_workshop(kenya, course):
    return WorkshopFactory(
        title="Machine learning for risk management",
        clikc_workspace_url="https://clikc.wcoomd.org/course/view.php?id=42",
        clikc_course_short_name="BACUDA-ML-2026",
        clikc_group_name="Nairobi May 2026",
        prerequisite_course=course,
    )


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Moodle's CSV reader drops the BOM; spreadsheet programs need it
    return list(csv.reader(io.StringIO(text[1:])))


def _completion_csv(rows, header=COMPLETION_HEADER, name="completion.csv"):
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"))


# --- The Moodle user upload ------------------------------------------------------------------------------------
def test_the_download_is_moodles_user_upload_with_only_the_accepted_participants(client_as, staff, clikc_workshop):
    accepted = NominationFactory(
        workshop=clikc_workshop, status="accepted", full_name="Amina Wanjiru Otieno", email="A.Otieno@KRA.example",
        language="fr",
    )  # fmt: skip
    NominationFactory(workshop=clikc_workshop, status="accepted", full_name="Peter", email="peter@kra.example",
                      language="es")  # fmt: skip
    for status in ("nominated", "waitlisted", "declined", "withdrawn"):
        NominationFactory(workshop=clikc_workshop, status=status, email=f"{status}@kra.example")
    NominationFactory(status="accepted", email="elsewhere@kra.example")  # another workshop's participant

    response = client_as(staff).get(reverse("workshops:clikc_users", args=[clikc_workshop.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    header, *rows = _rows(response)
    assert header == MOODLE_HEADER
    assert rows == [
        ["a.otieno@kra.example", "Amina Wanjiru", "Otieno", "a.otieno@kra.example", "BACUDA-ML-2026",
         "Nairobi May 2026", "student", "fr", "Kenya", "KE"],
        ["peter@kra.example", "Peter", "Peter", "peter@kra.example", "BACUDA-ML-2026", "Nairobi May 2026",
         "student", "en", "Kenya", "KE"],
    ]  # fmt: skip
    assert accepted.administration.name_en == "Kenya"
    entry = AuditEntry.objects.get(action="workshops.clikc_users.exported")
    assert entry.actor == staff


def test_the_download_neutralises_text_that_would_start_a_formula(client_as, staff, clikc_workshop):
    NominationFactory(workshop=clikc_workshop, status="accepted", full_name="=HYPERLINK(1) -2+3",
                      email="formula@kra.example")  # fmt: skip
    clikc_workshop.clikc_group_name = "@SUM(A1)"
    clikc_workshop.save()

    _header, row = _rows(client_as(staff).get(reverse("workshops:clikc_users", args=[clikc_workshop.pk])))

    assert row[1] == "'=HYPERLINK(1)"
    assert row[2] == "'-2+3"
    assert row[5] == "'@SUM(A1)"


def test_without_a_course_short_name_the_download_explains_what_is_missing(client_as, staff, workshop):
    response = client_as(staff).get(reverse("workshops:clikc_users", args=[workshop.pk]), follow=True)
    assert "CLiKC! course short name" in response.content.decode()
    assert not AuditEntry.objects.filter(action="workshops.clikc_users.exported").exists()


def test_moodle_usernames_and_names():
    assert moodle_username(" Jean.Dupont+douane@Douanes.SN ") == "jean.dupontdouane@douanes.sn"
    assert moodle_names("  Marie   Claire N'Diaye ") == ("Marie Claire", "N'Diaye")
    assert moodle_names("Madonna") == ("Madonna", "Madonna")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("05/03/24, 14:02", (2024, 3, 5, 14, 2)),  # English report/completion
        ("05/03/24 14:02", (2024, 3, 5, 14, 2)),  # French
        ("Tuesday, 5 March 2024, 2:02 PM", (2024, 3, 5, 14, 2)),  # custom reports
        ("2024-03-05", (2024, 3, 5, 0, 0)),
    ],
)
def test_moodle_completion_times_are_read(text, expected):
    moment = timezone.localtime(parse_moodle_time(text))
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == expected


def test_an_unreadable_time_is_none():
    assert parse_moodle_time("last Tuesday") is None


# --- The completion import -------------------------------------------------------------------------------------
def test_the_preview_gives_each_rows_outcome_and_writes_nothing(client_as, staff, clikc_workshop):
    amina = NominationFactory(workshop=clikc_workshop, full_name="Amina Otieno", email="amina@kra.example")
    NominationFactory(workshop=clikc_workshop, full_name="Brian Kamau", email="brian@kra.example")
    url = reverse("workshops:clikc_completions_import", args=[clikc_workshop.pk])
    rows = [
        ["11", "Amina Otieno", "AMINA@kra.example", "Completed", "05/03/24, 14:02"],
        ["12", "Brian Kamau", "brian@kra.example", "Not completed", ""],
        ["13", "Someone Else", "someone@elsewhere.example", "Completed", "01/02/24, 09:00"],
        ["14", "Carol Wambui", "carol@kra.example", "Completed", "the 5th of March"],
        ["15", "No Address", "", "Completed", "01/02/24, 09:00"],
    ]

    response = client_as(staff).post(url, {"file": _completion_csv(rows)})

    page = response.content.decode()
    assert response.status_code == 400  # rows with problems: nothing can be confirmed
    assert "2 rows have problems" in page
    assert "Completed on 5 Mar 2024: recorded for Amina Otieno (Kenya)." in page
    assert "Brian Kamau (Kenya) has not completed the course: nothing recorded." in page
    assert "Nobody nominated for this workshop has this email address or username: skipped." in page
    assert "“the 5th of March” is not a date we can read" in page
    assert "Give the person&#x27;s email address or CLiKC! username." in page
    assert 'name="confirm"' not in page
    assert not PrerequisiteCompletion.objects.exists()
    assert amina.prerequisite_completions.count() == 0


def test_the_corrected_report_is_imported_in_one_go_after_the_preview(client_as, staff, clikc_workshop, course):
    amina = NominationFactory(workshop=clikc_workshop, full_name="Amina Otieno", email="amina@kra.example")
    brian = NominationFactory(workshop=clikc_workshop, full_name="Brian Kamau", email="brian.kamau@kra.example")
    NominationFactory(workshop=clikc_workshop, full_name="Carol Wambui", email="carol@kra.example")
    url = reverse("workshops:clikc_completions_import", args=[clikc_workshop.pk])
    rows = [
        ["11", "Amina Otieno", "amina@kra.example", "Completed", "05/03/24, 14:02"],
        ["13", "Someone Else", "someone@elsewhere.example", "Completed", "01/02/24, 09:00"],
        ["14", "Carol Wambui", "carol@kra.example", "Not completed", ""],
    ]
    # Matched by username when the report shows no email address.
    by_username = ["Username", "Course complete"], [["brian.kamau@kra.example", "06/03/24, 08:30"]]
    client = client_as(staff)

    preview = client.post(url, {"file": _completion_csv(rows)})
    assert preview.status_code == 200
    assert "3 rows are ready" in preview.content.decode()
    assert not PrerequisiteCompletion.objects.exists()
    confirmed = client.post(url, {"confirm": "1", "rows": preview.context["token"]}, follow=True)
    assert "Completions recorded: 1; not completed: 1; not nominated for this workshop: 1." in (
        confirmed.content.decode()
    )
    second = client.post(url, {"file": _completion_csv(by_username[1], header=by_username[0])})
    client.post(url, {"confirm": "1", "rows": second.context["token"]})

    completions = {c.nomination_id: c for c in PrerequisiteCompletion.objects.all()}
    assert set(completions) == {amina.pk, brian.pk}
    assert timezone.localtime(completions[amina.pk].completed_at).date().isoformat() == "2024-03-05"
    assert completions[amina.pk].course == course
    entry = AuditEntry.objects.filter(action="workshops.prerequisite_completions.imported").order_by("pk").first()
    assert entry.data["recorded"] == 1 and entry.data["unknown"] == 1 and entry.data["not_completed"] == 1


def test_the_preview_reads_the_database_the_same_number_of_times_for_any_number_of_rows(
    client_as, staff, clikc_workshop
):
    for n in range(3):
        NominationFactory(workshop=clikc_workshop, email=f"official{n}@kra.example")
    url = reverse("workshops:clikc_completions_import", args=[clikc_workshop.pk])
    client = client_as(staff)

    def preview(count):
        rows = [[str(n), f"Official {n}", f"official{n}@kra.example", "", "05/03/24, 14:02"] for n in range(count)]
        return _completion_csv(rows)

    client.post(url, {"file": preview(1)})  # warm up: the session, the sites framework
    with CaptureQueriesContext(connection) as few:
        assert client.post(url, {"file": preview(2)}).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.post(url, {"file": preview(60)}).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_file_without_the_completion_column_is_refused(client_as, staff, clikc_workshop):
    url = reverse("workshops:clikc_completions_import", args=[clikc_workshop.pk])
    response = client_as(staff).post(url, {"file": _completion_csv([["amina@kra.example"]], header=["Email"])})
    assert response.status_code == 400
    assert "Missing columns: Course complete." in response.content.decode()


def test_a_french_moodle_report_is_read(client_as, staff, clikc_workshop):
    NominationFactory(workshop=clikc_workshop, full_name="Awa Diop", email="awa@douanes.example")
    url = reverse("workshops:clikc_completions_import", args=[clikc_workshop.pk])
    header = ["ID", "Nom", "Adresse de courriel", "Cours terminé"]
    response = client_as(staff).post(url, {"file": _completion_csv([["7", "Awa Diop", "awa@douanes.example",
                                                                     "05/03/24 14:02"]], header=header)})  # fmt: skip
    assert response.status_code == 200
    assert "recorded for Awa Diop" in response.content.decode()


def test_the_import_refuses_a_workshop_without_a_prerequisite(client_as, staff, workshop):
    response = client_as(staff).get(reverse("workshops:clikc_completions_import", args=[workshop.pk]), follow=True)
    assert "prerequisite e-learning course first" in response.content.decode()


def test_the_service_refuses_a_workshop_without_a_prerequisite(staff, clikc_workshop):
    NominationFactory(workshop=clikc_workshop, email="amina@kra.example")
    clikc_workshop.prerequisite_course = None
    clikc_workshop.save()
    row = {"email": "amina@kra.example", "username": "", "completed": True, "completed_at": timezone.now()}
    with pytest.raises(ValidationError):
        services.prerequisite_completions_import(workshop=clikc_workshop, rows=[row], by=staff)
    assert not PrerequisiteCompletion.objects.exists()


# --- Acceptance warns when the prerequisite is not completed ---------------------------------------------------
def test_accepting_without_the_prerequisite_warns_and_is_audited(client_as, staff, clikc_workshop):
    nomination = NominationFactory(workshop=clikc_workshop, full_name="Amina Otieno")
    client = client_as(staff)
    page = client.get(clikc_workshop.get_absolute_url()).content.decode()
    assert '<span class="badge-bad">Not completed</span>' in page  # beside the nomination
    assert "CLiKC! enrolment" in page
    assert reverse("workshops:clikc_users", args=[clikc_workshop.pk]) in page
    assert reverse("workshops:clikc_completions_import", args=[clikc_workshop.pk]) in page

    response = client.post(reverse("workshops:nomination_decide", args=[nomination.pk, "accept"]), follow=True)

    nomination.refresh_from_db()
    assert nomination.status == "accepted"  # staff decide: the decision is allowed
    assert "Accepted without having completed the prerequisite course" in response.content.decode()
    entry = AuditEntry.objects.get(action="workshops.nomination.accepted")
    assert entry.data["prerequisite_missing"] == "bacuda-ml-101"


def test_accepting_someone_who_completed_it_does_not_warn(client_as, staff, clikc_workshop, course):
    nomination = NominationFactory(workshop=clikc_workshop)
    PrerequisiteCompletion.objects.create(nomination=nomination, course=course, completed_at=timezone.now())
    response = client_as(staff).post(
        reverse("workshops:nomination_decide", args=[nomination.pk, "accept"]), follow=True
    )
    assert "Accepted without having completed" not in response.content.decode()
    assert "prerequisite_missing" not in AuditEntry.objects.get(action="workshops.nomination.accepted").data


def test_a_completion_of_another_course_does_not_count(clikc_workshop, course):
    nomination = NominationFactory(workshop=clikc_workshop)
    PrerequisiteCompletion.objects.create(nomination=nomination, course=CourseFactory(), completed_at=timezone.now())
    assert selectors.prerequisite_missing(nomination)
    PrerequisiteCompletion.objects.create(nomination=nomination, course=course, completed_at=timezone.now())
    assert not selectors.prerequisite_missing(nomination)


def test_bulk_acceptance_names_those_without_the_prerequisite(client_as, staff, clikc_workshop, course):
    without = NominationFactory(workshop=clikc_workshop, full_name="Amina Otieno")
    done = NominationFactory(workshop=clikc_workshop, full_name="Brian Kamau")
    PrerequisiteCompletion.objects.create(nomination=done, course=course, completed_at=timezone.now())
    response = client_as(staff).post(
        reverse("workshops:nominations_bulk", args=[clikc_workshop.pk]),
        {"action": "accept", "rows": [without.pk, done.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "2 people accepted." in page
    assert f"prerequisite course “{course}”: Amina Otieno." in page
    audit = {e.target_id: e.data for e in AuditEntry.objects.filter(action="workshops.nomination.accepted")}
    assert "prerequisite_missing" in audit[str(without.pk)]
    assert "prerequisite_missing" not in audit[str(done.pk)]


def test_offering_a_seat_to_the_wait_list_warns_too(client_as, staff, clikc_workshop):
    NominationFactory(workshop=clikc_workshop, status="waitlisted", full_name="Amina Otieno")
    response = client_as(staff).post(reverse("workshops:nomination_offer_next", args=[clikc_workshop.pk]), follow=True)
    assert "Accepted without having completed the prerequisite course" in response.content.decode()
    assert AuditEntry.objects.get(action="workshops.nomination.accepted").data["prerequisite_missing"]


def test_the_api_decision_warns_and_says_whether_the_prerequisite_is_completed(client_as, staff, clikc_workshop):
    nomination = NominationFactory(workshop=clikc_workshop)
    response = client_as(staff).post(
        reverse("v1:nomination-decision", args=[nomination.pk]), {"decision": "accept"}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "accepted"
    assert body["prerequisite_completed"] is False
    course = clikc_workshop.prerequisite_course
    assert body["warnings"] == [f"Accepted without having completed the prerequisite course “{course}”."]
    assert AuditEntry.objects.get(action="workshops.nomination.accepted").data["prerequisite_missing"]


def test_the_contact_point_sees_whether_their_official_completed_it(client_as, contact_point, clikc_workshop, course):
    done = NominationFactory(workshop=clikc_workshop, nominated_by=contact_point, full_name="Amina Otieno")
    PrerequisiteCompletion.objects.create(
        nomination=done, course=course, completed_at=timezone.make_aware(timezone.datetime(2026, 3, 5, 10, 0))
    )
    NominationFactory(workshop=clikc_workshop, nominated_by=contact_point, full_name="Brian Kamau")
    client = client_as(contact_point)
    page = client.get(clikc_workshop.get_absolute_url()).content.decode()
    assert "Completed on 5 Mar 2026" in page
    assert "Not completed" in page
    assert "CLiKC! enrolment" not in page  # the staff section
    api = client.get(reverse("v1:nomination-detail", args=[done.pk])).json()
    assert api["prerequisite_completed"] is True
    assert api["prerequisite_completed_at"].startswith("2026-03-05")


def test_the_workshop_form_edits_the_clikc_course_and_group(client_as, staff, workshop, course):
    from workshops.forms import WorkshopForm

    data = {key: value for key, value in WorkshopForm.initial_for(workshop).items() if value is not None}
    data.update(
        beneficiaries=[b.pk for b in workshop.beneficiaries.all()],
        clikc_course_short_name="BACUDA-ML-2026",
        clikc_group_name="Nairobi",
        prerequisite_course=course.pk,
        start_date=workshop.start_date.isoformat(),
        end_date=workshop.end_date.isoformat(),
    )
    response = client_as(staff).post(reverse("workshops:edit", args=[workshop.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    workshop.refresh_from_db()
    assert (workshop.clikc_course_short_name, workshop.clikc_group_name) == ("BACUDA-ML-2026", "Nairobi")


# --- Access ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["workshops:clikc_users", "workshops:clikc_completions_import"])
def test_only_staff_reach_the_clikc_pages(client_as, staff, contact_point, other_contact_point, clikc_workshop, name):
    url = reverse(name, args=[clikc_workshop.pk])
    assert client_as(staff).get(url).status_code == 200
    assert client_as(contact_point).get(url).status_code == 404  # the workshop's own contact point: staff work
    assert client_as(other_contact_point).get(url).status_code == 404
    anonymous = client_as(None).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_contact_point_cannot_post_an_import(client_as, other_contact_point, clikc_workshop):
    url = reverse("workshops:clikc_completions_import", args=[clikc_workshop.pk])
    response = client_as(other_contact_point).post(url, {"file": _completion_csv([])})
    assert response.status_code == 404
    assert not PrerequisiteCompletion.objects.exists()
