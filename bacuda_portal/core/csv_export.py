"""CSV downloads of lists, shared by the staff pages and the Django admin."""

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.http.response import HttpResponseBase
from django.utils import timezone

from .services import audit_record
from .uploads import attachment_response


class _Echo:
    """A file-like object whose ``write`` returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _safe_cell(value: Any) -> Any:
    # Spreadsheets run cells starting with these as formulas (CSV injection); prefix them with a quote.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], actor: Any, action: str
) -> HttpResponseBase:
    """Stream rows as a UTF-8 CSV (with a BOM so spreadsheet programs read accents), and audit the export."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([str(title) for title in header])
        for row in rows:
            yield writer.writerow([_safe_cell(value) for value in row])

    audit_record(actor=actor, action=action, filename=filename)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return attachment_response(lines(), filename=f"{filename}-{stamp}.csv")
