"""Content checks of an uploaded CSV: the declarations layout, labelled goods descriptions, or goods descriptions
to classify (a description column, an optional declared-code column).

The file is read as a stream, once, through the portal's one upload check for text (``core.uploads.text_lines``:
UTF-8 throughout, no NUL byte, not another file type): the checksum, row count and date range are computed while
each row is checked, and only the first ``max_problems`` problems are kept (by row and column). A file over the
size limit is refused before it is read; binary content, an empty file and wrong columns are refused with a clear
reason.

Declarations are read through a column mapping (field of the layout -> the file's column; see column_mapping.py):
the tariff code may be HS6, HS8 or HS10 (tariff_codes.py derives the HS6 and restores a leading zero a spreadsheet
dropped, counted in ``restored_codes``), and columns the mapping does not use are kept and typed (``extra_columns``).
With ``out`` (a text file), the rows are written there in the stored layout: the layout's columns under their own
names, the national ``Tariff Code`` (when the code came from another column than "HS6 Code"), then the extra
columns.
"""

import csv
import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bacuda_portal.core.uploads import check_size, text_lines

from .declarations import (
    COLUMNS,
    CRITICAL_FRAUD,
    DATE,
    DECLARATION_ID,
    FRAUD,
    HS6_CODE,
    IMPORTER_ID,
    LABEL_COLUMNS,
    NUMERIC_COLUMNS,
    TARIFF_CODE,
)
from .enums import DatasetKind
from .extra_columns import ExtraColumnTracker
from .tariff_codes import CodeRefused, read_code, width_from_name

HS_DESCRIPTION, HS_CODE = "description", "hs_code"
HS_COLUMNS = (HS_DESCRIPTION, HS_CODE)
REQUIRED_TEXT_COLUMNS = (DECLARATION_ID, IMPORTER_ID)
COUNTRY_COLUMNS = ("Country of Departure", "Country of Origin")
_HS_LABEL = re.compile(r"^\d{6,12}$")  # as the AI-HS engine reads them: dots and spaces removed
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass
class Problem:
    row: int | None  # the line of the file (the header is line 1); None for the file as a whole
    column: str
    message: str


@dataclass
class ValidationReport:
    kind: str
    size: int = 0
    row_count: int = 0
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    has_labels: bool = False
    sha256: str = ""
    problems: list[Problem] = field(default_factory=list)
    more_problems: bool = False  # problems beyond the first max_problems were not kept
    columns: dict = field(default_factory=dict)  # descriptions to classify: the columns found (see batch.py)
    restored_codes: int = 0  # declarations: tariff codes whose lost leading zero was put back
    code_lengths: dict = field(default_factory=dict)  # declarations: tariff-code length -> rows (after restoring)
    extra_columns: dict = field(default_factory=dict)  # declarations: extra column -> its kind (extra_columns.py)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Stop(Exception):
    pass


def validate_csv(
    uploaded,
    *,
    kind: str,
    max_megabytes: int,
    max_problems: int,
    columns: dict | None = None,
    mapping: dict | None = None,
    out=None,
) -> ValidationReport:
    """Check an uploaded file (anything with ``size``, ``seek`` and ``read``) and describe it. ``columns``
    (descriptions to classify): the ``description`` and ``declared_code`` column names the user chose, if any.
    ``mapping`` (declarations): field -> the file's column, checked by ``column_mapping.check`` beforehand; without
    it the file's columns must be the layout's. ``out`` (declarations): where to write the stored layout."""
    report = ValidationReport(kind=kind, size=uploaded.size)
    try:
        check_size(uploaded, max_megabytes)
    except ValidationError as error:
        report.problems.append(Problem(None, "", error.messages[0]))
        return report
    if uploaded.size == 0:
        report.problems.append(Problem(None, "", _("The file is empty.")))
        return report
    digest = hashlib.sha256()
    try:
        rows = csv.reader(text_lines(uploaded, on_chunk=digest.update))
        header = next(rows, None)
        if header is None or not any(cell.strip() for cell in header):
            report.problems.append(Problem(None, "", _("The file is empty.")))
            raise _Stop
        header = [cell.strip() for cell in header]
        if kind == DatasetKind.DECLARATIONS:
            row_check = _declaration_checker(header, report, mapping, out)
        elif kind == DatasetKind.HS_DESCRIPTIONS:
            row_check = _descriptions_checker(header, report, columns or {})
        else:
            row_check = _hs_checker(header, report)
        if report.problems:
            raise _Stop
        for line_number, row in enumerate(rows, start=2):
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            report.row_count += 1
            if len(row) != len(header):
                _add(
                    report,
                    max_problems,
                    line_number,
                    "",
                    _("This row has %(found)d cells; the header has %(expected)d.")
                    % {"found": len(row), "expected": len(header)},
                )
                continue
            for column, message in row_check(dict(zip(header, row, strict=True))):
                _add(report, max_problems, line_number, column, message)
        if kind == DatasetKind.DECLARATIONS:
            report.extra_columns = row_check.extra_kinds()
    except _Stop:
        pass
    except ValidationError as error:  # not text: binary data, another file type, another encoding
        report.problems.append(Problem(None, "", error.messages[0]))
    except csv.Error as error:
        report.problems.append(Problem(None, "", _("The file is not a readable CSV: %(error)s") % {"error": error}))
    if not report.problems and report.row_count == 0:
        report.problems.append(Problem(None, "", _("The file has a header but no rows.")))
    report.sha256 = digest.hexdigest()
    return report


def _add(report: ValidationReport, max_problems: int, row: int, column: str, message: str) -> None:
    if len(report.problems) < max_problems:
        report.problems.append(Problem(row, column, message))
    else:
        report.more_problems = True


def _header_problems(header: list[str], required: tuple[str, ...], allowed: tuple[str, ...], report) -> None:
    missing = [column for column in required if column not in header]
    unexpected = [column for column in header if column not in allowed]
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if missing:
        report.problems.append(Problem(1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
    if unexpected:
        report.problems.append(
            Problem(1, "", _("Unexpected columns: %(columns)s.") % {"columns": ", ".join(unexpected)})
        )
    if duplicated:
        report.problems.append(Problem(1, "", _("Repeated columns: %(columns)s.") % {"columns": ", ".join(duplicated)}))


class _DeclarationCheck:
    """Checks one declaration row (the layout's fields through the mapping), writes it in the stored layout."""

    def __init__(self, header, report, mapping, out):
        self.report, self.mapping = report, mapping
        self.code_column = mapping[HS6_CODE]
        self.width = width_from_name(self.code_column)
        self.fields = [column for column in COLUMNS if column in mapping]
        used = set(mapping.values())
        self.extras = [column for column in header if column not in used]
        self.tracker = ExtraColumnTracker(self.extras)
        # A file whose code column is the layout's own HS6 Code is stored as it came (a lost zero restored).
        self.national_column = [TARIFF_CODE] if self.code_column != HS6_CODE else []
        self.writer = csv.writer(out, lineterminator="\n") if out is not None else None
        if self.writer is not None:
            self.writer.writerow([*self.fields, *self.national_column, *self.extras])

    def extra_kinds(self) -> dict:
        return self.tracker.kinds()

    def __call__(self, cells: dict):
        row = {column: cells[self.mapping[column]] for column in self.fields}
        problems = list(self._problems(row))
        self.tracker.add(cells)
        if self.writer is not None and not problems:
            values = [row[column] for column in self.fields]
            national = [self.national] if self.national_column else []
            self.writer.writerow([*values, *national, *(cells[column] for column in self.extras)])
        return problems

    def _problems(self, row: dict):
        report = self.report
        date_text = row[DATE].strip()
        try:
            day = dt.date.fromisoformat(date_text) if len(date_text) == 10 else None
        except ValueError:
            day = None
        if day is None:
            yield DATE, _("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": date_text[:40]}
        else:
            report.date_from = min(report.date_from or day, day)
            report.date_to = max(report.date_to or day, day)
        for column in REQUIRED_TEXT_COLUMNS:
            if not row[column].strip():
                yield column, _("This cell is empty.")
        self.national = ""
        try:
            code = read_code(row[HS6_CODE], width=self.width)
        except CodeRefused as error:
            yield HS6_CODE, str(error)
        else:
            row[HS6_CODE], self.national = code.hs6, code.national
            report.restored_codes += code.restored
            length = len(code.national)
            report.code_lengths[length] = report.code_lengths.get(length, 0) + 1
        for column in COUNTRY_COLUMNS:
            value = row[column].strip()
            if value and not _COUNTRY.match(value):
                yield column, _("“%(value)s” is not a two-letter country code.") % {"value": value[:40]}
        for column in NUMERIC_COLUMNS:
            value = row[column].strip()
            try:
                number = float(value)
            except ValueError:
                number = None
            if number is None or not math.isfinite(number):
                yield column, _("“%(value)s” is not a number.") % {"value": value[:40]}
            elif number < 0:
                yield column, _("%(value)s is negative.") % {"value": value[:40]}
        if report.has_labels:
            if row[FRAUD].strip() not in ("0", "1"):
                yield FRAUD, _("“%(value)s” is not 0 or 1.") % {"value": row[FRAUD][:40]}
            if row[CRITICAL_FRAUD].strip() not in ("0", "1", "2"):
                yield CRITICAL_FRAUD, _("“%(value)s” is not 0, 1 or 2.") % {"value": row[CRITICAL_FRAUD][:40]}


def _declaration_checker(header: list[str], report: ValidationReport, mapping: dict | None, out):
    if mapping is None:  # the file's columns must be the layout's
        required = tuple(column for column in COLUMNS if column not in LABEL_COLUMNS)
        _header_problems(header, required, COLUMNS, report)
        mapping = {column: column for column in COLUMNS if column in header}
        labels = [column for column in LABEL_COLUMNS if column in header]
        if len(labels) == 1:
            report.problems.append(
                Problem(1, "", _("The columns %(columns)s go together.") % {"columns": " and ".join(LABEL_COLUMNS)})
            )
        if report.problems:
            return None
    report.has_labels = all(column in mapping for column in LABEL_COLUMNS)
    return _DeclarationCheck(header, report, mapping, out)


def _hs_checker(header: list[str], report: ValidationReport):
    _header_problems(header, HS_COLUMNS, tuple(header), report)  # other columns are allowed (and ignored)
    report.has_labels = True

    def check(row: dict):
        if not row[HS_DESCRIPTION].strip():
            yield HS_DESCRIPTION, _("This cell is empty.")
        code = row[HS_CODE].replace(".", "").replace(" ", "")
        if not _HS_LABEL.match(code):
            yield HS_CODE, _("“%(value)s” is not an HS code of 6 to 12 digits.") % {"value": row[HS_CODE][:40]}

    return check


def _descriptions_checker(header: list[str], report: ValidationReport, columns: dict):
    """Goods descriptions to classify: a column of descriptions, chosen or found by its usual name, and an optional
    declared-code column. Rows are not refused: the job flags an empty description or an unknown declared code."""
    from .engines.aihs.batch import CODE_NAMES, DESCRIPTION_NAMES, find_column

    found = ", ".join(name for name in header if name) or "–"
    duplicated = sorted({column for column in header if column and header.count(column) > 1})
    if duplicated:
        report.problems.append(Problem(1, "", _("Repeated columns: %(columns)s.") % {"columns": ", ".join(duplicated)}))
    chosen_description, chosen_code = columns.get("description") or "", columns.get("declared_code") or ""
    description = find_column(header, chosen_description, DESCRIPTION_NAMES)
    code = find_column(header, chosen_code, CODE_NAMES) if chosen_code else find_column(header, None, CODE_NAMES)
    for chosen, column in ((chosen_description, description), (chosen_code, code)):
        if chosen and column is None:
            report.problems.append(
                Problem(1, "", _("There is no column “%(name)s” in the file (its columns: %(columns)s).")
                        % {"name": chosen[:100], "columns": found})
            )  # fmt: skip
    if not chosen_description and description is None:
        report.problems.append(
            Problem(1, "", _("No column of goods descriptions was found: name it (the file's columns: %(columns)s).")
                    % {"columns": found})
        )  # fmt: skip
    if description is not None and description == code:
        report.problems.append(Problem(1, "", _("The descriptions and the declared codes must be two columns.")))
    report.columns = {"description": description or "", "declared_code": code or ""}
    return lambda row: ()
