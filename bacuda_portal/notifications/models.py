"""Notification templates (editable EN/FR texts per kind), staff's delivery preference, and the delivery log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.models import BackgroundWork, TimeStampedModel
from bacuda_portal.members.enums import Language

from .enums import Delivery, Kind, Status


class NotificationTemplate(TimeStampedModel):
    """The subject and text of one kind of notification, in English and French (Django template syntax, with the
    kind's variables only: ``kinds.KINDS``). Checked on save: a template that does not render is refused."""

    kind = models.CharField(_("notification"), max_length=32, choices=Kind.choices, unique=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    text_en = models.TextField(_("text (English)"))
    subject_fr = models.CharField(_("subject (French)"), max_length=200)
    text_fr = models.TextField(_("text (French)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class NotificationPreference(TimeStampedModel):
    """How a staff member receives the staff notifications: one email per event, or one daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="notification_preference",
    )  # fmt: skip
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_delivery_display()}"


class Notification(BackgroundWork, TimeStampedModel):
    """One message to one person: the delivery log, and the row a worker sends (``core.background``).

    ``occasion`` names a reminder's moment (e.g. "closing"): with the kind, the recipient and the object it is
    about it is unique, so a periodic sweep never sends the same reminder twice. Events leave it empty.
    """

    kind = models.CharField(_("notification"), max_length=32, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="notifications",
    )  # fmt: skip
    email = models.EmailField(_("recipient"), db_index=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    about_label = models.CharField(_("about"), max_length=300, blank=True)
    about_url = models.CharField(_("link"), max_length=500, blank=True)
    about_key = models.CharField(_("object"), max_length=80, blank=True, help_text=_("app.model:id"))
    occasion = models.CharField(_("occasion"), max_length=40, blank=True)
    digest = models.ForeignKey(
        "self", verbose_name=_("digest"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "email", "about_key", "occasion"],
                condition=~Q(occasion=""),
                name="notification_sent_once_per_occasion",
            )
        ]
        indexes = [models.Index(fields=["status", "updated_at"]), models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.email}"
