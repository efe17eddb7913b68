"""Choices that cost less to show: labels translated once per language, short model lists read in one query.

Django's ``get_FOO_display()`` translates every label of the field's choices each time it is called (it builds a
dict keyed by the lazy labels), about 15 µs a label: a list of 50 rows showing a status with seven choices spent
several milliseconds on it. The labels are fixed at start-up, so one translated copy per language is enough.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db.models import Choices
from django.dispatch import receiver
from django.utils.encoding import force_str
from django.utils.translation import get_language, gettext_lazy

# (choices, language) -> {value: translated label}; shared by all requests, it holds only public labels.
_translated: dict[tuple, dict] = {}


def _labels(key, choices) -> dict:
    language = get_language()
    labels = _translated.get((key, language))
    if labels is None:
        labels = _translated[(key, language)] = {value: force_str(label) for value, label in choices}
    return labels


def choice_labels(choices: type[Choices]) -> dict:
    """``{value: label}`` of a choices enum, in the active language."""
    return _labels(choices, choices.choices)


class ChoiceLabelsMixin:
    """Put first in a model's bases: its ``get_FOO_display()`` methods then read the per-language labels.

    Same result as Django's: the label of the value, or the value itself when it is not one of the choices.
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            return _labels(field, field.flatchoices).get(value, value)
        except TypeError:  # an unhashable value is never one of the choices
            return value


@receiver(setting_changed)
def _forget_labels(*, setting, **kwargs):
    """Tests that change the languages or the catalogues get freshly translated labels."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _translated.clear()


class PlainModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads the choices with one ordinary query.

    Django's iterator reads them through ``QuerySet.iterator()``, which on PostgreSQL is a server-side cursor:
    three round trips (declare, fetch, close) for a list of a few dozen rows.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ReferenceChoiceField(forms.ModelChoiceField):
    """A choice among a short reference list (regions, expertise areas), read once per form: the choice is
    checked against the rows the select shows rather than with a query of its own. See also
    ``PlainModelChoiceIterator``."""

    iterator = PlainModelChoiceIterator

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.queryset:  # evaluated once; the select's options reuse the rows
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


def with_blank(choices, label=None) -> list:
    """A required choice with an empty first entry: nothing about a person or a decision is preselected, so a
    form sent without choosing says "This field is required." instead of recording the first choice."""
    return [("", label or gettext_lazy("Choose…")), *choices]
