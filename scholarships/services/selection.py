"""Selection: staff's decisions and their release, the offers and the reserve list, the programme's outcome."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind

from ..enums import (
    ApplicationStatus,
    DecisionOutcome,
    DecisionStatus,
    EligibilityResult,
    OfferStatus,
    ProgrammeResult,
)
from ..models import (
    Application,
    Call,
    Decision,
    ProgrammeOutcome,
)
from .common import _now
from .letters import letter_draft


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

    Side effects: decisions released; offers opened; letters drafted; audit record; staff notified of the
    letters to approve (or their digest). Returns how many.
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
    drafted = sum(letter_draft(decision=decision) is not None for decision in pending)
    audit_record(actor=by, action="scholarships.decisions.released", target=call, count=len(pending))
    if drafted:
        notifications.notify_staff(
            kind=NotificationKind.LETTERS_TO_APPROVE,
            context={"call": call.name_for_emails, "count": drafted},
            about=call,
            link=("scholarships:outbox", {"pk": call.pk}),
        )
    return len(pending)


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
