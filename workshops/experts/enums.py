from django.db import models
from django.utils.translation import gettext_lazy as _


class AccreditationStatus(models.TextChoices):
    """WCO accreditation of trainers and resource persons, in ascending order."""

    NONE = "none", _("Not accredited")
    PRE_ACCREDITED = "pre_accredited", _("Pre-accredited")
    ACCREDITED = "accredited", _("Accredited")
    RECOGNISED = "recognised", _("Recognised")
