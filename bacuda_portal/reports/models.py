"""The results framework (objectives, indicators, targets, entered values), the narrative and budget of a
reporting period, and the archive of rendered PDF reports."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.bilingual import bilingual_property
from bacuda_portal.core.models import BackgroundWork, TimeStampedModel
from bacuda_portal.core.uploads import RECEIPT_TYPES, UploadValidator, get_private_storage

from .enums import ACTIVE_REPORT_STATUSES, IndicatorSource, ReportKind, ReportLanguage, ReportStatus


class BilingualTitleMixin:
    title = bilingual_property("title_en", "title_fr")


class PeriodMixin(models.Model):
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end of the period cannot be before its start.")})


class Objective(BilingualTitleMixin, TimeStampedModel):
    """An objective of the project's results framework (outcome or output)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"


class Indicator(BilingualTitleMixin, TimeStampedModel):
    """A measure of an objective: computed from the portal's data by key, or entered with evidence."""

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    unit = models.CharField(_("unit (English)"), max_length=40, help_text=_("For example: officials, workshops, %."))
    unit_fr = models.CharField(
        _("unit (French)"), max_length=40, blank=True, help_text=_("For example: fonctionnaires, ateliers, %.")
    )
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=Decimal("0"))
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    disaggregate_by_sex = models.BooleanField(_("disaggregated by sex"), default=False)
    disaggregate_by_region = models.BooleanField(_("disaggregated by region"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=IndicatorSource.choices)
    computed_key = models.CharField(
        _("computed indicator"),
        max_length=40,
        blank=True,
        help_text=_("For a computed indicator: which computation of the portal gives its value."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["objective__order", "objective__code", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source=IndicatorSource.COMPUTED) & ~Q(computed_key=""))
                | (Q(source=IndicatorSource.MANUAL) & Q(computed_key="")),
                name="indicator_computed_key_matches_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en}"

    unit_label = bilingual_property("unit", "unit_fr", "The unit in the reader's language (English when no French).")

    def clean(self) -> None:
        super().clean()
        from .indicators import REGISTRY

        if self.source == IndicatorSource.COMPUTED and self.computed_key not in REGISTRY:
            raise ValidationError({"computed_key": _("Choose one of the portal's computed indicators.")})
        if self.source == IndicatorSource.MANUAL and self.computed_key:
            raise ValidationError({"computed_key": _("An indicator entered by hand has no computation.")})


class IndicatorTarget(PeriodMixin):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"], name="indicator_target_once_per_period"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="target_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_start}–{self.period_end}: {self.value}"


evidence_validator = UploadValidator(kinds=RECEIPT_TYPES, max_megabytes=10)


class IndicatorValue(PeriodMixin, TimeStampedModel):
    """A value of an indicator entered by hand for a period, with its evidence (a private file or a link)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    women = models.DecimalField(_("of which women"), max_digits=12, decimal_places=2, null=True, blank=True)
    men = models.DecimalField(_("of which men"), max_digits=12, decimal_places=2, null=True, blank=True)
    region = models.ForeignKey(
        "members.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    administration = models.ForeignKey(
        "members.Administration",
        verbose_name=_("administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence_file = models.FileField(
        _("evidence (file)"),
        storage=get_private_storage,
        upload_to="reports/evidence/",
        blank=True,
        validators=[evidence_validator],
    )
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="value_period_ordered"),
            models.CheckConstraint(
                condition=~Q(evidence_file="") | ~Q(evidence_url=""), name="indicator_value_has_evidence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_start}–{self.period_end}: {self.value}"

    def clean(self) -> None:
        super().clean()
        if self.indicator_id and self.indicator.source != IndicatorSource.MANUAL:
            raise ValidationError(_("A computed indicator's values come from the portal's data, never typed."))
        if not self.evidence_file and not self.evidence_url:
            raise ValidationError(_("Attach the evidence: a file or a link."))


class ReportNarrative(PeriodMixin, TimeStampedModel):
    """The editable text of a progress report for one period and language (Markdown)."""

    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices)
    executive_summary = models.TextField(_("executive summary"), blank=True)
    planned_activities = models.TextField(_("planned activities"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        ordering = ["-period_start", "period_end", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "language"], name="narrative_once_per_period_and_language"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="narrative_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end} ({self.language})"


class BudgetLine(PeriodMixin, BilingualTitleMixin, TimeStampedModel):
    """One line of the project budget for a period: planned and actual; a variance over 10 % is explained."""

    code = models.CharField(_("code"), max_length=20)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    planned = models.DecimalField(_("planned"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, default=Decimal("0"))
    variance_explanation = models.TextField(_("explanation of the variance"), blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["period_start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "period_start", "period_end"], name="budget_line_once_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="budget_period_ordered"),
            models.CheckConstraint(condition=Q(planned__gte=0) & Q(actual__gte=0), name="budget_amounts_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title_en} ({self.period_start}–{self.period_end})"


class Report(BackgroundWork, TimeStampedModel):
    """A PDF report requested by someone, rendered by a worker, archived with its checksum.

    The database row is the truth about the rendering. One request at a time per kind, period, language and
    parameters: a second identical request finds the one queued, rendering or ready (``report_one_active``).
    """

    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    parameters_key = models.CharField(max_length=64, editable=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED, db_index=True
    )
    file = models.FileField(_("PDF"), storage=get_private_storage, upload_to="reports/", blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end", "language", "parameters_key"],
                condition=Q(status__in=ACTIVE_REPORT_STATUSES),
                name="report_one_active_request",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"),
        ]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RENDERING)

    @property
    def download_name(self) -> str:
        return f"bacuda-{self.kind}-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}-{self.language}-{self.pk}.pdf"
