"""Every write and state change of the scholarships app: one function each, in a transaction, audited.

An application is a draft the applicant fills step by step, then submitted (screened for eligibility on the
spot) or withdrawn. The administration's contact point endorses or declines it and ranks the endorsed ones.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core import privacy
from bacuda_portal.core.background import Lifecycle
from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import Administration, ContactPoint, User

from .enums import (
    CEFR_ORDER,
    SCORE_MAX,
    SCORE_MIN,
    ApplicationStatus,
    ApplicationStep,
    DecisionOutcome,
    DecisionStatus,
    EligibilityResult,
    EligibilityRule,
    EndorsementDecision,
    EndorsementStatus,
    LetterStatus,
    OfferStatus,
    ProgrammeResult,
    Recommendation,
    ReviewStatus,
)
from .models import (
    Application,
    Call,
    ConflictOfInterest,
    Decision,
    EligibilityCheck,
    Endorsement,
    Letter,
    LetterTemplate,
    ProgrammeOutcome,
    Review,
    Reviewer,
    ReviewScore,
)
from .models.applications import DOCUMENT_FIELDS
from .placeholders import PLACEHOLDERS, fill_placeholders, unknown_placeholders  # noqa: F401 - re-exported

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
        ApplicationStep.PERSONAL: ("full_name", "date_of_birth", "nationality"),
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
    application.consent_version = call.consent_version
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
    """Draft or submitted -> withdrawn, by the applicant. An endorsement it held frees its place in the quota; an
    open offer it held is declined, and the seat proposed to the next reserve candidate.

    Side effects: audit record; the endorsement (if any) loses its rank and the others close up; the offer (if
    any) declined and the next reserve candidate proposed.
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
    decision = Decision.objects.select_for_update(of=("self",)).filter(application=application).first()
    if decision is not None and decision.offer_status == OfferStatus.OPEN:
        decision.offer_status = OfferStatus.DECLINED
        decision.replied_at = application.withdrawn_at
        decision.save(update_fields=["offer_status", "replied_at", "updated_at"])
        _propose_next_reserve(call=decision.call)
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


# --- Review: assignment ----------------------------------------------------------------------------------
def reviewer_administration_ids(reviewers: list[Reviewer]) -> dict[int, set[int]]:
    """For each reviewer (by id), the administrations whose applicants they never review: the one on their
    profile, and the one they speak for if they are also an active contact point. One query."""
    result = {reviewer.pk: ({reviewer.administration_id} - {None}) for reviewer in reviewers}
    by_user = {reviewer.user_id: reviewer.pk for reviewer in reviewers}
    for user_id, administration_id in (
        ContactPoint.objects.active().filter(user_id__in=by_user).values_list("user_id", "administration_id")
    ):
        result[by_user[user_id]].add(administration_id)
    return result


def _reviewable(application: Application) -> None:
    if application.status != ApplicationStatus.SUBMITTED:
        raise TransitionError(_("Only a submitted application can be reviewed."))
    if application.eligibility_result != EligibilityResult.ELIGIBLE:
        raise TransitionError(_("Only an eligible application is reviewed."))


@transaction.atomic
def review_assign(*, application: Application, reviewer: Reviewer, by: User) -> Review:
    """Staff assign a reviewer to an application by hand. Refused for a reviewer from the applicant's
    administration, one who declared a conflict with it, or one already assigned.

    Side effects: a review row (assigned); audit record.
    """
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    _reviewable(application)
    if not reviewer.is_active:
        raise TransitionError(_("This reviewer is not active."))
    if application.administration_id in reviewer_administration_ids([reviewer])[reviewer.pk]:
        raise TransitionError(_("A reviewer never reviews an applicant from their own administration."))
    if ConflictOfInterest.objects.filter(reviewer=reviewer, application=application).exists():
        raise TransitionError(_("This reviewer declared a conflict of interest with this application."))
    if Review.objects.filter(reviewer=reviewer, application=application).exists():
        raise TransitionError(_("This reviewer is already assigned to this application."))
    review = Review.objects.create(
        call_id=application.call_id, application=application, reviewer=reviewer, assigned_by=by
    )
    audit_record(actor=by, action="scholarships.review.assigned", target=application, reviewer=reviewer.pk)
    return review


@transaction.atomic
def reviews_assign_automatically(*, call: Call, by: User | None) -> dict[str, int]:
    """Give every eligible submitted application of the call ``call.reviews_per_application`` reviewers.

    Balanced: each application takes the least-loaded reviewers of the call's pool (load = this call's reviews
    that are not conflicts), ties broken by the reviewer's id. Never a reviewer from the applicant's
    administration, never one who declared a conflict, never the same reviewer twice. Reviews already there
    (by hand or an earlier run) count towards the number; a conflict does not. Reads in five queries, writes in
    one ``bulk_create``. Returns ``{"created", "short"}`` (applications still missing reviewers).

    Side effects: review rows; one audit record.
    """
    pool = list(
        Reviewer.objects.filter(calls=call, is_active=True, user__is_active=True)
        .order_by("pk")
        .only("pk", "user_id", "administration_id")
    )
    excluded = reviewer_administration_ids(pool)
    applications = list(
        Application.objects.filter(
            call=call, status=ApplicationStatus.SUBMITTED, eligibility_result=EligibilityResult.ELIGIBLE
        )
        .order_by("pk")
        .values_list("pk", "administration_id")
    )
    load = dict.fromkeys((reviewer.pk for reviewer in pool), 0)
    taken: set[tuple[int, int]] = set()
    have: dict[int, int] = {}
    for application_id, reviewer_id, status in Review.objects.filter(call=call).values_list(
        "application_id", "reviewer_id", "status"
    ):
        taken.add((application_id, reviewer_id))
        if status != ReviewStatus.CONFLICT:
            have[application_id] = have.get(application_id, 0) + 1
            if reviewer_id in load:
                load[reviewer_id] += 1
    taken.update(ConflictOfInterest.objects.filter(application__call=call).values_list("application_id", "reviewer_id"))
    wanted = call.reviews_per_application
    created: list[Review] = []
    short = 0
    for application_id, administration_id in applications:
        need = wanted - have.get(application_id, 0)
        if need <= 0:
            continue
        candidates = [
            reviewer_id
            for reviewer_id in load
            if (application_id, reviewer_id) not in taken and administration_id not in excluded[reviewer_id]
        ]
        chosen = sorted(candidates, key=lambda reviewer_id: (load[reviewer_id], reviewer_id))[:need]
        if len(chosen) < need:
            short += 1
        for reviewer_id in chosen:
            load[reviewer_id] += 1
            taken.add((application_id, reviewer_id))
            created.append(Review(call=call, application_id=application_id, reviewer_id=reviewer_id))
    Review.objects.bulk_create(created, batch_size=2000)
    audit_record(actor=by, action="scholarships.reviews.assigned", target=call, created=len(created), short=short)
    return {"created": len(created), "short": short}


@transaction.atomic
def review_declare_conflict(*, review: Review, reason: str, by: User) -> ConflictOfInterest:
    """The reviewer declares a conflict of interest with the application of their assignment: the application
    is hidden from them from now on and any score they gave is removed.

    Side effects: a conflict row; the review marked as conflict, its scores deleted; audit record.
    """
    review = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Please say briefly what the conflict is.")})
    if review.status == ReviewStatus.CONFLICT:
        raise TransitionError(_("You have already declared a conflict of interest with this application."))
    conflict = ConflictOfInterest.objects.create(
        reviewer_id=review.reviewer_id, application_id=review.application_id, reason=reason.strip(), declared_by=by
    )
    review.scores.all().delete()
    review.status = ReviewStatus.CONFLICT
    review.weighted_score = None
    review.recommendation = ""
    review.comment = ""
    review.submitted_at = None
    review.save()
    audit_record(actor=by, action="scholarships.review.conflict_declared", target=review.application)
    return conflict


def weighted_score(scores: dict[int, int], weights: dict[int, Decimal]) -> Decimal:
    """Sum of score x weight over the sum of the weights, on the criteria's scale, to two decimals."""
    total_weight = sum(weights.values())
    total = sum(Decimal(scores[pk]) * weight for pk, weight in weights.items())
    return (total / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def review_save(
    *,
    review: Review,
    scores: dict[int, int | None],
    recommendation: str,
    comment: str,
    submit: bool,
    by: User,
    now: dt.datetime | None = None,
) -> Review:
    """The reviewer saves their scores (draft) or submits them. Refused outside an open review phase of the
    call, after a declared conflict, once submitted, or (on submit) with a criterion or the recommendation
    missing; a refusal writes nothing.

    Side effects: score rows replaced; on submit the weighted score and time stored; audit record.
    """
    now = _now(now)
    review = Review.objects.select_for_update(of=("self",)).select_related("call").get(pk=review.pk)
    if (
        review.status == ReviewStatus.CONFLICT
        or ConflictOfInterest.objects.filter(
            reviewer_id=review.reviewer_id, application_id=review.application_id
        ).exists()
    ):
        raise TransitionError(_("You declared a conflict of interest with this application: it cannot be reviewed."))
    if review.status == ReviewStatus.SUBMITTED:
        raise TransitionError(_("This review has already been submitted."))
    if not review.call.review_phases.open(now).exists():
        raise TransitionError(_("No review phase of this call is open now: reviews cannot be saved."))
    weights = dict(review.call.criteria.values_list("pk", "weight"))
    if set(scores) - set(weights):
        raise ValidationError(_("A score names a criterion of another call."))
    errors = {}
    for pk, score in scores.items():
        if score is not None and not SCORE_MIN <= score <= SCORE_MAX:
            errors[f"criterion_{pk}"] = _("Give a score from %(min)d to %(max)d.") % {
                "min": SCORE_MIN,
                "max": SCORE_MAX,
            }
    if recommendation and recommendation not in Recommendation.values:
        errors["recommendation"] = _("Choose yes, maybe or no.")
    if submit:
        if not weights:
            raise TransitionError(_("This call has no review criteria yet."))
        for pk in weights:
            if scores.get(pk) is None:
                errors[f"criterion_{pk}"] = _("Score every criterion to submit.")
        if not recommendation:
            errors["recommendation"] = _("Choose a recommendation to submit.")
    if errors:
        raise ValidationError(errors)
    review.scores.all().delete()
    ReviewScore.objects.bulk_create(
        ReviewScore(review=review, criterion_id=pk, score=score) for pk, score in scores.items() if score is not None
    )
    review.recommendation = recommendation
    review.comment = comment.strip()
    if submit:
        review.weighted_score = weighted_score({pk: s for pk, s in scores.items() if s is not None}, weights)
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = now
    review.save()
    audit_record(
        actor=by, action="scholarships.review.submitted" if submit else "scholarships.review.saved", target=review
    )
    return review


# --- Decisions ---------------------------------------------------------------------------------------------
@transaction.atomic
def decision_record(*, application: Application, outcome: str, by: User, reserve_rank: int | None = None) -> Decision:
    """Staff record (or change) a pending decision. Once the call's decisions are released they stand. A
    reserve candidate takes the given place on the reserve list, or the next free one. Refused: an application
    not submitted, selecting one that is not eligible, more selected than the call has seats, a reserve place
    already taken.

    Side effects: the decision row; audit record.
    """
    application = Application.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
    call = application.call
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": _("Choose selected, reserve or not selected.")})
    if application.status != ApplicationStatus.SUBMITTED:
        raise TransitionError(_("Only a submitted application can be decided."))
    decision = Decision.objects.filter(application=application).first()
    if decision is not None and decision.status == DecisionStatus.RELEASED:
        raise TransitionError(_("The decision on this application was released: it can no longer be changed."))
    if outcome != DecisionOutcome.NOT_SELECTED and application.eligibility_result != EligibilityResult.ELIGIBLE:
        raise TransitionError(_("Only an eligible application can be selected or put on the reserve list."))
    others = Decision.objects.select_for_update(of=("self",)).filter(call=call).exclude(application=application)
    if outcome == DecisionOutcome.SELECTED:
        selected = others.filter(outcome=DecisionOutcome.SELECTED).count()
        if selected >= call.seats:
            raise TransitionError(
                _("All %(seats)d seats of this call are taken: put this candidate on the reserve list.")
                % {"seats": call.seats}
            )
    if outcome == DecisionOutcome.RESERVE:
        if reserve_rank is None:
            reserve_rank = (others.aggregate(top=Max("reserve_rank"))["top"] or 0) + 1
        elif others.filter(reserve_rank=reserve_rank).exists():
            raise ValidationError(
                {"reserve_rank": _("Place %(rank)d on the reserve list is taken.") % {"rank": reserve_rank}}
            )
    else:
        reserve_rank = None
    if decision is None:
        decision = Decision(application=application, call=call)
    decision.outcome = outcome
    decision.reserve_rank = reserve_rank
    decision.decided_by = by
    decision.save()
    audit_record(
        actor=by, action="scholarships.decision.recorded", target=application, outcome=outcome, rank=reserve_rank
    )
    return decision


@transaction.atomic
def decisions_release(*, call: Call, by: User, now: dt.datetime | None = None) -> int:
    """Release every pending decision of the call at once: selected candidates get an offer to answer within
    the call's reply days, and a decision letter for each is drafted into the outbox for staff to review.

    Side effects: decisions released; offers opened; letters drafted; audit record. Returns how many.
    """
    now = _now(now)
    pending = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(call=call, status=DecisionStatus.PENDING)
        .select_related("application__applicant", "call__programme")
    )
    if not pending:
        raise TransitionError(_("There is no pending decision to release."))
    for decision in pending:
        decision.status = DecisionStatus.RELEASED
        decision.released_at = now
        if decision.outcome == DecisionOutcome.SELECTED:
            decision.offer_status = OfferStatus.OPEN
            decision.reply_by = now + dt.timedelta(days=call.offer_reply_days)
    Decision.objects.bulk_update(pending, ["status", "released_at", "offer_status", "reply_by", "updated_at"])
    for decision in pending:
        letter_draft(decision=decision)
    audit_record(actor=by, action="scholarships.decisions.released", target=call, count=len(pending))
    return len(pending)


# --- Decision letters ----------------------------------------------------------------------------------------
DEFAULT_LETTERS = {
    DecisionOutcome.SELECTED: (
        "Your BACUDA scholarship application: selected",
        "Dear {{ full_name }},\n\nWe are pleased to tell you that you have been selected for {{ call }} at "
        "{{ university }}.\n\nPlease accept or decline this offer before {{ reply_by }} on your application "
        "page: {{ status_url }}\n\nWith our congratulations,\nThe BACUDA team, World Customs Organization",
        "Votre candidature à la bourse BACUDA : retenue",
        "Madame, Monsieur {{ full_name }},\n\nNous avons le plaisir de vous informer que votre candidature à "
        "{{ call }} à {{ university }} a été retenue.\n\nMerci d'accepter ou de refuser cette offre avant le "
        "{{ reply_by }} sur la page de votre candidature : {{ status_url }}\n\nAvec nos félicitations,\n"
        "L'équipe BACUDA, Organisation mondiale des douanes",
    ),
    DecisionOutcome.RESERVE: (
        "Your BACUDA scholarship application: reserve list",
        "Dear {{ full_name }},\n\nYour application to {{ call }} is number {{ reserve_rank }} on the reserve "
        "list. If a seat becomes free, we will offer it to you.\n\n{{ status_url }}\n\nThe BACUDA team, "
        "World Customs Organization",
        "Votre candidature à la bourse BACUDA : liste de réserve",
        "Madame, Monsieur {{ full_name }},\n\nVotre candidature à {{ call }} figure au rang {{ reserve_rank }} "
        "de la liste de réserve. Si une place se libère, nous vous la proposerons.\n\n{{ status_url }}\n\n"
        "L'équipe BACUDA, Organisation mondiale des douanes",
    ),
    DecisionOutcome.NOT_SELECTED: (
        "Your BACUDA scholarship application",
        "Dear {{ full_name }},\n\nThank you for applying to {{ call }}. We regret that your application was not "
        "selected this time.\n\nThe BACUDA team, World Customs Organization",
        "Votre candidature à la bourse BACUDA",
        "Madame, Monsieur {{ full_name }},\n\nNous vous remercions de votre candidature à {{ call }}. Nous avons "
        "le regret de vous informer qu'elle n'a pas été retenue cette fois-ci.\n\nL'équipe BACUDA, "
        "Organisation mondiale des douanes",
    ),
}


def letter_template_for(*, call: Call, outcome: str) -> LetterTemplate:
    """The call's template for an outcome, created from the default text the first time."""
    subject_en, body_en, subject_fr, body_fr = DEFAULT_LETTERS[outcome]
    template, _created = LetterTemplate.objects.get_or_create(
        call=call,
        outcome=outcome,
        defaults={"subject_en": subject_en, "body_en": body_en, "subject_fr": subject_fr, "body_fr": body_fr},
    )
    return template


def letter_draft(*, decision: Decision) -> Letter | None:
    """Draft the letter of a released decision into the outbox, from the call's template in the applicant's
    language. Nothing for an anonymised application (no address)."""
    application = decision.application
    applicant = application.applicant
    if applicant is None:
        return None
    template = letter_template_for(call=decision.call, outcome=decision.outcome)
    language = "fr" if applicant.preferred_language == "fr" else "en"
    reply_by = timezone.localtime(decision.reply_by).strftime("%Y-%m-%d %H:%M %Z") if decision.reply_by else ""
    values = {
        "full_name": application.full_name,
        "call": str(decision.call),
        "programme": str(decision.call.programme),
        "university": decision.call.partner_university,
        "reply_by": reply_by,
        "reserve_rank": decision.reserve_rank or "",
        "status_url": settings.SITE_URL + application.get_absolute_url(),
    }
    return Letter.objects.create(
        application=application,
        call=decision.call,
        outcome=decision.outcome,
        to=applicant.email,
        language=language,
        subject=fill_placeholders(getattr(template, f"subject_{language}"), values),
        body=fill_placeholders(getattr(template, f"body_{language}"), values),
    )


@transaction.atomic
def letter_update(*, letter: Letter, subject: str, body: str, by: User) -> Letter:
    """Staff edit a letter in the outbox before approving it. Side effects: audit record."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterStatus.DRAFT:
        raise TransitionError(_("Only a letter still to review can be edited."))
    if not subject.strip() or not body.strip():
        raise ValidationError(_("A letter needs a subject and a text."))
    letter.subject, letter.body = subject.strip(), body.strip()
    letter.save(update_fields=["subject", "body", "updated_at"])
    audit_record(actor=by, action="scholarships.letter.edited", target=letter)
    return letter


MAX_SEND_ATTEMPTS = 5

SENDING = Lifecycle(
    model=Letter,
    waiting=LetterStatus.APPROVED,
    working=LetterStatus.SENDING,
    failed=LetterStatus.FAILED,
    task="scholarships.send_letter",
    id_argument="letter_id",
    sweep_action="scholarships.letters.sweep",
    retry_action="scholarships.letter.retried",
    stale_after=dt.timedelta(minutes=10),
    max_attempts=MAX_SEND_ATTEMPTS,
)


@transaction.atomic
def letter_approve(*, letter: Letter, by: User, now: dt.datetime | None = None) -> Letter:
    """Draft -> approved; a worker sends it once the transaction commits.

    Side effects: audit record; ``scholarships.send_letter`` queued on ``default`` after commit.
    """
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterStatus.DRAFT:
        raise TransitionError(_("This letter has already been approved."))
    letter.status = LetterStatus.APPROVED
    letter.approved_by = by
    letter.approved_at = letter.queued_at = _now(now)
    letter.save(update_fields=["status", "approved_by", "approved_at", "queued_at", "updated_at"])
    audit_record(actor=by, action="scholarships.letter.approved", target=letter)
    SENDING.enqueue(letter.pk)
    return letter


def letter_send(*, letter_id: int, now: dt.datetime | None = None) -> Letter | None:
    """Send an approved letter (the worker's job). Claims it (approved -> sending, one more attempt), so a letter
    already sent or sending, a draft, or a failed one is left alone.

    Side effects: one email; the letter marked sent. A send that raises goes back to approved with the reason
    while attempts remain (the exception re-raised, so that the task retries), and ends failed after
    MAX_SEND_ATTEMPTS.
    """
    claimed = SENDING.claim(letter_id, now=now)
    letter = Letter.objects.filter(pk=letter_id).first()
    if not claimed or letter is None:
        return letter
    try:
        EmailMessage(subject=letter.subject, body=letter.body, to=[letter.to]).send()
    except Exception as error:
        if SENDING.fail_or_retry(letter_id, error, now=now):
            raise
        letter.refresh_from_db()
        return letter
    letter.status = LetterStatus.SENT
    letter.sent_at = letter.finished_at = _now(now)
    letter.error = ""
    letter.save(update_fields=["status", "sent_at", "finished_at", "error", "updated_at"])
    audit_record(actor=None, action="scholarships.letter.sent", target=letter)
    return letter


def letters_sweep(*, now: dt.datetime | None = None, stale_after: dt.timedelta | None = None) -> tuple[int, int]:
    """Re-queue letters a lost message or a killed worker left approved or sending; fail those tried
    MAX_SEND_ATTEMPTS times. Side effects: the sending task for each re-queued letter; one audit record when
    anything changed. Returns ``(requeued, failed)``."""
    return SENDING.sweep(now=now, stale_after=stale_after)


# --- Offers and the reserve list ------------------------------------------------------------------------------
def _propose_next_reserve(*, call: Call) -> Decision | None:
    """The next reserve candidate (lowest place, not yet proposed) is proposed the freed seat, for staff to
    confirm."""
    candidate = (
        Decision.objects.select_for_update(of=("self",))
        .filter(
            call=call,
            outcome=DecisionOutcome.RESERVE,
            status=DecisionStatus.RELEASED,
            offer_status=OfferStatus.NONE,
            application__status=ApplicationStatus.SUBMITTED,
        )
        .order_by("reserve_rank")
        .first()
    )
    if candidate is not None:
        candidate.offer_status = OfferStatus.PROPOSED
        candidate.save(update_fields=["offer_status", "updated_at"])
        audit_record(actor=None, action="scholarships.offer.proposed", target=candidate.application)
    return candidate


@transaction.atomic
def offer_reply(*, decision: Decision, accept: bool, by: User, now: dt.datetime | None = None) -> Decision:
    """The selected candidate accepts or declines their offer before the reply-by date. A decline proposes
    the seat to the next reserve candidate.

    Side effects: the offer answered; audit record; on decline, the next reserve candidate proposed.
    """
    now = _now(now)
    decision = Decision.objects.select_for_update(of=("self",)).select_related("call").get(pk=decision.pk)
    if decision.offer_status != OfferStatus.OPEN:
        raise TransitionError(_("There is no open offer to answer."))
    if decision.reply_by and now > decision.reply_by:
        raise TransitionError(_("The reply-by date of this offer has passed."))
    decision.offer_status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    decision.replied_at = now
    decision.save(update_fields=["offer_status", "replied_at", "updated_at"])
    audit_record(actor=by, action=f"scholarships.offer.{decision.offer_status}", target=decision.application)
    if not accept:
        _propose_next_reserve(call=decision.call)
    return decision


@transaction.atomic
def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Open offers past their reply-by date expire, and each proposes its seat to the next reserve candidate
    (the beat task). Side effects: offers expired; proposals; audit records."""
    now = _now(now)
    expired = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(offer_status=OfferStatus.OPEN, reply_by__lt=now)
        .select_related("call", "application")
    )
    for decision in expired:
        decision.offer_status = OfferStatus.EXPIRED
        decision.save(update_fields=["offer_status", "updated_at"])
        audit_record(actor=None, action="scholarships.offer.expired", target=decision.application)
        _propose_next_reserve(call=decision.call)
    return len(expired)


@transaction.atomic
def offer_confirm(*, decision: Decision, by: User, now: dt.datetime | None = None) -> Decision:
    """Staff confirm the seat proposed to a reserve candidate: they become selected with an open offer, and
    their letter is drafted into the outbox.

    Side effects: the decision selected with an offer; a letter drafted; audit record.
    """
    now = _now(now)
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("call__programme", "application__applicant")
        .get(pk=decision.pk)
    )
    if decision.offer_status != OfferStatus.PROPOSED:
        raise TransitionError(_("No seat is proposed to this candidate."))
    decision.outcome = DecisionOutcome.SELECTED
    decision.offer_status = OfferStatus.OPEN
    decision.reply_by = now + dt.timedelta(days=decision.call.offer_reply_days)
    decision.save(update_fields=["outcome", "offer_status", "reply_by", "updated_at"])
    letter_draft(decision=decision)
    audit_record(actor=by, action="scholarships.offer.confirmed", target=decision.application)
    return decision


# --- Programme outcome ----------------------------------------------------------------------------------------
def has_programme(decision: Decision | None) -> bool:
    """Whether a candidate went on the programme: selected, released, and the offer accepted."""
    return (
        decision is not None
        and decision.outcome == DecisionOutcome.SELECTED
        and decision.status == DecisionStatus.RELEASED
        and decision.offer_status == OfferStatus.ACCEPTED
    )


@transaction.atomic
def programme_outcome_record(
    *,
    application: Application,
    result: str,
    ended_on: dt.date,
    by: User,
    reason: str = "",
    today: dt.date | None = None,
) -> ProgrammeOutcome:
    """Staff record how the programme ended for a selected candidate who accepted the offer: graduated (with the
    graduation date) or did not complete (the date they left and a short reason). Recording it again corrects
    it. Refused: a candidate who was not selected or did not accept; a date in the future or before the offer
    was accepted; no reason for a programme not completed.

    Side effects: the outcome row created or corrected; audit record (with the previous values on a correction).
    """
    today = today or timezone.localdate()
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if result not in ProgrammeResult.values:
        raise ValidationError({"result": _("Choose graduated or did not complete.")})
    decision = Decision.objects.filter(application=application).first()
    if not has_programme(decision):
        raise TransitionError(_("Only a selected candidate who accepted the offer has a programme outcome."))
    reason = (reason or "").strip() if result == ProgrammeResult.NOT_COMPLETED else ""
    errors = {}
    if ended_on > today:
        errors["ended_on"] = _("The date cannot be in the future.")
    elif decision.replied_at and ended_on < timezone.localdate(decision.replied_at):
        errors["ended_on"] = _("The date cannot be before the offer was accepted (%(date)s).") % {
            "date": timezone.localdate(decision.replied_at).isoformat()
        }
    if result == ProgrammeResult.NOT_COMPLETED and not reason:
        errors["reason"] = _("Say briefly why the programme was not completed.")
    if errors:
        raise ValidationError(errors)
    outcome = ProgrammeOutcome.objects.select_for_update().filter(application=application).first()
    previous = None
    if outcome is None:
        outcome = ProgrammeOutcome(application=application)
    else:
        previous = {"result": outcome.result, "ended_on": outcome.ended_on.isoformat()}
    outcome.result = result
    outcome.ended_on = ended_on
    outcome.reason = reason
    outcome.recorded_by = by
    outcome.save()
    audit_record(
        actor=by,
        action="scholarships.outcome.corrected" if previous else "scholarships.outcome.recorded",
        target=application,
        result=result,
        ended_on=ended_on.isoformat(),
        previous=previous,
    )
    return outcome


# --- Data protection ------------------------------------------------------------------------------------------
# The key of scholarship applications in the data-protection register (scholarships/privacy.py).
APPLICATIONS_CATEGORY = "scholarships.applications"
PERSONAL_FIELDS = ("full_name", "nationality", "position", "education_details", "motivation")


def application_anonymise(*, application: Application, now: dt.datetime | None = None) -> Application:
    """Remove an application's personal data and its files; keep what the statistics need (call,
    administration, gender, years of service, education and language levels, status, eligibility,
    endorsement rank, scores, decision). Call inside a transaction.

    Side effects: files deleted from private storage (once the transaction commits); letters deleted; comments
    and conflict reasons blanked.
    """
    for name in DOCUMENT_FIELDS:
        privacy.delete_file(getattr(application, name))  # once the transaction commits
        setattr(application, name, "")
    for name in PERSONAL_FIELDS:
        setattr(application, name, "")
    application.date_of_birth = None
    application.applicant = None
    application.anonymised_at = _now(now)
    application.save()
    Endorsement.objects.filter(application=application).update(comment="")
    Review.objects.filter(application=application).update(comment="")
    ConflictOfInterest.objects.filter(application=application).update(reason="")
    ProgrammeOutcome.objects.filter(application=application).update(reason="")
    application.letters.all().delete()
    return application


def application_data(application: Application) -> dict[str, Any]:
    """One application as its applicant may read it, JSON-ready: their part of the personal data export."""
    endorsement = getattr(application, "endorsement", None)
    outcome = getattr(application, "programme_outcome", None)
    decision = getattr(application, "decision", None)
    released = decision is not None and decision.status == DecisionStatus.RELEASED
    return {
        "reference": application.pk,
        "call": str(application.call),
        "full_name": application.full_name,
        "gender": application.gender,
        "date_of_birth": application.date_of_birth.isoformat() if application.date_of_birth else None,
        "nationality": application.nationality,
        "administration": application.administration.code if application.administration else None,
        "position": application.position,
        "years_of_service": application.years_of_service,
        "education_level": application.education_level,
        "education_details": application.education_details,
        "language_level": application.language_level,
        "motivation": application.motivation,
        "status": application.status,
        "created_at": application.created_at.isoformat(),
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
        "withdrawn_at": application.withdrawn_at.isoformat() if application.withdrawn_at else None,
        "consent": {
            "given_at": application.consent_given_at.isoformat() if application.consent_given_at else None,
            "version": application.consent_version,
            "text": application.consent_text,
        },
        "eligibility": {
            "result": application.eligibility_result,
            "checks": [
                {
                    "at": check.created_at.isoformat(),
                    "result": check.result,
                    "reasons": check.reasons,
                    "override": check.is_override,
                    "rationale": check.rationale,
                }
                for check in application.eligibility_checks.all()
            ],
        },
        "endorsement": {
            "decision": endorsement.decision,
            "comment": endorsement.comment,
            "rank": endorsement.rank,
        }
        if endorsement
        else None,
        "decision": {
            "outcome": decision.outcome,
            "reserve_rank": decision.reserve_rank,
            "offer": decision.offer_status,
            "reply_by": decision.reply_by.isoformat() if decision.reply_by else None,
        }
        if released
        else None,
        "programme_outcome": {
            "result": outcome.result,
            "date": outcome.ended_on.isoformat(),
            "reason": outcome.reason,
        }
        if outcome
        else None,
        "letters": [
            {"subject": letter.subject, "body": letter.body, "sent_at": letter.sent_at.isoformat()}
            for letter in application.letters.filter(status=LetterStatus.SENT)
        ],
        "documents": [
            f"documents/{application.pk}-{name}.pdf" for name in DOCUMENT_FIELDS if getattr(application, name)
        ],
    }


def applicant_data(user: User) -> dict[str, Any]:
    """Everything the scholarships app holds about an applicant, as JSON-ready data."""
    applications = [
        application_data(application)
        for application in Application.objects.filter(applicant=user).select_related(
            "call__programme", "administration", "endorsement", "decision", "programme_outcome"
        )
    ]
    return {"email": user.email, "full_name": user.full_name, "scholarship_applications": applications}


def applicant_data_export(*, user: User) -> bytes:
    """A ZIP of ``data.json`` and the applicant's uploaded files. Side effects: audit record."""
    import io
    import json
    import zipfile

    data = applicant_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for application in Application.objects.filter(applicant=user):
            for name in DOCUMENT_FIELDS:
                field = getattr(application, name)
                if field:
                    with field.open("rb") as handle:
                        archive.writestr(f"documents/{application.pk}-{name}.pdf", handle.read())
    audit_record(actor=user, action="scholarships.data.exported", target=user)
    return buffer.getvalue()


def erasure_request(*, user: User, note: str = ""):
    """The applicant asks for their scholarship applications to be erased: a request scoped to them (the
    account's "My data" page asks for everything). Side effects: a pending request; audit record."""
    from bacuda_portal.core import privacy_services

    return privacy_services.erasure_request(user=user, categories=[APPLICATIONS_CATEGORY], note=note)
