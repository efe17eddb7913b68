"""Forms of the programme and call set-up pages. The rules (dates in order, word limits, weights above zero,
frozen rules once applications are submitted) are the services' and the model's; these forms parse the input and
offer the choices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Call, CurriculumModule, LetterTemplate, Programme, ReviewPhase, RubricCriterion
from .selectors.programmes import CALL_STATES

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CALL_STATE_LABELS = {
    "draft": _("Draft (not published)"),
    "upcoming": _("Published, not yet open"),
    "open": _("Open"),
    "closed": _("Closed"),
}


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name_en", "name_fr", "partner_institution", "description", "description_fr"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
        }


class ProgrammeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class CallFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.order_by("name_en", "pk"), required=False,
        empty_label=_("All"),
    )  # fmt: skip
    state = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + [(s, CALL_STATE_LABELS[s]) for s in CALL_STATES]
    )


# The call's fields as the page groups them: EN/FR texts side by side in the last group.
CALL_GROUPS = (
    (_("The call"), ("programme", "cohort_name", "cohort_name_fr", "partner_university", "seats", "is_published")),
    (_("Dates"), ("opens_at", "closes_at")),
    (
        _("Eligibility"),
        (
            "min_years_of_service",
            "instruction_language",
            "required_language_level",
            "endorsement_required",
            "quota_per_administration",
            "motivation_min_words",
            "motivation_max_words",
        ),
    ),
    (_("Review and offers"), ("reviews_per_application", "blind_review", "offer_reply_days")),
    (_("Data protection"), ("retention_days", "consent_version")),
)
BILINGUAL_CALL_FIELDS = ("description", "description_fr", "consent_text_en", "consent_text_fr")


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = [name for _label, names in CALL_GROUPS for name in names] + list(BILINGUAL_CALL_FIELDS)
        widgets = {
            "opens_at": DATETIME_INPUT,
            "closes_at": DATETIME_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
            "consent_text_en": forms.Textarea(attrs={"rows": 6}),
            "consent_text_fr": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("name_en", "pk")
        self.fields["programme"].empty_label = _("Choose a programme")
        if frozen:
            from .services.programmes import FROZEN_CALL_FIELDS

            for name in FROZEN_CALL_FIELDS:
                self.fields[name].help_text = _("Frozen: applications have been submitted under this rule.")

    def _post_clean(self):
        # ``services.call_save`` sets the fields and runs the model's checks once, with its own messages.
        pass

    def groups(self):
        return [(label, [self[name] for name in names]) for label, names in CALL_GROUPS]

    def bilingual(self):
        return [self[name] for name in BILINGUAL_CALL_FIELDS]


class _RowForm(forms.ModelForm):
    def _post_clean(self):
        pass  # the service checks the rows (model rules included) before saving them


class CriterionForm(_RowForm):
    class Meta:
        model = RubricCriterion
        fields = ["name", "name_fr", "description", "description_fr", "weight", "order"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_fr": forms.Textarea(attrs={"rows": 2}),
        }


class PhaseForm(_RowForm):
    class Meta:
        model = ReviewPhase
        fields = ["name", "name_fr", "opens_at", "closes_at"]
        widgets = {"opens_at": DATETIME_INPUT, "closes_at": DATETIME_INPUT}


class ModuleForm(_RowForm):
    class Meta:
        model = CurriculumModule
        fields = ["title", "title_fr", "hours", "order"]


def _formset(form, model, prefix_extra: int):
    return forms.inlineformset_factory(Call, model, form=form, extra=prefix_extra, can_delete=True)


CriterionFormSet = _formset(CriterionForm, RubricCriterion, 2)
PhaseFormSet = _formset(PhaseForm, ReviewPhase, 1)
ModuleFormSet = _formset(ModuleForm, CurriculumModule, 2)
ROW_FIELDS = {"criteria": ("name", "name_fr", "description", "description_fr", "weight", "order"),
              "phases": ("name", "name_fr", "opens_at", "closes_at"),
              "modules": ("title", "title_fr", "hours", "order")}  # fmt: skip


def formset_rows(formset, fields) -> list[dict]:
    """The rows of a valid formset as the service takes them: the fields, ``instance`` and ``delete``; the empty
    extra rows left out."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        data = form.cleaned_data
        rows.append(
            {
                **{name: data.get(name) for name in fields},
                "instance": form.instance if form.instance.pk else None,
                "delete": bool(data.get("DELETE")),
            }
        )
    return rows


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["subject_en", "subject_fr", "body_en", "body_fr"]
        widgets = {"body_en": forms.Textarea(attrs={"rows": 14}), "body_fr": forms.Textarea(attrs={"rows": 14})}

    def _post_clean(self):
        pass  # the service checks the placeholders (the model's clean) before saving
