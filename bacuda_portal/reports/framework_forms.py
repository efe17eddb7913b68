"""Forms of the results framework's set-up pages. The model's rules (a computed indicator names a computation,
an entered value carries evidence, a period ends after it starts) are checked by the model; these forms add the
choices offered and the messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bacuda_portal.members import selectors as member_selectors

from .enums import IndicatorSource
from .forms import offer
from .indicators import REGISTRY
from .models import Indicator, IndicatorTarget, IndicatorValue, Objective

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACTIVE_CHOICES = [("", _("All")), ("yes", _("Active")), ("no", _("Retired"))]


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["code", "title_en", "title_fr", "order"]


class IndicatorForm(forms.ModelForm):
    computed_key = forms.ChoiceField(
        label=_("Computed indicator"),
        required=False,
        help_text=_("For a computed indicator: which computation of the portal gives its value."),
    )

    class Meta:
        model = Indicator
        fields = ["objective", "code", "title_en", "title_fr", "unit", "unit_fr", "baseline", "baseline_year",
                  "means_of_verification", "disaggregate_by_sex", "disaggregate_by_region", "source",
                  "computed_key", "order", "is_active"]  # fmt: skip
        widgets = {"source": forms.RadioSelect, "means_of_verification": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["computed_key"].choices = [("", "—")] + [(key, item.title) for key, item in REGISTRY.items()]
        self.fields["objective"].empty_label = _("Choose an objective")
        offer(self.fields["objective"], Objective.objects.order_by("order", "code"))

    def clean(self):
        data = super().clean()
        if data.get("source") == IndicatorSource.COMPUTED and not data.get("computed_key"):
            self.add_error("computed_key", _("Choose which computation of the portal gives this indicator."))
        if data.get("source") == IndicatorSource.MANUAL:
            data["computed_key"] = ""
            self.instance.computed_key = ""
        return data


class TargetForm(forms.ModelForm):
    class Meta:
        model = IndicatorTarget
        fields = ["period_start", "period_end", "value"]
        widgets = {"period_start": DATE_INPUT, "period_end": DATE_INPUT}


class IndicatorValueForm(forms.ModelForm):
    """A value entered by hand for a period, for the whole project, a region or one administration, with its
    evidence: a file (kept private) or a link. Correcting a value keeps its stored file unless a new one is sent."""

    class Meta:
        model = IndicatorValue
        fields = ["period_start", "period_end", "value", "women", "men", "region", "administration",
                  "evidence_file", "evidence_url", "note"]  # fmt: skip
        widgets = {"period_start": DATE_INPUT, "period_end": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 3})}

    evidence_url = forms.URLField(label=_("evidence (link)"), required=False, assume_scheme="https", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].empty_label = _("The whole project")
        self.fields["administration"].empty_label = _("All administrations")
        offer(self.fields["region"], member_selectors.region_list())
        offer(
            self.fields["administration"],
            member_selectors.administration_choices().only("pk", "code", "name_en", "name_fr"),
            lambda administration: f"{administration.code} – {administration.name}",
        )


class FrameworkFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    objective = forms.ModelChoiceField(
        label=_("Objective"), queryset=Objective.objects.all(), required=False, empty_label=_("All objectives")
    )
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("All")), *IndicatorSource.choices], required=False)
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer(self.fields["objective"], Objective.objects.order_by("order", "code"))
