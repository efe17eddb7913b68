"""Staff import experts from a workbook or a CSV: a preview with each row's problems writes nothing; the confirmation
checks again and writes every row or none; audited."""

import csv
import io

import openpyxl
import pytest
import xlsxwriter
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from bacuda_portal.core.models import AuditEntry
from workshops.experts.imports import EXPERT_IMPORT
from workshops.experts.models import Expert

from .factories import ExpertFactory, ExpertiseAreaFactory

URL = reverse("experts:import")
HEADER = ["Full name", "Email", "Telephone", "Administration", "Nationality", "Expertise", "Languages", "Biography"]


def _workbook(rows, header=HEADER, name="experts.xlsx"):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for number, row in enumerate([header, *rows]):
        sheet.write_row(number, 0, row)
    book.close()
    return SimpleUploadedFile(name, buffer.getvalue())


def _csv(rows, header=HEADER):
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    return SimpleUploadedFile("experts.csv", text.getvalue().encode("utf-8"))


@pytest.fixture
def areas(db):
    return [ExpertiseAreaFactory(code="import-trial", name_en="Import trial area", name_fr="Domaine d’essai")]


GOOD = [
    ["Amina Wanjiru", "Amina@Example.org", "+254 1", "KEN", "Kenya", "Import trial area", "en C1; fr native", "Bio"],
    ["Moussa Diop", "moussa@example.org", "", "SEN", "", "", "", ""],
]


def test_the_preview_writes_nothing_and_the_confirmation_writes_every_row(client, staff, kenya, senegal, areas):
    client.force_login(staff)
    response = client.post(URL, {"file": _workbook(GOOD)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 rows are ready" in page and "Amina Wanjiru" in page
    assert not Expert.objects.exists()
    token = response.context["token"]
    response = client.post(URL, {"rows": token, "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("experts:list")
    amina = Expert.objects.get(email="amina@example.org")
    assert amina.administration == kenya and amina.nationality == kenya
    assert list(amina.expertise_areas.all()) == areas
    assert dict(amina.languages.values_list("language", "level")) == {"en": "C1", "fr": "native"}
    assert Expert.objects.get(email="moussa@example.org").administration == senegal
    assert AuditEntry.objects.get(action="experts.imported").data["count"] == 2
    assert AuditEntry.objects.filter(action="experts.expert.created").count() == 2


def test_each_rows_problems_are_shown_and_nothing_can_be_confirmed(client, staff, kenya, areas):
    ExpertFactory(email="taken@example.org")
    client.force_login(staff)
    rows = [
        ["Good Row", "good@example.org", "", "KEN", "", "", "", ""],
        ["", "not-an-email", "", "ATLANTIS", "", "Astrology", "klingon C1", ""],
        ["Again", "good@example.org", "", "", "", "", "", ""],
        ["Taken", "TAKEN@example.org", "", "", "", "", "", ""],
    ]
    response = client.post(URL, {"file": _workbook(rows)})
    assert response.status_code == 400
    results = response.context["results"]
    assert [bool(result.errors) for result in results] == [False, True, True, True]
    problems = " ".join(results[1].errors)
    for expected in ("Full name", "valid email", "ATLANTIS", "Astrology", "klingon C1"):
        assert expected in problems
    assert "row 2" in results[2].errors[0]
    assert "already registered" in results[3].errors[0]
    assert "3 rows have problems: nothing was imported" in response.content.decode()
    assert response.context["token"] == "" and b'name="confirm"' not in response.content
    assert Expert.objects.count() == 1


def test_the_confirmation_checks_again_and_writes_nothing_when_a_row_went_wrong_meanwhile(client, staff, kenya, areas):
    client.force_login(staff)
    token = client.post(URL, {"file": _workbook(GOOD)}).context["token"]
    ExpertFactory(email="moussa@example.org")  # registered by someone else between preview and confirmation
    response = client.post(URL, {"rows": token, "confirm": "1"})
    assert response.status_code == 400
    assert not Expert.objects.filter(email="amina@example.org").exists()  # all or nothing
    assert not AuditEntry.objects.filter(action="experts.imported").exists()


def test_a_tampered_preview_is_refused(client, staff, kenya):
    client.force_login(staff)
    forged = signing.dumps([{"full_name": "X", "email": "x@example.org"}], salt="imports.other", compress=True)
    response = client.post(URL, {"rows": forged, "confirm": "1"})
    assert response.status_code == 400 and "upload the file again" in response.content.decode()
    assert not Expert.objects.exists()


def test_a_csv_with_french_headers_and_extra_columns_is_read(client, staff, kenya, areas):
    with translation.override("fr"):
        header = [*EXPERT_IMPORT.header(), "Notes internes"]
    assert header[0] != "Full name"  # the French catalogue names the columns in French
    client.force_login(staff)
    response = client.post(URL, {"file": _csv([[*GOOD[0], "x"]], header=header)})
    assert response.status_code == 200
    assert response.context["ignored"] == ["Notes internes"]
    client.post(URL, {"rows": response.context["token"], "confirm": "1"})
    assert Expert.objects.filter(email="amina@example.org").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("experts.xlsx", b"PK\x03\x04 not really a workbook"), "not an Excel workbook"),
        (SimpleUploadedFile("experts.txt", b"a,b\n"), "Upload an Excel workbook (.xlsx) or a CSV file"),
        (SimpleUploadedFile("experts.csv", b"\xff\xfe\x00binary"), "not"),
        (SimpleUploadedFile("experts.csv", b"Full name,Telephone\nA,1\n"), "Missing columns: Email."),
        (SimpleUploadedFile("experts.csv", b"Full name,Email\n"), "no rows"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(client, staff, upload, message):
    client.force_login(staff)
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert message in response.context["file_error"]
    assert not Expert.objects.exists()


def test_too_many_rows_are_refused(client, staff, settings, monkeypatch):
    monkeypatch.setattr("bacuda_portal.core.imports.MAX_IMPORT_ROWS", 3)
    client.force_login(staff)
    rows = [[f"P{n}", f"p{n}@example.org", "", "", "", "", "", ""] for n in range(4)]
    response = client.post(URL, {"file": _workbook(rows)})
    assert response.status_code == 400 and "more than 3 rows" in response.context["file_error"]


def test_the_templates_carry_the_columns(client, staff):
    client.force_login(staff)
    response = client.get(URL + "?template=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else
                                             response.content))  # fmt: skip
    assert [cell.value for cell in next(book.active.iter_rows())] == HEADER
    response = client.get(URL + "?template=csv")
    assert b"".join(response.streaming_content).decode("utf-8-sig").strip() == ",".join(HEADER)
    assert not AuditEntry.objects.filter(action="").exists()


@pytest.mark.parametrize("role", ["contact_point", "expert", "applicant"])
def test_only_staff_import(client, request, role, kenya):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"file": _workbook(GOOD)}).status_code == 404
    assert not Expert.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.post(URL, {"file": _workbook(GOOD)}).status_code == 302
    assert not Expert.objects.exists()


def test_a_thousand_rows_with_a_few_bad_ones_show_every_bad_row_then_the_fixed_file_imports_at_once(
    client, staff, kenya, areas
):
    rows = [[f"Trainer {n}", f"trainer{n}@example.org", "", "KEN", "", "", "en B2", ""] for n in range(1000)]
    bad = {17: ("Nowhere", 3), 256: ("email", 1), 731: ("language", 6), 998: ("email", 1)}
    rows[17][3] = "NOWHERE"
    rows[256][1] = "trainer256-at-example.org"
    rows[731][6] = "en Z9"
    rows[998][1] = "trainer5@example.org"  # the same address as row 7
    client.force_login(staff)
    response = client.post(URL, {"file": _workbook(rows)})
    assert response.status_code == 400
    failed = {result.number - 2: result.errors for result in response.context["results"] if result.errors}
    assert set(failed) == set(bad)
    assert "NOWHERE" in failed[17][0] and "Z9" in failed[731][0] and "row 7" in failed[998][0]
    assert not Expert.objects.exists()
    rows[17][3], rows[256][1], rows[731][6], rows[998][1] = "KEN", "trainer256@example.org", "en C1", "t998@example.org"
    token = client.post(URL, {"file": _workbook(rows)}).context["token"]
    response = client.post(URL, {"rows": token, "confirm": "1"})
    assert response.status_code == 302
    assert Expert.objects.count() == 1000
    assert AuditEntry.objects.get(action="experts.imported").data["count"] == 1000
