"""Review: reviewers assigned (by hand or automatically, never from the applicant's administration),
conflicts of interest declared, scores saved."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import ContactPoint, User
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind

from ..enums import (
    SCORE_MAX,
    SCORE_MIN,
    ApplicationStatus,
    EligibilityResult,
    Recommendation,
    ReviewStatus,
)
from ..models import (
    Application,
    Call,
    ConflictOfInterest,
    Review,
    Reviewer,
    ReviewScore,
)
from .common import _now


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

    Side effects: a review row (assigned); audit record; the reviewer notified.
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
    _notify_reviewer(reviewer.user, call=application.call, count=1)
    return review


def _notify_reviewer(user: User, *, call: Call, count: int) -> None:
    notifications.notify_user(
        kind=NotificationKind.REVIEWS_ASSIGNED,
        user=user,
        context={"call": call.name_for_emails, "count": count},
        about=call,
        link=("scholarships:review_list", {}),
    )


@transaction.atomic
def reviews_assign_automatically(*, call: Call, by: User | None) -> dict[str, int]:
    """Give every eligible submitted application of the call ``call.reviews_per_application`` reviewers.

    Balanced: each application takes the least-loaded reviewers of the call's pool (load = this call's reviews
    that are not conflicts), ties broken by the reviewer's id. Never a reviewer from the applicant's
    administration, never one who declared a conflict, never the same reviewer twice. Reviews already there
    (by hand or an earlier run) count towards the number; a conflict does not. Reads in five queries, writes in
    one ``bulk_create``. Returns ``{"created", "short"}`` (applications still missing reviewers).

    Side effects: review rows; one audit record; each reviewer given reviews notified once, with their count.
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
    new_by_reviewer: dict[int, int] = {}
    for review in created:
        new_by_reviewer[review.reviewer_id] = new_by_reviewer.get(review.reviewer_id, 0) + 1
    for reviewer in Reviewer.objects.filter(pk__in=new_by_reviewer).select_related("user").order_by("pk"):
        _notify_reviewer(reviewer.user, call=call, count=new_by_reviewer[reviewer.pk])
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
