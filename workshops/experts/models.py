"""The experts registry: trainers and resource persons who deliver BACUDA workshops."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.members.models import Administration

from .enums import AccreditationStatus


class Expert(TimeStampedModel):
    """A trainer or resource person. The user account is optional: many experts never sign in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"))
    nationality = models.ForeignKey(
        Administration,
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
        help_text=_("The Customs administration the expert works for, if any."),
    )
    accreditation_status = models.CharField(
        _("accreditation"), max_length=20, choices=AccreditationStatus.choices, default=AccreditationStatus.NONE
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("experts:detail", kwargs={"pk": self.pk})
