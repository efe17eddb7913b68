"""Workshop imports: a contact point's nominations for a workshop, and staff's past activities (workshops delivered
before the portal, with their participants), each previewed then written all or nothing (bacuda_portal.core.imports).
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.imports import (
    Column,
    ImportBooleanField,
    ImportChoiceField,
    ImportDateField,
    ImportSpec,
    repeated_emails,
    repeated_rows,
)

from . import selectors
from .enums import Gender, WorkingLanguage, WorkshopKind
from .experts.imports import administration_cell
from .forms import NominationForm


# --- Nominations (a contact point, for their administration, to one workshop) ---------------------------------
class NominationImportRowForm(NominationForm):
    """The nomination form's fields, as a spreadsheet writes them (labels in English or French, yes/no)."""

    gender = ImportChoiceField(label=_("Gender"), choices=Gender.choices)
    language = ImportChoiceField(label=_("Preferred language"), choices=WorkingLanguage.choices)
    consent_to_list = ImportBooleanField(label=_("Agrees to appear on the participant list"))

    def __init__(self, *args, workshop, administration, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if selectors.is_nominated(self.workshop, email):
            raise forms.ValidationError(gettext("This person is already nominated for this workshop."))
        return email


def _nomination_rows_check(rows: list[dict | None], *, workshop, administration) -> dict[int, list[str]]:
    """Repeated people, and the rows beyond the administration's places left (or all rows once nominations close)."""
    problems = repeated_emails(rows)
    if not selectors.nominations_open(workshop):
        closed = gettext("Nominations are closed for this workshop.")
        return {index: [closed] for index in range(len(rows))}
    places = selectors.places_left(workshop, administration)
    taken = 0
    for index, row in enumerate(rows):
        if row is None or index in problems:
            continue
        taken += 1
        if taken > places:
            problems[index] = [
                gettext("Beyond your administration's places: %(places)d left for this workshop.") % {"places": places}
            ]
    return problems


NOMINATION_IMPORT = ImportSpec(
    name="nominations",
    row_form=NominationImportRowForm,
    check_rows=_nomination_rows_check,
    columns=(
        Column("full_name", _("Full name"), required=True),
        Column("gender", _("Gender"), required=True, help=_("Female, Male or Other (in English or French).")),
        Column("position", _("Position"), required=True),
        Column("email", _("Email address"), required=True, help=_("One nomination per person.")),
        Column("language", _("Preferred language"), required=True, help=_("A language code (en, fr…) or its name.")),
        Column(
            "consent_to_list",
            _("Agrees to appear on the participant list"),
            help=_("Yes or no; an empty cell means no."),
        ),
    ),
)


# --- Past activities (staff: workshops delivered before the portal) -------------------------------------------
class PastActivityRowForm(forms.Form):
    """One participant of a past workshop; the workshop's own columns repeat on each of its participants' rows."""

    title = forms.CharField(label=_("Workshop"), max_length=200)
    kind = ImportChoiceField(label=_("Kind"), choices=WorkshopKind.choices)
    start_date = ImportDateField(label=_("Start date"))
    end_date = ImportDateField(label=_("End date"))
    host_city = forms.CharField(label=_("Host city"), max_length=120, required=False)
    administration = forms.CharField(label=_("Administration"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    gender = ImportChoiceField(label=_("Gender"), choices=Gender.choices)
    position = forms.CharField(label=_("Position"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    attended = ImportBooleanField(label=_("Attended"), empty_value=True)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_administration(self):
        return administration_cell(self.cleaned_data["administration"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", gettext("The end date is before the start date."))
            elif end >= self.today:
                self.add_error("end_date", gettext("A past activity ended before today."))
            elif selectors.workshop_exists(title=cleaned.get("title", ""), start_date=start, end_date=end):
                self.add_error("title", gettext("This workshop is already in the portal."))
        return cleaned


def past_activity_key(row: dict) -> tuple:
    """The workshop a row belongs to: the rows with the same title and dates are one workshop."""
    return (row["title"].strip().casefold(), row["start_date"], row["end_date"])


def _past_activity_rows_check(rows: list[dict | None], **_form_kwargs) -> dict[int, list[str]]:
    """The same person twice in one workshop, and a workshop whose rows disagree on its kind or city."""
    problems = repeated_rows(rows, key=lambda row: (past_activity_key(row), row["email"]))
    first_row = {}
    for index, row in enumerate(rows):
        if row is None:
            continue
        first = first_row.setdefault(past_activity_key(row), (index, row))
        earlier_index, earlier = first
        if (row["kind"], row["host_city"].strip()) != (earlier["kind"], earlier["host_city"].strip()):
            problems.setdefault(index, []).append(
                gettext("The kind or host city differs from row %(row)d of the same workshop.")
                % {"row": earlier_index + 2}
            )
    return problems


PAST_ACTIVITY_IMPORT = ImportSpec(
    name="past-activities",
    row_form=PastActivityRowForm,
    check_rows=_past_activity_rows_check,
    columns=(
        Column("title", _("Workshop"), required=True, help=_("Rows with the same title and dates are one workshop.")),
        Column("kind", _("Kind"), required=True, help=_("National, Regional, Sub-regional, Online or Blended.")),
        Column("start_date", _("Start date"), required=True, help=_("e.g. 2021-03-15 or 15/03/2021.")),
        Column("end_date", _("End date"), required=True),
        Column("host_city", _("Host city")),
        Column("administration", _("Administration"), required=True, help=_("The participant's administration.")),
        Column("full_name", _("Full name"), required=True),
        Column("gender", _("Gender"), required=True, help=_("Female, Male or Other (in English or French).")),
        Column("position", _("Position"), required=True),
        Column("email", _("Email address"), required=True),
        Column("attended", _("Attended"), help=_("Yes or no; an empty cell means yes.")),
    ),
)
