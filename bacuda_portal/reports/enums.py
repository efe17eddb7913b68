from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from the portal's data")
    MANUAL = "manual", _("Entered with evidence")


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Project progress report")
    WORKSHOP = "workshop", _("Workshop report")
    SELECTION = "selection", _("Scholarship selection report")
    # The algorithms app renders and archives model cards itself (algorithms.CardExport); this kind reuses its
    # template so a model card can also be requested and archived here with the other reports.
    MODEL_CARD = "model_card", _("Model card")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# A request in one of these blocks a second identical request (database constraint on Report).
ACTIVE_REPORT_STATUSES = (ReportStatus.QUEUED, ReportStatus.RENDERING, ReportStatus.READY)


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half", _("Half-year")
    YEAR = "year", _("Year")


class ReportLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
