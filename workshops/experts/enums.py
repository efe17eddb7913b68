from django.db import models
from django.utils.translation import gettext_lazy as _


class AccreditationStatus(models.TextChoices):
    """WCO accreditation of trainers and resource persons, in ascending order."""

    NONE = "none", _("Not accredited")
    PRE_ACCREDITED = "pre_accredited", _("Pre-accredited")
    ACCREDITED = "accredited", _("Accredited")
    RECOGNISED = "recognised", _("Recognised")


class SpokenLanguage(models.TextChoices):
    """Languages an expert can train in: the six UN languages and Portuguese (Lusophone Africa, Brazil)."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    PORTUGUESE = "pt", _("Portuguese")
    RUSSIAN = "ru", _("Russian")
    CHINESE = "zh", _("Chinese")


class LanguageLevel(models.TextChoices):
    """Common European Framework of Reference levels, lowest first, then native speaker."""

    A1 = "A1", _("A1 – beginner")
    A2 = "A2", _("A2 – elementary")
    B1 = "B1", _("B1 – intermediate")
    B2 = "B2", _("B2 – upper intermediate")
    C1 = "C1", _("C1 – advanced")
    C2 = "C2", _("C2 – proficient")
    NATIVE = "native", _("Native speaker")
