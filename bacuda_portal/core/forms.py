"""Form fields every app may use."""

from django import forms
from django.core.exceptions import ValidationError

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
