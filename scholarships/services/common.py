"""What the steps of an application share: the fields each step writes, the clock, the call's open window."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError

from ..enums import (
    ApplicationStatus,
    ApplicationStep,
)
from ..models import (
    Application,
    Call,
)
from ..models.applications import DOCUMENT_FIELDS

# The fields each step of the form writes (the review step writes none: it submits).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    ApplicationStep.PERSONAL: ("full_name", "gender", "date_of_birth", "nationality"),
    ApplicationStep.ADMINISTRATION: ("administration", "position", "years_of_service"),
    ApplicationStep.EDUCATION: ("education_level", "education_details", "language_level"),
    ApplicationStep.MOTIVATION: ("motivation",),
    ApplicationStep.DOCUMENTS: DOCUMENT_FIELDS,
}


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _require_open(call: Call, now: dt.datetime) -> None:
    if not call.is_open(now):
        if call.is_published and now >= call.closes_at:
            raise TransitionError(
                _("This call closed on %(date)s: applications can no longer be changed or submitted.")
                % {"date": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M %Z")}
            )
        raise TransitionError(_("This call is not open for applications."))


def _require_editable_draft(application: Application, now: dt.datetime) -> None:
    if application.status == ApplicationStatus.SUBMITTED:
        raise TransitionError(_("This application has already been submitted."))
    if application.status != ApplicationStatus.DRAFT:
        raise TransitionError(_("This application was withdrawn and can no longer be changed."))
    _require_open(application.call, now)


def word_count_errors(call: Call, text: str) -> list[str]:
    """The motivation essay's word limits, counted on the server as words separated by white space."""
    words = len(text.split())
    if words < call.motivation_min_words:
        return [
            _("The motivation has %(words)d words; at least %(min)d are needed.")
            % {"words": words, "min": call.motivation_min_words}
        ]
    if words > call.motivation_max_words:
        return [
            _("The motivation has %(words)d words; at most %(max)d are allowed.")
            % {"words": words, "max": call.motivation_max_words}
        ]
    return []
