from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    WORKSHOP_PARTICIPANTS = "workshop_participants", _("A workshop's participants (every nomination holding a seat)")
    WORKSHOP_ACCEPTED = "workshop_accepted", _("A workshop's accepted participants")
    REGION_CONTACT_POINTS = "region_contact_points", _("The contact points of a region")
    ADMINISTRATION_CONTACT_POINTS = "administration_contact_points", _("The contact points of chosen administrations")
    CALL_APPLICANTS = "call_applicants", _("A scholarship call's applicants")


WORKSHOP_AUDIENCES = (Audience.WORKSHOP_PARTICIPANTS, Audience.WORKSHOP_ACCEPTED)


class MailingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Waiting for a worker")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    PARTLY_SENT = "partly_sent", _("Sent, with failures")
    FAILED = "failed", _("Failed")


# A mailing whose sending is under way: the page refreshes itself, nothing can be changed.
PENDING_MAILING_STATUSES = (MailingStatus.QUEUED, MailingStatus.SENDING)
# A mailing whose failed recipients may be tried again.
RETRYABLE_MAILING_STATUSES = (MailingStatus.PARTLY_SENT, MailingStatus.FAILED)


class RecipientStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class MessageLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
