from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopKind(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    SUB_REGIONAL = "sub_regional", _("Sub-regional")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")


# Kinds that gather several administrations; a national workshop has exactly one beneficiary.
MULTI_ADMINISTRATION_KINDS = frozenset({WorkshopKind.REGIONAL, WorkshopKind.SUB_REGIONAL})
# Kinds that need a venue (the others need an online link).
IN_PERSON_KINDS = frozenset(
    {WorkshopKind.NATIONAL, WorkshopKind.REGIONAL, WorkshopKind.SUB_REGIONAL, WorkshopKind.BLENDED}
)


class WorkshopStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# A workshop that took place: it counts in the results framework and may be reported on.
DELIVERED_WORKSHOP_STATUSES = (WorkshopStatus.DELIVERED, WorkshopStatus.CLOSED)
# A workshop that still takes nominations.
NOMINATION_OPEN_STATUSES = (WorkshopStatus.REQUESTED, WorkshopStatus.PLANNED, WorkshopStatus.CONFIRMED)


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted into planning")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Wait-listed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Nominations that hold (or wait for) a seat and count against the administration's quota.
ACTIVE_NOMINATION_STATUSES = (NominationStatus.NOMINATED, NominationStatus.ACCEPTED, NominationStatus.WAITLISTED)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other or prefers not to say")


class WorkingLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    PORTUGUESE = "pt", _("Portuguese")
    RUSSIAN = "ru", _("Russian")


class AssignmentRole(models.TextChoices):
    LEAD_TRAINER = "lead_trainer", _("Lead trainer")
    TRAINER = "trainer", _("Trainer")
    RESOURCE_PERSON = "resource_person", _("Resource person")


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the expert's confirmation")
    CONFIRMED = "confirmed", _("Confirmed by the expert")
    DECLINED = "declined", _("Declined by the expert")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# Statuses that count as having attended a session for the certificate rule.
ATTENDED_STATUSES = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a worker")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Rendering failed")
