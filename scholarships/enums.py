from django.db import models
from django.utils.translation import gettext_lazy as _


class CefrLevel(models.TextChoices):
    """Common European Framework of Reference levels, lowest first (the order is used to compare them)."""

    A1 = "A1", _("A1 (beginner)")
    A2 = "A2", _("A2 (elementary)")
    B1 = "B1", _("B1 (intermediate)")
    B2 = "B2", _("B2 (upper intermediate)")
    C1 = "C1", _("C1 (advanced)")
    C2 = "C2", _("C2 (proficient)")


CEFR_ORDER = [level.value for level in CefrLevel]


class InstructionLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class EducationLevel(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school")
    BACHELOR = "bachelor", _("Bachelor's degree or equivalent")
    MASTER = "master", _("Master's degree or equivalent")
    DOCTORATE = "doctorate", _("Doctorate")
    OTHER = "other", _("Other")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EndorsementStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")
    PENDING = "pending", _("Awaiting the contact point")
    ENDORSED = "endorsed", _("Endorsed")
    DECLINED = "declined", _("Not endorsed")


class EndorsementDecision(models.TextChoices):
    ENDORSED = "endorsed", _("Endorse")
    DECLINED = "declined", _("Decline")


class EndorsementQueueState(models.TextChoices):
    """The contact point's filter on their endorsement queue; the default is the applications waiting for them."""

    WAITING = "waiting", _("Waiting for your decision")
    ENDORSED = "endorsed", _("Endorsed")
    DECLINED = "declined", _("Not endorsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ALL = "all", _("All")


class EligibilityResult(models.TextChoices):
    PENDING = "pending", _("Not yet decided")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")


class EligibilityRule(models.TextChoices):
    """The rules a call holds as data; each screening records one reason per rule."""

    ADMINISTRATION = "administration", _("Current WCO Member administration")
    YEARS_OF_SERVICE = "years_of_service", _("Minimum years of service")
    LANGUAGE_LEVEL = "language_level", _("Required language level")
    ENDORSEMENT = "endorsement", _("Endorsement by the administration")


class ApplicationStep(models.TextChoices):
    """The steps of the application form, in order."""

    PERSONAL = "personal", _("Personal details")
    ADMINISTRATION = "administration", _("Administration and position")
    EDUCATION = "education", _("Education and language")
    MOTIVATION = "motivation", _("Motivation")
    DOCUMENTS = "documents", _("Documents")
    REVIEW = "review", _("Review and submit")


STEP_ORDER = [step.value for step in ApplicationStep]


class Recommendation(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    SUBMITTED = "submitted", _("Submitted")
    CONFLICT = "conflict", _("Conflict of interest declared")


# Each criterion is scored on this scale; the weighted score of a review is on the same scale.
SCORE_MIN, SCORE_MAX = 0, 10


class DecisionOutcome(models.TextChoices):
    SELECTED = "selected", _("Selected")
    RESERVE = "reserve", _("Reserve list")
    NOT_SELECTED = "not_selected", _("Not selected")


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("Pending (not yet released)")
    RELEASED = "released", _("Released")


class OfferStatus(models.TextChoices):
    NONE = "", _("No offer")
    PROPOSED = "proposed", _("Seat proposed, awaiting staff confirmation")
    OPEN = "open", _("Offer open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("To review")
    APPROVED = "approved", _("Approved, sending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ProgrammeResult(models.TextChoices):
    """How the scholarship programme ended for a selected candidate who accepted the offer."""

    GRADUATED = "graduated", _("Graduated")
    NOT_COMPLETED = "not_completed", _("Did not complete")
