"""Lists download as Excel workbooks beside CSV: typed cells, a frozen and filterable header, sized columns, formulas
neutralised, audited; every list that offers a CSV offers the same table in Excel, to the same people."""

import csv
import datetime as dt
import decimal
import io

import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.csv_export import table_response
from bacuda_portal.core.models import AuditEntry
from tests.access_roles import ROLES
from tests.core.test_file_responses import FILE_URLS
from tests.test_access_matrix import MATRIX, world  # noqa: F401 - the world fixture is used by name

EXPORT_URLS = sorted(name.removesuffix("?format=csv") for name in FILE_URLS if name.endswith("?format=csv"))


def _body(response) -> bytes:
    if hasattr(response, "content_bytes"):
        return response.content_bytes
    return b"".join(response.streaming_content) if response.streaming else response.content


def _workbook(response):
    body = _body(response)
    return openpyxl.load_workbook(io.BytesIO(body))


def _csv_rows(response):
    body = _body(response)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_workbook_keeps_types_freezes_its_header_and_neutralises_formulas(db, staff, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    moment = dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC)
    long_text = "A description long enough to widen its column"
    response = table_response(
        file_format="xlsx",
        filename="trial",
        header=["Number", "Amount", "Day", "Moment", "Flag", "Text", "Empty"],
        rows=[
            [7, decimal.Decimal("2.50"), dt.date(2026, 3, 1), moment, True, "=HYPERLINK(1)", None],
            [-3, 0.25, dt.date(2026, 3, 2), moment, False, long_text, ""],
        ],
        actor=staff,
        action="trial.exported",
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert (
        response["Content-Disposition"].startswith('attachment; filename="trial-')
        and ".xlsx" in response["Content-Disposition"]
    )
    sheet = _workbook(response).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Number", "Amount", "Day", "Moment", "Flag", "Text", "Empty")
    assert rows[1][:5] == (7, 2.5, dt.datetime(2026, 3, 1), dt.datetime(2026, 12, 5, 10, 30), True)
    assert rows[1][5] == "'=HYPERLINK(1)" and sheet["F2"].data_type == "s"  # text, never a formula
    assert rows[1][6] is None and rows[2][0] == -3  # a negative number stays a number
    assert sheet["C2"].number_format == "yyyy-mm-dd" and sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    assert sheet.column_dimensions["F"].width > sheet.column_dimensions["E"].width >= len("Flag")
    entry = AuditEntry.objects.get(action="trial.exported")
    assert entry.actor == staff and entry.data["format"] == "xlsx"


def test_a_csv_export_is_audited_with_its_format(db, staff):
    response = table_response(
        file_format="csv", filename="t", header=["a"], rows=[[1]], actor=staff, action="trial.exported"
    )
    assert _csv_rows(response) == [["a"], ["1"]]
    assert AuditEntry.objects.get(action="trial.exported").data["format"] == "csv"


def test_an_empty_list_still_downloads_a_workbook_with_its_header(db):
    response = table_response(file_format="xlsx", filename="t", header=["a", "b"], rows=[], actor=None, action="t")
    assert list(_workbook(response).active.iter_rows(values_only=True)) == [("a", "b")]


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return "" if value is None else str(value)


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORT_URLS)
def test_every_list_with_a_csv_gives_the_same_table_in_excel_to_the_same_people(client, cast, world, name):  # noqa: F811
    _method, arguments, expectations = MATRIX[name]
    url = reverse(name, kwargs=arguments(world) if arguments else None)

    def download(role, file_format):
        with transaction.atomic():  # each download alone: an export is audited, and the audit log is a list
            client.logout()
            if cast[role] is not None:
                client.force_login(cast[role])
            response = client.get(f"{url}?format={file_format}")
            if response.streaming:
                response.content_bytes = b"".join(response.streaming_content)
            transaction.set_rollback(True)
        return response

    for role, expected in zip(ROLES, expectations, strict=True):
        as_csv, as_excel = download(role, "csv"), download(role, "xlsx")
        assert as_excel.status_code == as_csv.status_code, (role, name)
        if expected != "ok":
            assert not as_excel.has_header("Content-Disposition"), (role, name)
            continue
        table = _csv_rows(as_csv)
        sheet = [list(row) for row in _workbook(as_excel).active.iter_rows(values_only=True)]
        assert sheet[0] == table[0], (role, name)  # the same columns
        assert len(sheet) == len(table), (role, name)  # the same rows
        for csv_row, excel_row in zip(table[1:], sheet[1:], strict=True):
            if any('"format": "csv"' in value for value in csv_row):
                continue  # the audit log lists its own export: a moment apart, in the other format
            for csv_value, excel_value in zip(csv_row, excel_row, strict=False):
                if isinstance(excel_value, str):  # text is the same text; numbers and dates are typed
                    assert excel_value == csv_value, (role, name)
                elif isinstance(excel_value, int | float) and not isinstance(excel_value, bool):
                    assert float(csv_value) == pytest.approx(excel_value), (role, name)


def test_excel_times_are_in_the_portals_time_zone(db, staff, settings):
    settings.TIME_ZONE = "Africa/Nairobi"
    now = timezone.now().replace(microsecond=0)
    response = table_response(file_format="xlsx", filename="t", header=["at"], rows=[[now]], actor=None, action="t")
    value = _workbook(response).active["A2"].value
    assert value == timezone.localtime(now).replace(tzinfo=None)
