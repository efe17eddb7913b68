"""Eligibility: the call's rules checked on submission, and staff's override with a rationale."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from ..enums import (
    CEFR_ORDER,
    ApplicationStatus,
    EligibilityResult,
    EligibilityRule,
    EndorsementStatus,
)
from ..models import (
    Application,
    EligibilityCheck,
)


def eligibility_reasons(application: Application) -> list[dict[str, Any]]:
    """One reason per rule of the call: ``{"rule", "passed", "detail"}``; ``passed`` is None while undecided."""
    call = application.call
    reasons: list[dict[str, Any]] = []
    administration = application.administration
    reasons.append(
        {
            "rule": EligibilityRule.ADMINISTRATION.value,
            "passed": administration is not None and administration.is_member,
            "detail": _("%(administration)s is a current WCO Member.") % {"administration": administration}
            if administration is not None and administration.is_member
            else _("The administration is not a current WCO Member."),
        }
    )
    years = application.years_of_service or 0
    reasons.append(
        {
            "rule": EligibilityRule.YEARS_OF_SERVICE.value,
            "passed": years >= call.min_years_of_service,
            "detail": _("%(years)d years of service; the call asks for at least %(min)d.")
            % {"years": years, "min": call.min_years_of_service},
        }
    )
    if call.required_language_level:
        level = application.language_level
        passed = bool(level) and CEFR_ORDER.index(level) >= CEFR_ORDER.index(call.required_language_level)
        detail = _("Level %(level)s in %(language)s; the call asks for %(required)s or above.") % {
            "level": level or "–",
            "language": call.get_instruction_language_display(),
            "required": call.required_language_level,
        }
    else:
        passed, detail = True, _("No language level is required by this call.")
    reasons.append({"rule": EligibilityRule.LANGUAGE_LEVEL.value, "passed": passed, "detail": detail})
    status = application.endorsement_status
    if not call.endorsement_required:
        passed, detail = True, _("This call does not require an endorsement.")
    elif status == EndorsementStatus.ENDORSED:
        passed, detail = True, _("Endorsed by the administration's contact point.")
    elif status == EndorsementStatus.DECLINED:
        passed, detail = False, _("The administration's contact point did not endorse the application.")
    else:
        passed, detail = None, _("Waiting for the administration's contact point to endorse the application.")
    reasons.append({"rule": EligibilityRule.ENDORSEMENT.value, "passed": passed, "detail": str(detail)})
    for reason in reasons:
        reason["detail"] = str(reason["detail"])
    return reasons


def _result_of(reasons: list[dict[str, Any]]) -> str:
    if any(reason["passed"] is False for reason in reasons):
        return EligibilityResult.INELIGIBLE
    if any(reason["passed"] is None for reason in reasons):
        return EligibilityResult.PENDING
    return EligibilityResult.ELIGIBLE


@transaction.atomic
def eligibility_screen(*, application: Application, by: User | None = None) -> EligibilityCheck:
    """Run the call's rules and record one reason per rule. A staff override stands: a later automatic
    screening is recorded beside it but does not change the application's result.

    Side effects: an eligibility check row; the application's result updated; audit record.
    """
    reasons = eligibility_reasons(application)
    result = _result_of(reasons)
    check = EligibilityCheck.objects.create(application=application, result=result, reasons=reasons, decided_by=by)
    overridden = application.eligibility_checks.filter(is_override=True).exists()
    if not overridden:
        application.eligibility_result = result
        application.save(update_fields=["eligibility_result", "updated_at"])
    audit_record(actor=by, action="scholarships.eligibility.screened", target=application, result=result)
    return check


@transaction.atomic
def eligibility_override(*, application: Application, result: str, rationale: str, by: User) -> EligibilityCheck:
    """Staff set the eligibility by hand, with a written rationale; the last screening's reasons are kept.

    Side effects: an eligibility check row marked as override; the application's result updated; audit record.
    """
    if application.status != ApplicationStatus.SUBMITTED:
        raise TransitionError(_("Only a submitted application can be screened."))
    if result not in (EligibilityResult.ELIGIBLE, EligibilityResult.INELIGIBLE):
        raise ValidationError({"result": _("Choose eligible or not eligible.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Please write why the screening is overridden.")})
    last = application.eligibility_checks.filter(is_override=False).first()
    check = EligibilityCheck.objects.create(
        application=application,
        result=result,
        reasons=last.reasons if last else eligibility_reasons(application),
        is_override=True,
        rationale=rationale.strip(),
        decided_by=by,
    )
    application.eligibility_result = result
    application.save(update_fields=["eligibility_result", "updated_at"])
    audit_record(actor=by, action="scholarships.eligibility.overridden", target=application, result=result)
    return check
