"""Bulk actions: staff decide many rows at once, one transaction per row, and are told what succeeded and why each
failure failed. Nothing is half-done: a row's service call commits whole or not at all; the other rows go on.

A view picks the rows the user may act on (its access layer), then ``bulk_apply`` runs the row's service on each and
``report_bulk`` turns the outcome into messages.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .exceptions import TransitionError

# At most this many failures are named one by one in the message; the rest are counted.
NAMED_FAILURES = 20


@dataclass
class BulkOutcome:
    done: list[str] = field(default_factory=list)  # each row's label
    failed: list[tuple[str, str]] = field(default_factory=list)  # (label, reason)


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def bulk_apply(rows: Iterable[Any], action: Callable[[Any], Any], *, label: Callable[[Any], str]) -> BulkOutcome:
    """``action(row)`` for each row in its own transaction; a refusal (ValidationError, TransitionError) is recorded
    with its reason and the next row goes on. Any other error is a defect and propagates."""
    outcome = BulkOutcome()
    for row in rows:
        try:
            with transaction.atomic():
                action(row)
        except (ValidationError, TransitionError) as error:
            outcome.failed.append((label(row), _reason(error)))
        else:
            outcome.done.append(label(row))
    return outcome


def report_bulk(request, outcome: BulkOutcome, *, done: Callable[[int], str]) -> None:
    """Messages for the user: ``done(count)`` (an ngettext with %(count)d) for the successes, and every failure with
    its reason."""
    if outcome.done:
        messages.success(request, done(len(outcome.done)) % {"count": len(outcome.done)})
    if outcome.failed:
        named = "; ".join(f"{label}: {reason}" for label, reason in outcome.failed[:NAMED_FAILURES])
        more = len(outcome.failed) - NAMED_FAILURES
        if more > 0:
            named += " " + ngettext("(and %(count)d more)", "(and %(count)d more)", more) % {"count": more}
        messages.error(
            request,
            ngettext("%(count)d row was not changed: %(rows)s", "%(count)d rows were not changed: %(rows)s",
                     len(outcome.failed)) % {"count": len(outcome.failed), "rows": named},
        )  # fmt: skip


class RowIdsField(forms.Field):
    """The ids of the ticked rows (checkboxes named alike, or typed references), in the order given; ``allowed``
    limits them to the rows the page offered."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, allowed: set[int] | None = None, **kwargs):
        self.allowed = allowed
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        try:
            ids = list(dict.fromkeys(int(item) for item in value))  # in the page's order (a ranking), once each
        except (TypeError, ValueError):
            raise ValidationError(_("The ticked rows could not be read.")) from None
        if self.allowed is not None and not set(ids) <= self.allowed:
            raise ValidationError(_("A ticked row is not on this page any more: reload it and try again."))
        return ids


class BulkForm(forms.Form):
    """The rows ticked on a list page and the action chosen for them.

    ``row_ids``: the rows the page offered (others are refused), or None when the view itself narrows the ids to
    what the user may see (a long list)."""

    action = forms.ChoiceField(error_messages={"required": gettext_lazy("Choose what to do with the ticked rows.")})

    def __init__(self, *args, row_ids: Iterable[int] | None, actions: Iterable[tuple[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rows"] = RowIdsField(
            allowed=None if row_ids is None else set(row_ids),
            error_messages={"required": gettext_lazy("Tick at least one row.")},
        )
        self.fields["action"].choices = list(actions)

    def first_error(self) -> str:
        for errors in self.errors.values():
            return " ".join(str(error) for error in errors)
        return _("Nothing was changed.")
