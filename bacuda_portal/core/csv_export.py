"""Downloads of lists as CSV or Excel (XLSX), shared by the staff pages and the Django admin.

A list view offers both: ``export_format(request)`` reads ``?format=csv`` or ``?format=xlsx`` and
``table_response`` writes the rows in that format, audited the same way. In a workbook, numbers, dates and
times keep their type (times in the portal's time zone, which the header names), the header row is frozen and
filterable, columns are sized to their content, and text that would start a formula is neutralised as in the CSV.
"""

import csv
import datetime as dt
import decimal
import tempfile
from collections.abc import Iterable, Sequence
from itertools import chain, islice
from typing import Any

import xlsxwriter
from django.http.response import HttpResponseBase
from django.utils import timezone

from .csv_cells import safe_cell
from .services import audit_record
from .uploads import attachment_response

EXPORT_FORMATS = ("csv", "xlsx")
WIDTH_SAMPLE_ROWS = 200  # rows read to size the columns before the sheet is written
MAX_COLUMN_WIDTH = 60


class _Echo:
    """A file-like object whose ``write`` returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


_safe_cell = safe_cell  # the rule lives in csv_cells, shared with the model engines' CSV results


def export_format(request) -> str | None:
    """``csv`` or ``xlsx`` when the list page is asked for a download, else None."""
    value = request.GET.get("format")
    return value if value in EXPORT_FORMATS else None


def table_response(
    *,
    file_format: str,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    actor: Any,
    action: str,
) -> HttpResponseBase:
    """The rows as a CSV or an Excel workbook (``file_format``), audited as an export."""
    write = {"csv": csv_response, "xlsx": xlsx_response}[file_format]
    return write(filename=filename, header=header, rows=rows, actor=actor, action=action)


def _stamped(filename: str, extension: str) -> str:
    return f"{filename}-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], actor: Any, action: str
) -> HttpResponseBase:
    """Stream rows as a UTF-8 CSV (with a BOM so spreadsheet programs read accents), and audit the export."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([str(title) for title in header])
        for row in rows:
            yield writer.writerow([_safe_cell(value) for value in row])

    if action:  # an empty template to fill in is not an export of anything
        audit_record(actor=actor, action=action, filename=filename, format="csv")
    return attachment_response(lines(), filename=_stamped(filename, "csv"))


def _excel_value(value: Any) -> Any:
    """A cell's value as the workbook stores it: numbers, dates and booleans typed; the rest as safe text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    return safe_cell(str(value))


def _shown_width(value: Any) -> int:
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return len(str(value)) if value is not None else 0


def xlsx_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], actor: Any, action: str
) -> HttpResponseBase:
    """Write rows to an Excel workbook (one sheet, row by row: constant memory), and audit the export."""
    if action:  # first, as the CSV's; an empty template to fill in is not an export of anything
        audit_record(actor=actor, action=action, filename=filename, format="xlsx")
    rows = iter(rows)
    sample = [[_excel_value(value) for value in row] for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    titles = [str(title) for title in header]
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response reads and closes it
    workbook = xlsxwriter.Workbook(
        handle,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "in_memory": False},
    )
    sheet = workbook.add_worksheet(filename[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    time_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for column, title in enumerate(titles):
        widest = max([len(title), *(_shown_width(row[column]) for row in sample if column < len(row))])
        sheet.set_column(column, column, min(MAX_COLUMN_WIDTH, widest + 2))
    sheet.freeze_panes(1, 0)

    def write_row(number: int, values: Sequence[Any]) -> None:
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                sheet.write_datetime(number, column, value, time_format)
            elif isinstance(value, dt.date):
                sheet.write_datetime(number, column, value, date_format)
            elif isinstance(value, bool):
                sheet.write_boolean(number, column, value)
            elif isinstance(value, int | float):
                sheet.write_number(number, column, value)
            else:
                sheet.write_string(number, column, value)  # text is never read as a formula

    sheet.write_row(0, 0, titles, bold)
    last = 0
    for values in chain(sample, ([_excel_value(value) for value in row] for row in rows)):
        last += 1
        write_row(last, values)
    sheet.autofilter(0, 0, max(last, 1), max(len(titles) - 1, 0))
    workbook.close()
    handle.seek(0)
    return attachment_response(handle, filename=_stamped(filename, "xlsx"))
