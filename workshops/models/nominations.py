from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ChoiceLabelsMixin
from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.members.models import Administration

from ..enums import Gender, NominationStatus, WorkingLanguage
from .workshops import Workshop


class Nomination(ChoiceLabelsMixin, TimeStampedModel):
    """An official nominated by their administration's contact point; staff accept, wait-list or decline."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="nominations"
    )
    administration = models.ForeignKey(
        Administration, verbose_name=_("administration"), on_delete=models.PROTECT, related_name="nominations"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    position = models.CharField(_("position"), max_length=200)
    email = models.EmailField(_("email address"))
    language = models.CharField(_("preferred language"), max_length=2, choices=WorkingLanguage.choices)
    consent_to_list = models.BooleanField(
        _("agrees to appear on the participant list"),
        default=False,
        help_text=_("The participant list is shared with the other participants and the trainers."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NominationStatus.choices, default=NominationStatus.NOMINATED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["workshop", "administration__name_en", "created_at"]
        indexes = [models.Index(fields=["workshop", "status"])]
        constraints = [
            # The same person once per workshop; a withdrawn nomination frees the address.
            models.UniqueConstraint(
                Lower("email"),
                "workshop",
                condition=~Q(status=NominationStatus.WITHDRAWN),
                name="nomination_person_once_per_workshop",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.workshop}"
