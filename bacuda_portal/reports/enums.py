from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from the portal's data")
    MANUAL = "manual", _("Entered with evidence")


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Project progress report")
    WORKSHOP = "workshop", _("Workshop report")
    SELECTION = "selection", _("Scholarship selection report")
    # The one path for a model card's PDF (requested from the card page or here): the algorithms app owns the
    # template (algorithms/pdf/model_card.html) and the selector; rendering, archive, dedup and sweep are here.
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
