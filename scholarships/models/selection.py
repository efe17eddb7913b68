"""Selection: decisions (released together), offers and the reserve list, the programme outcome of those who
accepted, decision letters. (Erasure requests are the portal's: ``core.ErasureRequest``.)"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.models import BackgroundWork, TimeStampedModel

from ..enums import DecisionOutcome, DecisionStatus, LetterStatus, OfferStatus, ProgrammeResult
from ..placeholders import PLACEHOLDERS, unknown_placeholders
from .applications import Application
from .programmes import Call


class Decision(TimeStampedModel):
    """Staff's decision on an application: pending until the call's decisions are released together.

    A selected candidate holds an offer (``offer_status``) to answer before ``reply_by``; a reserve candidate has
    an ``reserve_rank`` and is proposed the seat a decline or an expiry frees, which staff confirm.
    """

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=12, choices=DecisionOutcome.choices)
    reserve_rank = models.PositiveSmallIntegerField(_("reserve order"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DecisionStatus.choices, default=DecisionStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    offer_status = models.CharField(
        _("offer"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.NONE, blank=True, db_index=True
    )
    reply_by = models.DateTimeField(_("reply by"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["call", "outcome", "reserve_rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "reserve_rank"], condition=Q(reserve_rank__isnull=False), name="decision_reserve_unique"
            ),
            models.CheckConstraint(
                condition=Q(outcome="reserve", reserve_rank__isnull=False)
                | Q(reserve_rank__isnull=True)
                | Q(outcome="selected"),
                name="decision_reserve_rank_for_reserve",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_outcome_display()}"


class ProgrammeOutcome(TimeStampedModel):
    """How the programme ended for a selected candidate who accepted the offer: graduated on a date, or did not
    complete (left on a date, with a short reason). Staff record it and may correct it; the "scholars
    graduated" indicator of the results framework counts the graduations by ``ended_on``."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="programme_outcome")
    result = models.CharField(_("programme outcome"), max_length=14, choices=ProgrammeResult.choices, db_index=True)
    ended_on = models.DateField(_("date"), db_index=True, help_text=_("The graduation date, or the date they left."))
    reason = models.CharField(_("reason"), max_length=500, blank=True, help_text=_("Why they did not complete."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("programme outcome")
        verbose_name_plural = _("programme outcomes")
        ordering = ["-ended_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_result_display()} ({self.ended_on})"


class LetterTemplate(TimeStampedModel):
    """The editable text of a decision letter for one outcome of a call, in English and French.

    Placeholders: ``{{ full_name }}``, ``{{ call }}``, ``{{ programme }}``, ``{{ university }}``,
    ``{{ reply_by }}``, ``{{ reserve_rank }}``, ``{{ status_url }}``.
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="letter_templates")
    outcome = models.CharField(_("decision"), max_length=12, choices=DecisionOutcome.choices)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("text (English)"))
    subject_fr = models.CharField(_("subject (French)"), max_length=200)
    body_fr = models.TextField(_("text (French)"))

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [models.UniqueConstraint(fields=["call", "outcome"], name="letter_template_once")]

    def __str__(self) -> str:
        return f"{self.call}: {self.get_outcome_display()}"

    def clean(self) -> None:
        errors = {}
        for name in ("subject_en", "body_en", "subject_fr", "body_fr"):
            unknown = unknown_placeholders(getattr(self, name) or "")
            if unknown:
                errors[name] = _("Unknown placeholder: %(names)s. Use: %(known)s.") % {
                    "names": ", ".join(unknown),
                    "known": ", ".join("{{ %s }}" % known for known in PLACEHOLDERS),  # noqa: UP031
                }
        if errors:
            raise ValidationError(errors)


class Letter(BackgroundWork, TimeStampedModel):
    """A decision letter in the outbox: staff read, edit and approve it; a worker sends it.

    Its sending is background work (``core.background``): approved -> sending -> sent, or failed with the reason
    after a few attempts.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="letters")
    outcome = models.CharField(_("decision"), max_length=12, choices=DecisionOutcome.choices)
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=2)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=8, choices=LetterStatus.choices, default=LetterStatus.DRAFT, db_index=True
    )
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["call", "status", "pk"]

    def __str__(self) -> str:
        return self.subject
