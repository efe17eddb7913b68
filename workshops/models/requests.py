from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ChoiceLabelsMixin
from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.members.models import Administration

from ..enums import RequestStatus, WorkingLanguage


class WorkshopRequest(ChoiceLabelsMixin, TimeStampedModel):
    """A contact point asks for a workshop for their administration; staff accept it into planning or decline."""

    administration = models.ForeignKey(
        Administration, verbose_name=_("administration"), on_delete=models.PROTECT, related_name="workshop_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=200)
    preferred_start = models.DateField(_("preferred start date"))
    preferred_end = models.DateField(_("preferred end date"))
    language = models.CharField(_("language"), max_length=2, choices=WorkingLanguage.choices)
    expected_participants = models.PositiveSmallIntegerField(_("expected participants"))
    justification = models.TextField(_("justification"))
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED, db_index=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    workshop = models.OneToOneField(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request",
    )

    class Meta:
        verbose_name = _("workshop request")
        verbose_name_plural = _("workshop requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_end__gte=F("preferred_start")), name="request_preferred_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(expected_participants__gte=1), name="request_participants_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.administration.code})"
