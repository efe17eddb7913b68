import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bacuda_portal.members.models import Administration, Region

from .enums import PeriodKind, ReportKind, ReportLanguage, ReportStatus
from .periods import Period

PART_CHOICES = [
    ("", _("Whole year")),
    ("h1", _("First half-year")),
    ("h2", _("Second half-year")),
    ("q1", _("First quarter")),
    ("q2", _("Second quarter")),
    ("q3", _("Third quarter")),
    ("q4", _("Fourth quarter")),
]


def period_from(year: int, part: str) -> Period:
    if not part:
        return Period.of(PeriodKind.YEAR, year)
    kind = PeriodKind.HALF_YEAR if part.startswith("h") else PeriodKind.QUARTER
    return Period.of(kind, year, int(part[1:]))


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    part = forms.ChoiceField(label=_("Period"), choices=PART_CHOICES, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("sort_order", "code"),
        required=False,
        to_field_name="code",
        empty_label=_("All regions"),
    )
    administration = forms.IntegerField(label=_("Administration"), required=False, widget=forms.Select)

    def __init__(self, *args, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            choices = [("", _("All administrations"))] + [
                (pk, f"{code} – {name}")
                for pk, code, name in Administration.objects.order_by("name_en").values_list("pk", "code", "name_en")
            ]
            self.fields["administration"].widget.choices = choices
        else:
            del self.fields["region"]
            del self.fields["administration"]

    def period(self) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        return period_from(data.get("year") or timezone.localdate().year, data.get("part") or "")


class ProgressReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    part = forms.ChoiceField(label=_("Period"), choices=PART_CHOICES, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def period(self) -> Period:
        return period_from(self.cleaned_data["year"], self.cleaned_data.get("part") or "")


class WorkshopReportForm(forms.Form):
    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=None)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from workshops.models import Workshop

        # Delivered workshops of the last two years (older ones: through the API).
        since = timezone.localdate() - dt.timedelta(days=730)
        self.fields["workshop"].queryset = Workshop.objects.filter(
            status__in=("delivered", "closed"), end_date__gte=since
        ).order_by("-end_date", "title")


class SelectionReportForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Scholarship call"), queryset=None)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from scholarships.models import Call

        self.fields["call"].queryset = Call.objects.select_related("programme").order_by("-closes_at")


class ModelCardReportForm(forms.Form):
    """A model card's PDF: on the report archive page (choose the algorithm) or on the card's page (``algorithm``
    given: a hidden field), both posting to ``reports:report_request``."""

    algorithm = forms.ModelChoiceField(label=_("Algorithm"), queryset=None)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def __init__(self, *args, algorithm=None, **kwargs):
        super().__init__(*args, **kwargs)
        from algorithms.models import Algorithm

        self.fields["algorithm"].queryset = Algorithm.objects.order_by("name_en")
        if algorithm is not None:
            self.fields["algorithm"].widget = forms.HiddenInput()
            self.initial["algorithm"] = algorithm.pk


class NarrativeForm(forms.Form):
    executive_summary = forms.CharField(
        label=_("Executive summary"), widget=forms.Textarea(attrs={"rows": 12}), required=False,
        help_text=_("Markdown: paragraphs, lists, **bold**, links."),
    )  # fmt: skip
    planned_activities = forms.CharField(
        label=_("Planned activities"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *ReportKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *ReportStatus.choices], required=False)
