"""CLiKC! (the WCO's Moodle) and a workshop: the formats of the two files exchanged with it.

Out: the accepted participants as Moodle's "Upload users" CSV (Site administration > Users > Upload users), which
creates their accounts and enrols them in the workshop's course and group. In: Moodle's course-completion report
(Reports > Course completion > Download in CSV format) of the prerequisite e-learning course, previewed and written
all or nothing (bacuda_portal.core.imports), recording who finished it and when.
"""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.imports import Column, ImportSpec, repeated_rows

from . import selectors
from .moodle import COMPLETED_WORDS, NOT_COMPLETED_WORDS, parse_moodle_time


class MoodleTimeField(forms.CharField):
    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        moment = parse_moodle_time(text)
        if moment is None:
            raise forms.ValidationError(
                gettext("“%(value)s” is not a date we can read: write it as 2024-03-05 or 05/03/2024, or as CLiKC! "
                        "writes it (05/03/24, 14:02).") % {"value": text}
            )  # fmt: skip
        return moment


class CompletionStatusField(forms.CharField):
    """Completed or not, as a report writes it (yes/no, Completed/Not completed, in English or French); an empty
    cell says nothing (the completion time decides)."""

    def to_python(self, value):
        text = " ".join(super().to_python(value).split()).casefold()
        if not text:
            return None
        if text in COMPLETED_WORDS:
            return True
        if text in NOT_COMPLETED_WORDS:
            return False
        raise forms.ValidationError(gettext("Write yes or no (oui or non), or Completed or Not completed."))


class CompletionRowForm(forms.Form):
    """One row of the report: who (email address or username) and whether and when they completed the course."""

    name = forms.CharField(label=_("Name"), required=False, max_length=300)
    email = forms.EmailField(label=_("Email address"), required=False)
    username = forms.CharField(label=_("Username"), required=False, max_length=100)
    completed_at = MoodleTimeField(label=_("Course complete"), required=False)
    status = CompletionStatusField(label=_("Completion status"), required=False)

    def __init__(self, *args, workshop, identities, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("username") and not self.has_error("email"):
            raise forms.ValidationError(gettext("Give the person's email address or CLiKC! username."))
        moment, status = cleaned.get("completed_at"), cleaned.get("status")
        if moment is not None and moment > timezone.now():
            self.add_error("completed_at", gettext("The completion date is in the future."))
        elif moment is None and status is True and not self.has_error("completed_at"):
            self.add_error("completed_at", gettext("Completed, but without the date it was completed."))
        cleaned["completed"] = moment is not None and status is not False
        return cleaned


def _identity(row: dict) -> str:
    return row["email"] or row["username"]


def _repeated_people(rows: list[dict | None], **_form_kwargs) -> dict[int, list[str]]:
    return repeated_rows(rows, key=_identity)


def describe_completion_rows(rows: list[dict | None], *, workshop, identities) -> dict[int, str]:
    """What the import does with each readable row: records a completion for the nomination it matches, or skips it
    (nobody of this workshop, or not completed)."""
    notes = {}
    for index, row in enumerate(rows):
        if row is None:
            continue
        nomination = selectors.match_clikc_identity(identities, email=row["email"], username=row["username"])
        if nomination is None:
            notes[index] = gettext("Nobody nominated for this workshop has this email address or username: skipped.")
            continue
        who = {"name": nomination.full_name, "administration": nomination.administration.name}
        if not row["completed"]:
            notes[index] = (
                gettext("%(name)s (%(administration)s) has not completed the course: nothing recorded.") % who
            )
        else:
            date = formats.date_format(timezone.localtime(row["completed_at"]), "SHORT_DATE_FORMAT")
            notes[index] = gettext("Completed on %(date)s: recorded for %(name)s (%(administration)s).") % {
                **who,
                "date": date,
            }
    return notes


COMPLETION_IMPORT = ImportSpec(
    name="clikc-completions",
    row_form=CompletionRowForm,
    check_rows=_repeated_people,
    describe_rows=describe_completion_rows,
    columns=(
        Column("name", _("Name"), aliases=("Nom", "Full name", "Nom complet")),
        Column(
            "email",
            _("Email address"),
            help=_("The email address or the username identifies the person."),
            aliases=("Adresse de courriel", "Courriel", "E-mail", "Adresse email"),
        ),
        Column("username", _("Username"), aliases=("Nom d'utilisateur", "Identifiant")),
        Column(
            "completed_at",
            _("Course complete"),
            required=True,
            help=_("When the course was completed, as CLiKC! writes it; empty when it is not."),
            aliases=(
                "Cours terminé",
                "Time completed",
                "Completion date",
                "Date d'achèvement",
                "timecompleted",
                "Date de complétion",
            ),
        ),
        Column(
            "status",
            _("Completion status"),
            help=_("Optional: Completed or Not completed (yes or no)."),
            aliases=("Completed", "Status", "Statut", "Terminé", "Achevé"),
        ),
    ),
)
