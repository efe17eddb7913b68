"""CSV downloads of lists, shared by the staff pages and the Django admin."""

import csv
from collections.abc import Iterable, Sequence
from typing import Any

from django.http.response import HttpResponseBase
from django.utils import timezone

from .csv_cells import safe_cell
from .services import audit_record
from .uploads import attachment_response


class _Echo:
    """A file-like object whose ``write`` returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


_safe_cell = safe_cell  # the rule lives in csv_cells, shared with the model engines' CSV results


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
