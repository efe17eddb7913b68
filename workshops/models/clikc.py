from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.models import TimeStampedModel

from .nominations import Nomination


class PrerequisiteCompletion(TimeStampedModel):
    """A nominated official finished an e-learning course on CLiKC!, as Moodle's course-completion report says.

    Recorded per course: when staff later change the workshop's prerequisite, an earlier completion of another
    course no longer counts. Written only by the completion import (services.clikc)."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="prerequisite_completions"
    )
    course = models.ForeignKey(
        "elearning.Course", verbose_name=_("e-learning course"), on_delete=models.CASCADE, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("prerequisite course completion")
        verbose_name_plural = _("prerequisite course completions")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "course"], name="prerequisite_completion_once_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.nomination} ({self.completed_at:%Y-%m-%d})"
