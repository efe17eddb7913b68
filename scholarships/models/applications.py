import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.core.uploads import DOCUMENT_TYPES, UploadValidator, get_private_storage
from bacuda_portal.members.models import Administration

from ..enums import (
    ApplicationStatus,
    CefrLevel,
    EducationLevel,
    EligibilityResult,
    EndorsementDecision,
    EndorsementStatus,
    Gender,
)
from .programmes import Call

DOCUMENT_FIELDS = ("cv", "motivation_letter", "supervisor_endorsement")
DOCUMENT_MAX_MEGABYTES = 5


def document_upload_to(application: "Application", filename: str) -> str:
    # The applicant's own file name is not kept: it may hold personal data, and a random name is unguessable.
    return f"scholarships/{application.call_id}/{application.pk}/{secrets.token_hex(12)}.pdf"


def _document_field(label):
    return models.FileField(
        label,
        upload_to=document_upload_to,
        storage=get_private_storage,
        validators=[UploadValidator(kinds=DOCUMENT_TYPES, max_megabytes=DOCUMENT_MAX_MEGABYTES)],
        blank=True,
        max_length=200,
    )


class Application(TimeStampedModel):
    """One applicant's application to one call: a draft they fill step by step, then submit."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications")
    # Empty once the application is anonymised (erasure, or the call's retention period has passed).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scholarship_applications",
    )
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scholarship_applications",
    )
    # Personal details.
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    # Administration and position.
    position = models.CharField(_("position"), max_length=200, blank=True)
    years_of_service = models.PositiveSmallIntegerField(_("years of service in Customs"), null=True, blank=True)
    # Education and language.
    education_level = models.CharField(
        _("highest education"), max_length=12, choices=EducationLevel.choices, blank=True
    )
    education_details = models.TextField(_("degrees and institutions"), blank=True)
    language_level = models.CharField(
        _("level in the language of instruction"), max_length=2, choices=CefrLevel.choices, blank=True
    )
    motivation = models.TextField(_("motivation"), blank=True)
    # Documents.
    cv = _document_field(_("curriculum vitae"))
    motivation_letter = _document_field(_("motivation letter"))
    supervisor_endorsement = _document_field(_("supervisor's endorsement"))
    # Where it stands.
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    endorsement_status = models.CharField(
        _("endorsement"),
        max_length=12,
        choices=EndorsementStatus.choices,
        default=EndorsementStatus.PENDING,
        db_index=True,
    )
    eligibility_result = models.CharField(
        _("eligibility"),
        max_length=12,
        choices=EligibilityResult.choices,
        default=EligibilityResult.PENDING,
        db_index=True,
    )
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_text = models.TextField(_("consent text agreed to"), blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("scholarship application")
        verbose_name_plural = _("scholarship applications")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["call", "administration"]),
            # The staff list's order: the first page is read from the index, not sorted.
            models.Index(fields=["-submitted_at", "-created_at", "-id"], name="application_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["call", "applicant"], name="application_once_per_call"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, consent_given_at__isnull=False),
                name="application_submitted_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name or self.applicant or self.pk} – {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("scholarships:application_detail", kwargs={"pk": self.pk})

    @property
    def motivation_words(self) -> int:
        return len(self.motivation.split())


class EligibilityCheck(models.Model):
    """One screening of an application (automatic, or a staff override), with one reason per rule."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    result = models.CharField(_("result"), max_length=12, choices=EligibilityResult.choices)
    reasons = models.JSONField(_("reasons"), default=list, help_text=_("[{rule, passed, detail}, ...]"))
    is_override = models.BooleanField(_("staff override"), default=False)
    rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        ordering = ["application", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(is_override=False) | ~Q(rationale=""), name="override_has_rationale")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_result_display()}"


class Endorsement(TimeStampedModel):
    """The contact point's decision on an application from their administration, and its rank within the quota."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="endorsement"
    )
    # Copied from the application so the database can keep ranks unique per call and administration.
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    administration = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=12, choices=EndorsementDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["call", "administration", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "administration", "rank"],
                condition=Q(rank__isnull=False),
                name="endorsement_rank_unique",
            ),
            models.CheckConstraint(
                condition=Q(decision="endorsed") | Q(rank__isnull=True), name="endorsement_rank_only_when_endorsed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_decision_display()}"
