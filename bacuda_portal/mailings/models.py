"""Staff mailings: a message written once (English and French) to an audience, sent by a worker one email per
recipient, with each recipient's delivery status kept; and the saved templates a mailing may start from.

A mailing is a draft until staff confirm it; its recipients are then fixed (``MailingRecipient`` rows, one per
address) and a worker sends it (``core.background``: the mailing row is the truth about the work).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ChoiceLabelsMixin
from bacuda_portal.core.models import BackgroundWork, TimeStampedModel

from .enums import Audience, MailingStatus, MessageLanguage, RecipientStatus


class MailingTexts(models.Model):
    """The subject and text of a message in both working languages; placeholders such as ``{{ name }}``."""

    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("text (English)"))
    subject_fr = models.CharField(_("subject (French)"), max_length=200, blank=True)
    body_fr = models.TextField(_("text (French)"), blank=True)

    class Meta:
        abstract = True

    @property
    def has_french(self) -> bool:
        return bool(self.subject_fr.strip() and self.body_fr.strip())


class MailingTemplate(MailingTexts, TimeStampedModel):
    """A message staff save to start mailings from."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mailing template")
        verbose_name_plural = _("mailing templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Mailing(ChoiceLabelsMixin, MailingTexts, BackgroundWork, TimeStampedModel):
    audience = models.CharField(_("audience"), max_length=32, choices=Audience.choices)
    workshop = models.ForeignKey(
        "workshops.Workshop", verbose_name=_("workshop"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    region = models.ForeignKey(
        "members.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    administrations = models.ManyToManyField(
        "members.Administration", verbose_name=_("administrations"), blank=True, related_name="+"
    )
    call = models.ForeignKey(
        "scholarships.Call", verbose_name=_("scholarship call"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    template = models.ForeignKey(
        MailingTemplate, verbose_name=_("started from"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="mailings",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=12, choices=MailingStatus.choices, default=MailingStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(audience__in=["workshop_participants", "workshop_accepted"]) | Q(workshop__isnull=False),
                name="mailing_workshop_audience_names_a_workshop",
            ),
            models.CheckConstraint(
                condition=~Q(audience="region_contact_points") | Q(region__isnull=False),
                name="mailing_region_audience_names_a_region",
            ),
            models.CheckConstraint(
                condition=~Q(audience="call_applicants") | Q(call__isnull=False),
                name="mailing_call_audience_names_a_call",
            ),
        ]

    def __str__(self) -> str:
        return self.subject_en

    def get_absolute_url(self) -> str:
        return reverse("mailings:mailing_detail", kwargs={"pk": self.pk})


class MailingRecipient(ChoiceLabelsMixin, models.Model):
    """One address a confirmed mailing goes to, and what became of it. ``language`` is the language of the
    message this recipient gets: their own, or English when the mailing has no French text."""

    mailing = models.ForeignKey(Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="recipients")
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    administration = models.CharField(_("administration"), max_length=200, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=2, choices=MessageLanguage.choices)
    language = models.CharField(_("language sent"), max_length=2, choices=MessageLanguage.choices)
    status = models.CharField(
        _("delivery"), max_length=8, choices=RecipientStatus.choices, default=RecipientStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint("mailing", Lower("email"), name="mailing_recipient_once_per_address"),
        ]
        indexes = [models.Index(fields=["mailing", "status"])]

    def __str__(self) -> str:
        return self.email

    @property
    def in_fallback_language(self) -> bool:
        return self.language != self.preferred_language
