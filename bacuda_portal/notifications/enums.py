from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Every notification the portal sends; each has an editable EN/FR template (``kinds.KINDS``)."""

    # To staff (immediate, or in the daily digest: ``Delivery``)
    WORKSHOP_REQUESTED = "workshop_requested", _("New workshop request")
    NOMINATION_CREATED = "nomination_created", _("New nomination")
    ASSIGNMENT_ANSWERED = "assignment_answered", _("Expert answered an assignment")
    CLAIM_SUBMITTED = "claim_submitted", _("Travel claim to approve")
    LETTERS_TO_APPROVE = "letters_to_approve", _("Decision letters to approve")
    PUBLICATION_AWAITING = "publication_awaiting", _("Publication awaiting the data owner")
    WORK_FAILED = "work_failed", _("Failed job or report")
    DIGEST = "digest", _("Daily digest")
    # To contact points
    ENDORSEMENT_REQUESTED = "endorsement_requested", _("Application awaiting endorsement")
    NOMINATION_DECIDED = "nomination_decided", _("Nomination decision")
    CALL_CLOSING = "call_closing", _("Call closing soon")
    # To reviewers, experts, applicants
    REVIEWS_ASSIGNED = "reviews_assigned", _("Reviews assigned")
    REVIEWS_DUE = "reviews_due", _("Reviews due soon")
    ASSIGNMENT_OFFERED = "assignment_offered", _("Assignment to answer")
    OFFER_REPLY_DUE = "offer_reply_due", _("Offer reply-by date")
    # To participants (no account: the nomination's address and personal link)
    QUESTIONNAIRE_OPEN = "questionnaire_open", _("Questionnaire open")
    QUESTIONNAIRE_CLOSING = "questionnaire_closing", _("Questionnaire closing soon")


class Status(models.TextChoices):
    HELD = "held", _("Held for the daily digest")
    QUEUED = "queued", _("Waiting for a worker")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    IN_DIGEST = "in_digest", _("Sent in a digest")
    FAILED = "failed", _("Failed")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("One email per event")
    DIGEST = "digest", _("One daily digest")
