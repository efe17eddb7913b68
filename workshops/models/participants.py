import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.models import TimeStampedModel

from .nominations import Nomination


def hash_participant_token(token: str) -> str:
    """Only the hash is stored: a leaked database does not leak usable personal links."""
    return hashlib.sha256(token.encode()).hexdigest()


class ParticipantLink(TimeStampedModel):
    """One personal link emailed to an accepted participant: the key to their page, without an account.

    Every email carries its own link (a row here), so a later email does not break the link in an earlier one; all
    of a nomination's links end together when staff revoke them, and each ends at ``expires_at``. ``created_at`` is
    when it was sent. The token itself is only in the email.
    """

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="participant_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("participant link")
        verbose_name_plural = _("participant links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.nomination} ({self.created_at:%Y-%m-%d})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
