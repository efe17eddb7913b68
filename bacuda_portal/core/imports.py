"""Lists imported from a workbook (XLSX) or a CSV: read, previewed row by row, written all or nothing.

An app describes its import with an ``ImportSpec``: the columns (a header is recognised by its English or French
label, or its key), a form that checks one row, an optional check across rows (duplicates within the file), and
the service that writes the checked rows in one transaction. ``import_page`` is the page: the upload shows a preview
with each row's problems and writes nothing; the preview's rows travel signed to the confirmation, where they are
checked again (the data may have changed meanwhile) and written by the service, or not at all.
"""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .csv_export import table_response
from .uploads.text import text_lines

MAX_IMPORT_ROWS = 5_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A workbook is a ZIP of XML files: refuse one that would inflate far beyond what a list of rows needs.
MAX_WORKBOOK_MEMBERS = 200
MAX_WORKBOOK_INFLATED_BYTES = 60 * 1024 * 1024
PREVIEW_MAX_AGE = 60 * 60  # seconds between the preview and its confirmation


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, columns missing, too many rows)."""


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation: shown in the current language, recognised in English and French
    required: bool = False
    help: Any = ""
    # Other headers that name the column, such as another program's export writes them ("Adresse de courriel").
    aliases: tuple[str, ...] = ()

    def accepted_names(self) -> set[str]:
        names = {_normalised(self.key), *(_normalised(alias) for alias in self.aliases)}
        for language in ("en", "fr"):
            with translation.override(language):
                names.add(_normalised(str(self.label)))
        return names


@dataclass(frozen=True)
class ImportSpec:
    name: str  # e.g. "experts": the signing salt, the template's file name and the audit action's prefix
    columns: tuple[Column, ...]
    row_form: type[forms.Form]
    # Checks across rows: given the rows' cleaned data (None where a row failed) and the row form's keyword
    # arguments, returns {row index: [errors]}.
    check_rows: Callable[..., dict[int, list[str]]] | None = field(default=None)
    # What will become of each row without problems, shown in the preview: given the rows' cleaned data (None
    # where a row failed) and the row form's keyword arguments, returns {row index: outcome}.
    describe_rows: Callable[..., dict[int, str]] | None = field(default=None)

    def header(self) -> list[str]:
        return [str(column.label) for column in self.columns]


@dataclass
class RowResult:
    number: int  # the row's number in the spreadsheet (the header is row 1)
    values: dict[str, str]
    errors: list[str]
    cleaned: dict | None
    note: str = ""  # the row's outcome, from the spec's describe_rows


def repeated_emails(rows: list[dict | None], **_form_kwargs) -> dict[int, list[str]]:
    """Rows whose email address an earlier row of the file already has (a ``check_rows`` of an ImportSpec)."""
    return repeated_rows(rows, key=lambda row: row["email"])


def repeated_rows(rows: list[dict | None], *, key: Callable[[dict], Any]) -> dict[int, list[str]]:
    """Rows whose ``key`` (an email address, or a person within a group) an earlier row of the file already has."""
    seen, problems = {}, {}
    for index, row in enumerate(rows):
        if row is None:
            continue
        value = key(row)
        if value in seen:
            problems[index] = [_("The same email address is on row %(row)d.") % {"row": seen[value] + 2}]
        else:
            seen[value] = index
    return problems


class ImportChoiceField(forms.ChoiceField):
    """A choice written in a spreadsheet: its code ("female") or its label in English or French ("Femme")."""

    def to_python(self, value):
        text = _normalised(super().to_python(value))
        if not text:
            return ""
        for code, label in self.choices:
            names = {_normalised(code)}
            for language in ("en", "fr"):
                with translation.override(language):
                    names.add(_normalised(str(label)))
            if text in names:
                return code
        raise ValidationError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(str(label) for code, label in self.choices if code)}
        )


class ImportBooleanField(forms.Field):
    """Yes or no written in a spreadsheet, in English or French; an empty cell is ``empty_value``."""

    TRUE = {"yes", "y", "oui", "o", "true", "vrai", "1", "x"}
    FALSE = {"no", "n", "non", "false", "faux", "0"}

    def __init__(self, *, empty_value: bool = False, **kwargs):
        self.empty_value = empty_value
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = _normalised(value or "")
        if not text:
            return self.empty_value
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(_("Write yes or no (oui or non)."))


class ImportDateField(forms.DateField):
    """A date from a workbook cell (read as an ISO date) or typed as 2024-03-31, 31/03/2024 or 31.03.2024."""

    input_formats = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")


def _normalised(name: str) -> str:
    return " ".join(str(name).replace("*", " ").split()).casefold()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(uploaded) -> list[list[str]]:
    try:
        return [row for row in csv.reader(text_lines(uploaded)) if any(cell.strip() for cell in row)]
    except ValidationError as error:
        raise ImportFileError(" ".join(error.messages)) from None
    except csv.Error as error:
        raise ImportFileError(_("The file is not a readable CSV: %(error)s") % {"error": error}) from None


def _read_xlsx(uploaded) -> list[list[str]]:
    import openpyxl  # imported here: only an import reads workbooks

    data = uploaded.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_WORKBOOK_MEMBERS or sum(m.file_size for m in members) > MAX_WORKBOOK_INFLATED_BYTES:
                raise ImportFileError(_("This workbook is too large once unpacked to be a list of rows."))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:  # not a ZIP, not a workbook, XML refused by defusedxml...
        raise ImportFileError(_("This is not an Excel workbook (.xlsx) we can read.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            texts = [_text(value) for value in row]
            if any(texts):
                rows.append(texts)
            if len(rows) > MAX_IMPORT_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_rows(spec: ImportSpec, uploaded) -> tuple[list[dict[str, str]], list[str]]:
    """The file's rows as {column key: text}, and the names of the columns it has that the import does not use.

    Raises ImportFileError when the file cannot be read or lacks a required column."""
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    extension = PurePath(uploaded.name or "").suffix.lower()
    if extension == ".xlsx":
        table = _read_xlsx(uploaded)
    elif extension == ".csv":
        table = _read_csv(uploaded)
    else:
        raise ImportFileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    if not table:
        raise ImportFileError(_("The file is empty."))
    header, *body = table
    if len(body) > MAX_IMPORT_ROWS:
        raise ImportFileError(_("The file has more than %(max)d rows: split it.") % {"max": MAX_IMPORT_ROWS})
    positions, ignored = {}, []
    for position, name in enumerate(header):
        column = next((c for c in spec.columns if _normalised(name) in c.accepted_names()), None)
        if column is None or column.key in positions:
            if name:
                ignored.append(name)
        else:
            positions[column.key] = position
    missing = [str(column.label) for column in spec.columns if column.required and column.key not in positions]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = [
        {key: (row[position] if position < len(row) else "") for key, position in positions.items()} for row in body
    ]
    if not rows:
        raise ImportFileError(_("The file has a header but no rows."))
    return rows, ignored


def validate_rows(spec: ImportSpec, rows: list[dict[str, str]], **form_kwargs) -> list[RowResult]:
    """Each row checked by the spec's form, then the rows checked together."""
    results = []
    for index, values in enumerate(rows):
        form = spec.row_form(data=values, **form_kwargs)
        if form.is_valid():
            results.append(RowResult(index + 2, values, [], form.cleaned_data))
        else:
            errors = []
            for name, messages_ in form.errors.items():
                label = str(form.fields[name].label) if name in form.fields else ""
                errors += [f"{label}: {message}" if label else message for message in messages_]
            results.append(RowResult(index + 2, values, errors, None))
    if spec.check_rows is not None:
        for index, problems in spec.check_rows([result.cleaned for result in results], **form_kwargs).items():
            results[index].errors += problems
            results[index].cleaned = None
    if spec.describe_rows is not None:
        for index, note in spec.describe_rows([result.cleaned for result in results], **form_kwargs).items():
            results[index].note = note
    return results


def sign_rows(spec: ImportSpec, rows: list[dict[str, str]]) -> str:
    return signing.dumps(rows, salt=f"imports.{spec.name}", compress=True)


def unsign_rows(spec: ImportSpec, token: str) -> list[dict[str, str]]:
    try:
        rows = signing.loads(token, salt=f"imports.{spec.name}", max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportFileError(_("The preview is more than an hour old: upload the file again.")) from None
    except signing.BadSignature:
        raise ImportFileError(_("The preview could not be read: upload the file again.")) from None
    if not isinstance(rows, list) or len(rows) > MAX_IMPORT_ROWS or not all(isinstance(r, dict) for r in rows):
        raise ImportFileError(_("The preview could not be read: upload the file again."))
    return rows


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook or CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel (.xlsx) or CSV (UTF-8), the first row naming the columns; at most %(rows)s rows."
        ) % {"rows": number_format(MAX_IMPORT_ROWS, force_grouping=True)}


def import_page(
    request,
    *,
    spec: ImportSpec,
    write: Callable[[list[dict]], Any],
    title: str,
    intro: str,
    done_url: str,
    form_kwargs: dict | None = None,
    success: Callable[[Any], str] | None = None,
):
    """The whole import page of a list: template download, upload, preview, confirmation.

    ``write`` receives the rows' cleaned data and writes them (a service, in one transaction); it may raise
    ValidationError, and then nothing is written. ``success``, given what ``write`` returned, is the message
    shown after the import (by default, the number of rows). The caller has checked access."""
    form_kwargs = form_kwargs or {}
    if request.method == "GET" and request.GET.get("template") in ("csv", "xlsx"):
        return table_response(
            file_format=request.GET["template"],
            filename=f"bacuda-{spec.name}-import",
            header=spec.header(),
            rows=[],
            actor=None,
            action="",
        )
    context = {"spec": spec, "title": title, "intro": intro, "done_url": done_url, "upload_form": ImportUploadForm()}
    status = 200
    if request.method == "POST":
        try:
            if "confirm" in request.POST:
                rows, ignored = unsign_rows(spec, request.POST.get("rows", "")), []
            else:
                upload_form = ImportUploadForm(request.POST, request.FILES)
                context["upload_form"] = upload_form
                if not upload_form.is_valid():
                    raise ImportFileError(_("Choose the file to import."))
                rows, ignored = read_rows(spec, upload_form.cleaned_data["file"])
            results = validate_rows(spec, rows, **form_kwargs)
            failed = [result for result in results if result.errors]
            if "confirm" in request.POST and not failed:
                try:
                    with transaction.atomic():
                        written = write([result.cleaned for result in results])
                except ValidationError as error:
                    raise ImportFileError(" ".join(error.messages)) from None
                if success is not None:
                    messages.success(request, success(written))
                else:
                    count = len(results)  # rows, whatever the service made of them (a workshop from many rows)
                    messages.success(
                        request,
                        ngettext("%(count)d row imported.", "%(count)d rows imported.", count) % {"count": count},
                    )
                return redirect(done_url)
            context.update(
                results=results,
                failed=len(failed),
                ignored=ignored,
                token=sign_rows(spec, rows) if not failed else "",
                columns=spec.columns,
                has_outcomes=spec.describe_rows is not None,
            )
            status = 200 if not failed else 400
        except ImportFileError as error:
            context["file_error"] = str(error)
            status = 400
    return render(request, "core/import.html", context, status=status)
