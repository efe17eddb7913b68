from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role in the portal. Staff roles reach the staff pages and the Django admin."""

    PROJECT_MANAGER = "project_manager", _("WCO project manager")
    PROJECT_OFFICER = "project_officer", _("WCO project officer")
    CONTACT_POINT = "contact_point", _("Member contact point")
    EXPERT = "expert", _("Expert")
    REVIEWER = "reviewer", _("Reviewer")
    APPLICANT = "applicant", _("Scholarship applicant")


STAFF_ROLES = frozenset({Role.PROJECT_MANAGER, Role.PROJECT_OFFICER})


class ContactPointRole(models.TextChoices):
    BACUDA_FOCAL_POINT = "bacuda_focal_point", _("BACUDA focal point")
    CLIKC_COORDINATOR = "clikc_coordinator", _("CLiKC! national coordinator")
    DATA_ANALYTICS_LEAD = "data_analytics_lead", _("Data analytics lead")
    OTHER = "other", _("Other contact point")


class MemberKind(models.TextChoices):
    STATE = "state", _("UN member state")
    OBSERVER_STATE = "observer_state", _("UN observer state")
    PARTIALLY_RECOGNISED = "partially_recognised", _("Partially recognised state")
    CUSTOMS_TERRITORY = "customs_territory", _("Customs territory")
    UNION = "union", _("Customs or economic union")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
