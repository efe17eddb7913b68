from django.db import models
from django.utils.translation import gettext_lazy as _


class TravelRequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


class ExpenseCategory(models.TextChoices):
    AIRFARE = "airfare", _("Airfare")
    ACCOMMODATION = "accommodation", _("Accommodation")
    MEALS = "meals", _("Meals")
    LOCAL_TRANSPORT = "local_transport", _("Local transport")
    VISA = "visa", _("Visa")
    OTHER = "other", _("Other")


class MissionStage(models.TextChoices):
    """Where a mission stands, derived from its travel request and claim (never stored): the list's filter."""

    NO_REQUEST = "no_request", _("No travel request yet")
    REQUEST_DRAFT = "request_draft", _("Travel request in draft")
    REQUEST_SUBMITTED = "request_submitted", _("Travel request awaiting approval")
    REQUEST_APPROVED = "request_approved", _("Travel request approved")
    REQUEST_REJECTED = "request_rejected", _("Travel request rejected")
    CLAIM_DRAFT = "claim_draft", _("Claim in draft")
    CLAIM_SUBMITTED = "claim_submitted", _("Claim awaiting approval")
    CLAIM_APPROVED = "claim_approved", _("Claim approved, awaiting payment")
    CLAIM_REJECTED = "claim_rejected", _("Claim rejected")
    CLAIM_PAID = "claim_paid", _("Claim paid")
