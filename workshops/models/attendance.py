from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ChoiceLabelsMixin

from ..enums import AttendanceStatus
from .nominations import Nomination
from .workshops import Session


class Attendance(ChoiceLabelsMixin, models.Model):
    """Whether an accepted participant attended one session."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance")
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "nomination"], name="attendance_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination.full_name} – {self.session}: {self.get_status_display()}"
