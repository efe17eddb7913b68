from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseStage(models.TextChoices):
    """The development pipeline of a course, in order; a course moves one stage at a time."""

    CONCEPT = "concept", _("Concept")
    STORYBOARD = "storyboard", _("Storyboard")
    DEVELOPMENT = "development", _("Development")
    REVIEW = "review", _("Review")
    PILOT = "pilot", _("Pilot")
    PUBLISHED = "published", _("Published on CLiKC!")


STAGE_ORDER: tuple[str, ...] = tuple(CourseStage.values)


def stage_position(stage: str) -> int:
    return STAGE_ORDER.index(stage)


def next_stage(stage: str) -> str | None:
    position = stage_position(stage)
    return STAGE_ORDER[position + 1] if position + 1 < len(STAGE_ORDER) else None


def earlier_stages(stage: str) -> list[str]:
    return list(STAGE_ORDER[: stage_position(stage)])


class CourseLanguage(models.TextChoices):
    """Languages a course is offered in on CLiKC!: the WCO's working languages and the other common ones."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    PORTUGUESE = "pt", _("Portuguese")
    RUSSIAN = "ru", _("Russian")


class LaunchCheck(models.TextChoices):
    """The default launch checklist every new course starts with, in the order it is shown."""

    ACCESSIBILITY = "accessibility", _("Accessibility checked")
    FRENCH_VERSION = "french_version", _("French version reviewed")
    QUIZ = "quiz", _("Quiz tested")
    CERTIFICATE = "certificate", _("Certificate configured on CLiKC!")
    SME_SIGN_OFF = "sme_sign_off", _("Subject-matter expert sign-off")
    PILOT_FEEDBACK = "pilot_feedback", _("Pilot feedback addressed")
