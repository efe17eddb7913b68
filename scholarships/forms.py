import datetime as dt

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import with_blank
from bacuda_portal.core.templatetags.bilingual import bilingual
from bacuda_portal.members.models import Administration, Region

from .enums import (
    SCORE_MAX,
    SCORE_MIN,
    ApplicationStatus,
    ApplicationStep,
    DecisionOutcome,
    EligibilityResult,
    EndorsementDecision,
    EndorsementQueueState,
    EndorsementStatus,
    Gender,
    ProgrammeResult,
    Recommendation,
)
from .models import Application, Call, Reviewer
from .services import STEP_FIELDS, word_count_errors

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _StepForm(forms.ModelForm):
    """A step of the application form. Every field of a step is required to move on; the model allows blanks
    so that a draft can be saved half-filled step after step."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True

    def _post_clean(self):
        # ``services.application_save_step`` runs the model's checks (uploads by content) once, before saving.
        pass


class PersonalForm(_StepForm):
    class Meta:
        model = Application
        fields = STEP_FIELDS[ApplicationStep.PERSONAL]
        widgets = {"date_of_birth": DATE_INPUT}
        help_texts = {"gender": _("Used only for the statistics of the selection; you may prefer not to say.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].required = False

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today - dt.timedelta(days=365 * 18) or born < today - dt.timedelta(days=365 * 80):
            raise forms.ValidationError(_("Please check the date of birth."))
        return born


class AdministrationForm(_StepForm):
    class Meta:
        model = Application
        fields = STEP_FIELDS[ApplicationStep.ADMINISTRATION]
        help_texts = {"years_of_service": _("Full years in your Customs administration.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = Administration.objects.members().order_by("name_en")
        self.fields["years_of_service"].max_value = 60
        self.fields["years_of_service"].widget.attrs["max"] = 60


class EducationForm(_StepForm):
    class Meta:
        model = Application
        fields = STEP_FIELDS[ApplicationStep.EDUCATION]
        widgets = {"education_details": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"education_details": _("Degrees, fields of study, institutions and years.")}


class MotivationForm(_StepForm):
    class Meta:
        model = Application
        fields = STEP_FIELDS[ApplicationStep.MOTIVATION]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["motivation"].help_text = _(
            "Between %(min)d and %(max)d words: why this programme, and what you will do with it at work."
        ) % {"min": call.motivation_min_words, "max": call.motivation_max_words}

    def clean_motivation(self):
        text = self.cleaned_data["motivation"]
        errors = word_count_errors(self.call, text)
        if errors:
            raise forms.ValidationError(errors)
        return text


class DocumentsForm(_StepForm):
    class Meta:
        model = Application
        fields = STEP_FIELDS[ApplicationStep.DOCUMENTS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # A file uploaded before is kept: choose one only to replace it.
            field.required = not getattr(self.instance, name)
            field.widget = forms.FileInput(attrs={"accept": "application/pdf"})
            field.help_text = _("PDF, at most 5 MB.")


STEP_FORMS = {
    ApplicationStep.PERSONAL: PersonalForm,
    ApplicationStep.ADMINISTRATION: AdministrationForm,
    ApplicationStep.EDUCATION: EducationForm,
    ApplicationStep.MOTIVATION: MotivationForm,
    ApplicationStep.DOCUMENTS: DocumentsForm,
}


class SubmitForm(forms.Form):
    consent = forms.BooleanField(label=_("I agree to the processing of my personal data as described above."))


class EndorsementForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=EndorsementDecision.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to decline."),
    )


class EndorsementQueueForm(forms.Form):
    """The contact point's queue filter: one of ``calls`` (as ``selectors.endorsement_calls``), the state of the
    applications and a name or reference. A missing or unknown call or state becomes the default, so the form
    always names the call and state the page shows."""

    call = forms.TypedChoiceField(label=_("Call"), coerce=int)
    state = forms.ChoiceField(label=_("Show"), choices=EndorsementQueueState.choices)
    q = forms.CharField(label=_("Name or reference"), required=False, max_length=200)

    def __init__(self, data=None, *, calls=(), default_call=None):
        by_pk = {str(call.pk): call for call in calls}
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if data.get("call") not in by_pk:
            data["call"] = str(default_call.pk) if default_call else ""
        if data.get("state") not in EndorsementQueueState.values:
            data["state"] = EndorsementQueueState.WAITING
        super().__init__(data)
        self.chosen_call = by_pk.get(data["call"])
        waiting = gettext("%(call)s (%(count)d waiting)")
        self.fields["call"].choices = [
            (call.pk, waiting % {"call": call, "count": call.state_counts[EndorsementQueueState.WAITING]})
            for call in calls
        ]
        counts = self.chosen_call.state_counts if self.chosen_call else {}
        self.fields["state"].choices = [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in EndorsementQueueState.choices
        ]


class OverrideForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Eligibility"),
        choices=[(EligibilityResult.ELIGIBLE, EligibilityResult.ELIGIBLE.label),
                 (EligibilityResult.INELIGIBLE, EligibilityResult.INELIGIBLE.label)],
    )  # fmt: skip
    rationale = forms.CharField(label=_("Rationale"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


# Columns a staff member may choose for the CSV export: key -> (header, value of an application).
CSV_COLUMNS = {
    "reference": (_("Reference"), lambda a: a.pk),
    "call": (_("Call"), lambda a: str(a.call)),
    "full_name": (_("Full name"), lambda a: a.full_name),
    "email": (_("Email address"), lambda a: a.applicant.email if a.applicant else ""),
    "gender": (_("Gender"), lambda a: a.get_gender_display()),
    "date_of_birth": (_("Date of birth"), lambda a: a.date_of_birth),
    "nationality": (_("Nationality"), lambda a: a.nationality),
    "administration": (_("Administration"), lambda a: a.administration.name if a.administration else ""),
    "region": (_("Region"), lambda a: a.administration.region.code if a.administration else ""),
    "position": (_("Position"), lambda a: a.position),
    "years_of_service": (_("Years of service"), lambda a: a.years_of_service),
    "education_level": (_("Highest education"), lambda a: a.get_education_level_display()),
    "language_level": (_("Language level"), lambda a: a.language_level),
    "motivation_words": (_("Motivation (words)"), lambda a: a.motivation_words),
    "status": (_("Status"), lambda a: a.get_status_display()),
    "submitted_at": (_("Submitted"), lambda a: timezone.localtime(a.submitted_at) if a.submitted_at else ""),
    "eligibility": (_("Eligibility"), lambda a: a.get_eligibility_result_display()),
    "endorsement": (_("Endorsement"), lambda a: a.get_endorsement_status_display()),
    "endorsement_rank": (
        _("Endorsement rank"),
        lambda a: a.endorsement.rank if hasattr(a, "endorsement") and a.endorsement.rank else "",
    ),
}
DEFAULT_CSV_COLUMNS = ["reference", "call", "full_name", "administration", "status", "eligibility", "endorsement"]


def region_choices() -> list[tuple[str, str]]:
    """The regions for a filter, by code (one plain query: a model select would read them through a cursor)."""
    return [
        ("", _("Any")),
        *((region.code, str(region)) for region in Region.objects.only("code", "name_en", "name_fr")),
    ]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    call = forms.TypedChoiceField(label=_("Call"), coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *ApplicationStatus.choices], required=False)
    eligibility = forms.ChoiceField(
        label=_("Eligibility"), choices=[("", _("Any")), *EligibilityResult.choices], required=False
    )
    endorsement = forms.ChoiceField(
        label=_("Endorsement"), choices=[("", _("Any")), *EndorsementStatus.choices], required=False
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        calls = Call.objects.select_related("programme").only(
            "pk", "cohort_name", "cohort_name_fr", "programme__name_en", "programme__name_fr"
        )
        self.call_names = {call.pk: str(call) for call in calls}
        self.fields["call"].choices = [("", _("Any")), *self.call_names.items()]
        self.fields["region"].choices = region_choices()


class CsvColumnsForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[(key, header) for key, (header, _value) in CSV_COLUMNS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


# --- Review ------------------------------------------------------------------------------------------------
class ReviewForm(forms.Form):
    """One score per criterion of the call (0-10), the recommendation and a comment; saved or submitted."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=[("", "—"), *Recommendation.choices], required=False
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        initial_scores = initial_scores or {}
        fields = {}
        for criterion in self.criteria:
            fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                # Marked when the English stands in for the French (see core.bilingual); escaped either way.
                label=format_html("{} (×{})", bilingual(criterion.localized_name), criterion.weight.normalize()),
                help_text=bilingual(criterion.localized_description),
                min_value=SCORE_MIN,
                max_value=SCORE_MAX,
                required=False,
                initial=initial_scores.get(criterion.pk),
            )
        self.fields = {**fields, **self.fields}

    def scores(self) -> dict[int, int | None]:
        return {criterion.pk: self.cleaned_data.get(f"criterion_{criterion.pk}") for criterion in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the conflict?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: a colleague, a relative, someone you supervise or who supervises you."),
    )


class ManualAssignForm(forms.Form):
    """An application reference and one of the call's active reviewers. ``reviewers`` are those the page has
    already read (in the order shown); otherwise the form reads them."""

    application = forms.IntegerField(label=_("Application reference"), min_value=1)
    reviewer = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)

    def __init__(self, *args, call, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if reviewers is None:
            reviewers = Reviewer.objects.filter(calls=call, is_active=True).select_related("user")
        self.reviewers = {reviewer.pk: reviewer for reviewer in reviewers}
        self.fields["reviewer"].choices = [("", "---------"), *((pk, str(r)) for pk, r in self.reviewers.items())]

    def clean_reviewer(self) -> Reviewer:
        return self.reviewers[self.cleaned_data["reviewer"]]


class BulkReviewerForm(ManualAssignForm):
    """One reviewer for several applications, their references typed or pasted (separated by commas or spaces)."""

    application = None
    applications = forms.CharField(
        label=_("Application references"),
        help_text=_("Several references separated by commas or spaces, e.g. 12, 15, 18."),
        max_length=5000,
    )
    field_order = ["applications", "reviewer"]

    def clean_applications(self) -> list[int]:
        words = self.cleaned_data["applications"].replace(",", " ").replace(";", " ").split()
        if not words or not all(word.isdigit() for word in words):
            raise forms.ValidationError(_("Write application references (numbers) separated by commas or spaces."))
        return list(dict.fromkeys(int(word) for word in words))


# --- Ranking and decisions ---------------------------------------------------------------------------------
class RankingFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", _("Any")), *Gender.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=with_blank(DecisionOutcome.choices))
    reserve_rank = forms.IntegerField(
        label=_("Place on the reserve list"), min_value=1, max_value=999, required=False,
        help_text=_("Leave empty for the next place."),
    )  # fmt: skip


class ProgrammeOutcomeForm(forms.Form):
    result = forms.ChoiceField(label=_("Programme outcome"), choices=with_blank(ProgrammeResult.choices))
    ended_on = forms.DateField(
        label=_("Date"), widget=DATE_INPUT, help_text=_("The graduation date, or the date they left the programme.")
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the programme was not completed."),
    )  # fmt: skip


class LetterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 14}))


class ErasureForm(forms.Form):
    note = forms.CharField(
        label=_("Anything staff should know (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
