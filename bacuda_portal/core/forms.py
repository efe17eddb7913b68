"""Form fields every app may use."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput, JSONString
from django.utils.translation import gettext_lazy as _

from . import safe_json

# The largest id a database integer column holds; a bigger one typed into a form must not reach the database.
LARGEST_ID = 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses ids no database column can hold as invalid choices.

    Django looks the chosen ids up with ``pk__in``; SQLite raises OverflowError (a server error) for an integer
    beyond 64 bits, where the user deserves the field's "not one of the available choices" message.
    """

    def _check_values(self, value):
        for pk in value or ():
            try:
                out_of_range = abs(int(str(pk))) > LARGEST_ID
            except (TypeError, ValueError):
                continue  # not an integer: Django's own check refuses it
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class BoundedJSONFormField(forms.JSONField):
    """Django's JSON field reading the text with ``core.safe_json``: nesting beyond ``BACUDA_JSON_MAX_DEPTH``, NaN,
    numbers too large, duplicate keys, NUL characters or more than ``max_bytes`` are form errors with a message.
    Django's own field catches syntax errors only, and its decoder recurses: deep input was a server error."""

    def __init__(self, *, max_bytes: int = safe_json.FIELD_MAX_BYTES, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def to_python(self, value):
        if self.disabled or value in self.empty_values or isinstance(value, list | dict | int | float | JSONString):
            return super().to_python(value)
        try:
            converted = safe_json.loads(value)
            safe_json.check_value(converted, max_bytes=self.max_bytes)
        except safe_json.UnsafeJSON as error:
            raise ValidationError(str(error), code="invalid") from None
        return JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data, initial):
        if self.disabled or data is None:
            return super().bound_data(data, initial)
        try:
            return safe_json.loads(data)
        except safe_json.UnsafeJSON:
            return InvalidJSONInput(data)  # shown back as typed


# --- The staff search of the audit log ---------------------------------------------------------------------
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Actor email, action or target."),
    )
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100)
    actor = forms.EmailField(label=_("Actor email"), required=False, max_length=254)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
