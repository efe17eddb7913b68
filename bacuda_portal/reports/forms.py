from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from algorithms import selectors as algorithm_selectors
from bacuda_portal.members import selectors as member_selectors
from scholarships import selectors as scholarship_selectors

from . import selectors
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


def offer(field: forms.ModelChoiceField, objects, label=None) -> None:
    """Let a select offer ``objects`` (read when the form is rendered, with one plain query where Django's
    ModelChoiceIterator uses a server-side cursor: three round trips on PostgreSQL). The field still accepts
    anything in its queryset."""
    label, key = label or field.label_from_instance, field.to_field_name or "pk"
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.widget.choices = lambda: [*empty, *((getattr(obj, key), label(obj)) for obj in objects)]


def _workshop_label(workshop) -> str:
    return f"{workshop.localized_title} ({date_format(workshop.end_date, 'SHORT_DATE_FORMAT')})"


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    part = forms.ChoiceField(label=_("Period"), choices=PART_CHOICES, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=member_selectors.region_list(),
        required=False,
        to_field_name="code",
        empty_label=_("All regions"),
    )
    administration = forms.IntegerField(label=_("Administration"), required=False, widget=forms.Select)

    def __init__(self, *args, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            offer(self.fields["region"], self.fields["region"].queryset.all())
            # Names in the page's language (one translated source: the administration's own name fields).
            administrations = member_selectors.administration_choices().only("pk", "code", "name_en", "name_fr")
            named = sorted(((a.pk, f"{a.code} – {a.name}") for a in administrations), key=lambda choice: choice[1])
            choices = [("", _("All administrations")), *named]
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
    """Any reportable workshop (``selectors.reportable_workshops``: hundreds) is accepted, but the select offers
    only the most recent ones, or those matching ``search`` (the page's workshop search), and the one chosen."""

    SHOWN = 15

    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=None)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def __init__(self, *args, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["workshop"]
        field.queryset = selectors.reportable_workshops()
        shown = list(selectors.reportable_workshops(search).only("title", "title_fr", "end_date")[: self.SHOWN])
        self.found = bool(shown)
        chosen = str(self.data.get(self.add_prefix("workshop"), "")) if self.is_bound else ""
        if chosen.isdigit() and all(str(workshop.pk) != chosen for workshop in shown):
            shown += field.queryset.filter(pk=chosen).only("title", "title_fr", "end_date")
        offer(field, shown, _workshop_label)


class SelectionReportForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Scholarship call"), queryset=None)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = scholarship_selectors.call_choices()
        offer(self.fields["call"], self.fields["call"].queryset.all())


class ModelCardReportForm(forms.Form):
    """A model card's PDF: on the report archive page (choose the algorithm) or on the card's page (``algorithm``
    given: a hidden field), both posting to ``reports:report_request``."""

    algorithm = forms.ModelChoiceField(label=_("Algorithm"), queryset=None)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def __init__(self, *args, algorithm=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["algorithm"].queryset = algorithm_selectors.algorithm_choices()
        if algorithm is not None:
            self.fields["algorithm"].widget = forms.HiddenInput()
            self.initial["algorithm"] = algorithm.pk
        else:
            offer(self.fields["algorithm"], self.fields["algorithm"].queryset.all())


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
