"""Every write and state change of the scholarships app: one function each, in a transaction, audited.

An application is a draft the applicant fills step by step, then submitted (screened for eligibility on the
spot) or withdrawn. The administration's contact point endorses or declines it and ranks the endorsed ones.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import Administration, User

from .enums import (
    CEFR_ORDER,
    ApplicationStatus,
    ApplicationStep,
    EligibilityResult,
    EligibilityRule,
    EndorsementDecision,
    EndorsementStatus,
)
from .models import Application, Call, EligibilityCheck, Endorsement
from .models.applications import DOCUMENT_FIELDS

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


# --- Drafts --------------------------------------------------------------------------------------------
@transaction.atomic
def application_start(*, call: Call, applicant: User, now: dt.datetime | None = None) -> Application:
    """Open the applicant's draft for a call, or return the one they already have.

    Side effects: audit record when the draft is created.
    """
    existing = Application.objects.filter(call=call, applicant=applicant).first()
    if existing is not None:
        return existing
    _require_open(call, _now(now))
    try:
        with transaction.atomic():
            application = Application.objects.create(call=call, applicant=applicant, full_name=applicant.full_name)
    except IntegrityError:  # the same applicant in two tabs: the other request created it
        return Application.objects.get(call=call, applicant=applicant)
    audit_record(actor=applicant, action="scholarships.application.started", target=application)
    return application


@transaction.atomic
def application_save_step(
    *, application: Application, step: str, by: User, values: dict[str, Any], now: dt.datetime | None = None
) -> Application:
    """Save one step of a draft. Everything is checked before anything is written: a refused upload saves
    neither the file nor the step's other values.

    Side effects: audit record (field names only, never the values); uploaded files written to private storage.
    """
    application = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
    _require_editable_draft(application, _now(now))
    fields = STEP_FIELDS[step]
    changed = []
    for name in fields:
        if name not in values:
            continue
        value = values[name]
        if name in DOCUMENT_FIELDS and not value:
            continue  # no new file chosen: keep the one uploaded before
        if isinstance(value, str):
            value = value.strip()
        setattr(application, name, value)
        changed.append(name)
    if step == ApplicationStep.MOTIVATION:
        errors = word_count_errors(application.call, application.motivation)
        if errors:
            raise ValidationError({"motivation": errors})
    application.full_clean(exclude=[name for name in _all_step_fields() if name not in fields])
    application.save()
    audit_record(actor=by, action="scholarships.application.saved", target=application, step=step, fields=changed)
    return application


def _all_step_fields() -> list[str]:
    return [name for names in STEP_FIELDS.values() for name in names]


def missing_for_submission(application: Application) -> list[str]:
    """The steps still incomplete, by label; empty when the application can be submitted."""
    required = {
        ApplicationStep.PERSONAL: ("full_name", "gender", "date_of_birth", "nationality"),
        ApplicationStep.ADMINISTRATION: ("administration_id", "position", "years_of_service"),
        ApplicationStep.EDUCATION: ("education_level", "education_details", "language_level"),
        ApplicationStep.MOTIVATION: ("motivation",),
        ApplicationStep.DOCUMENTS: DOCUMENT_FIELDS,
    }
    missing = []
    for step, names in required.items():
        if any(getattr(application, name) in (None, "") for name in names) or (
            step == ApplicationStep.MOTIVATION and word_count_errors(application.call, application.motivation)
        ):
            missing.append(str(ApplicationStep(step).label))
    return missing


# --- Submission ----------------------------------------------------------------------------------------
@transaction.atomic
def application_submit(
    *, application: Application, by: User, consent: bool, now: dt.datetime | None = None
) -> Application:
    """Draft -> submitted, with the consent text as shown recorded; screening runs at once.

    Refused after the call's close, a second time (double submit), without consent or while a step is
    incomplete; a refusal writes nothing. Side effects: eligibility check recorded; audit record; the
    applicant is emailed a confirmation after commit.
    """
    now = _now(now)
    # Lock the row: two submits racing each other see one draft, then one submitted application.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "administration")
        .get(pk=application.pk)
    )
    _require_editable_draft(application, now)
    if not consent:
        raise ValidationError({"consent": _("Please agree to the processing of your personal data to submit.")})
    missing = missing_for_submission(application)
    if missing:
        raise ValidationError(_("Please complete these steps first: %(steps)s.") % {"steps": ", ".join(missing)})
    call = application.call
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.consent_given_at = now
    application.consent_text = call.consent_text
    application.endorsement_status = (
        EndorsementStatus.PENDING if call.endorsement_required else EndorsementStatus.NOT_REQUIRED
    )
    application.save()
    eligibility_screen(application=application, by=None)
    audit_record(actor=by, action="scholarships.application.submitted", target=application)
    send_templated_email(
        template="scholarships/application_submitted",
        to=[application.applicant.email],
        language=application.applicant.preferred_language,
        context={
            "full_name": application.full_name,
            "call": str(call),
            "reference": application.pk,
            "closes_at": call.closes_at,
            "status_url": application.get_absolute_url(),
        },
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by: User, now: dt.datetime | None = None) -> Application:
    """Draft or submitted -> withdrawn, by the applicant. An endorsement it held frees its place in the quota.

    Side effects: audit record; the endorsement (if any) loses its rank and the others close up.
    """
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.status == ApplicationStatus.WITHDRAWN:
        raise TransitionError(_("This application has already been withdrawn."))
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = _now(now)
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    endorsement = Endorsement.objects.filter(application=application).first()
    if endorsement is not None and endorsement.rank is not None:
        endorsement.rank = None
        endorsement.save(update_fields=["rank", "updated_at"])
        _close_up_ranks(call=endorsement.call, administration=endorsement.administration)
    audit_record(actor=by, action="scholarships.application.withdrawn", target=application)
    return application


# --- Eligibility ---------------------------------------------------------------------------------------
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


# --- Endorsement ---------------------------------------------------------------------------------------
def _close_up_ranks(*, call: Call, administration: Administration) -> None:
    ranked = list(
        Endorsement.objects.filter(call=call, administration=administration, rank__isnull=False).order_by("rank")
    )
    _assign_ranks(ranked)


def _assign_ranks(endorsements: list[Endorsement]) -> None:
    # Two passes, so that swapping two ranks never meets the unique constraint half-way.
    ids = [endorsement.pk for endorsement in endorsements]
    Endorsement.objects.filter(pk__in=ids).update(rank=None)
    for position, endorsement in enumerate(endorsements, start=1):
        endorsement.rank = position
        Endorsement.objects.filter(pk=endorsement.pk).update(rank=position)


@transaction.atomic
def endorsement_decide(
    *, application: Application, administration: Administration, decision: str, comment: str, by: User
) -> Endorsement:
    """The contact point endorses or declines an application from their administration; a new decision
    replaces the earlier one. Endorsing beyond the call's quota per administration is refused; an endorsed
    application takes the next rank.

    Side effects: the application's endorsement status and eligibility screening updated; audit record.
    """
    application = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
    if application.administration_id != administration.pk:
        raise TransitionError(_("You can only endorse applications from your own administration."))
    if application.status != ApplicationStatus.SUBMITTED:
        raise TransitionError(_("Only a submitted application can be endorsed or declined."))
    if decision not in EndorsementDecision.values:
        raise ValidationError({"decision": _("Choose to endorse or decline.")})
    if decision == EndorsementDecision.DECLINED and not comment.strip():
        raise ValidationError({"comment": _("Please say why you do not endorse this application.")})
    call = application.call
    # Lock the administration's endorsements for this call so two endorsements at once cannot both fit.
    others = list(
        Endorsement.objects.select_for_update(of=("self",))
        .filter(call=call, administration=administration)
        .exclude(application=application)
    )
    endorsement = Endorsement.objects.filter(application=application).first()
    if decision == EndorsementDecision.ENDORSED and not (endorsement and endorsement.rank):
        endorsed = sum(1 for other in others if other.rank is not None)
        if endorsed >= call.quota_per_administration:
            raise TransitionError(
                _("Your administration has already endorsed %(quota)d candidates, the quota of this call.")
                % {"quota": call.quota_per_administration}
            )
    if endorsement is None:
        endorsement = Endorsement(application=application, call=call, administration=administration)
    endorsement.decision = decision
    endorsement.comment = comment.strip()
    endorsement.decided_by = by
    if decision == EndorsementDecision.ENDORSED:
        if endorsement.rank is None:
            endorsement.rank = max((other.rank or 0 for other in others), default=0) + 1
    else:
        endorsement.rank = None
    endorsement.save()
    if decision == EndorsementDecision.DECLINED:
        _close_up_ranks(call=call, administration=administration)
    application.endorsement_status = decision
    application.save(update_fields=["endorsement_status", "updated_at"])
    eligibility_screen(application=application, by=by)
    audit_record(actor=by, action=f"scholarships.endorsement.{decision}", target=application, rank=endorsement.rank)
    return endorsement


@transaction.atomic
def endorsement_rank(*, call: Call, administration: Administration, order: list[int], by: User) -> list[Endorsement]:
    """The contact point orders their endorsed candidates: ``order`` lists application ids, best first, and
    must name every endorsed application of the administration for the call exactly once.

    Side effects: ranks rewritten; audit record.
    """
    endorsed = {
        endorsement.application_id: endorsement
        for endorsement in Endorsement.objects.select_for_update(of=("self",)).filter(
            call=call, administration=administration, rank__isnull=False
        )
    }
    if sorted(order) != sorted(endorsed):
        raise ValidationError(_("List every endorsed candidate once, and only them."))
    ranked = [endorsed[application_id] for application_id in order]
    _assign_ranks(ranked)
    audit_record(actor=by, action="scholarships.endorsement.ranked", target=call, order=order)
    return ranked
