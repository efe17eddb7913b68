import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ChoiceLabelsMixin
from bacuda_portal.core.models import BackgroundWork, TimeStampedModel
from bacuda_portal.core.uploads import get_private_storage

from ..enums import CertificateStatus
from .nominations import Nomination

# No 0/O or 1/I/L: codes are read off paper and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Certificate(ChoiceLabelsMixin, BackgroundWork, TimeStampedModel):
    """A certificate of attendance: rendered to PDF by a worker, verifiable by anyone with its code.

    Its rendering is background work (``core.background``): pending -> rendering -> ready, or failed with the
    reason after a few attempts.
    """

    # A nomination has at most one valid certificate; a revoked one stays (its code still verifies, as revoked)
    # beside the one reissued in its place.
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="certificates"
    )
    verification_code = models.CharField(
        _("verification code"), max_length=14, unique=True, default=new_verification_code, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.PENDING, db_index=True
    )
    file = models.FileField(_("PDF"), storage=get_private_storage, upload_to="certificates/", blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "nomination__full_name"]
        constraints = [
            models.UniqueConstraint(
                "nomination", condition=Q(revoked_at__isnull=True), name="certificate_one_valid_per_nomination"
            )
        ]

    def __str__(self) -> str:
        return f"{self.verification_code} – {self.nomination.full_name}"

    def get_verification_url(self) -> str:
        return reverse("workshops:certificate_verify", kwargs={"code": self.verification_code})
