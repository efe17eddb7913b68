"""Endorsement: the administration's contact point endorses or declines and ranks its applicants."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import Administration, User

from ..enums import (
    ApplicationStatus,
    EndorsementDecision,
)
from ..models import (
    Application,
    Call,
    Endorsement,
)
from .eligibility import eligibility_screen


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
