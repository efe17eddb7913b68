"""Who may see or change missions, travel requests and claims: the one place the app decides it.

WCO staff see every mission and run the whole flow; only the project manager approves or rejects, and nobody
decides on their own travel or on a request or claim they submitted. An expert who signs in sees the missions
they travel on, and keeps their own claim (adds and removes lines, submits it). Everybody else finds nothing:
any mission they may not see is reported as "not found", and anonymous visitors are sent to sign in.
"""

from django.db.models import QuerySet
from django.http import Http404

from bacuda_portal.members.access import is_project_manager, is_wco_staff
from workshops.experts.access import expert_of

from .enums import ClaimStatus, TravelRequestStatus
from .models import ClaimLine, Mission


def can_manage_missions(user) -> bool:
    """Create and edit missions, write and submit travel requests, record payments: WCO staff."""
    return is_wco_staff(user)


def can_decide(user) -> bool:
    """Approve or reject travel requests and claims: the project manager only, not a project officer."""
    return is_project_manager(user)


def is_traveller(user, mission: Mission) -> bool:
    if not (user and user.is_authenticated):
        return False
    if mission.traveller_user_id is not None:
        return mission.traveller_user_id == user.pk
    own = expert_of(user)
    return own is not None and own.pk == mission.traveller_expert_id


def can_see_missions_page(user) -> bool:
    """The mission list: staff, and experts with a registry profile (who see their own missions there)."""
    return is_wco_staff(user) or expert_of(user) is not None


def require_mission_viewer(user) -> None:
    if not can_see_missions_page(user):
        raise Http404


def require_mission_manager(user) -> None:
    """For pages without an object (the create form): 404 for anyone but staff."""
    if not can_manage_missions(user):
        raise Http404


def missions_visible_to(user) -> QuerySet[Mission]:
    if is_wco_staff(user):
        return Mission.objects.all()
    own = expert_of(user)
    return Mission.objects.filter(traveller_expert=own) if own else Mission.objects.none()


def can_edit_claim(user, mission: Mission) -> bool:
    """Add and remove claim lines and submit the claim: the traveller, or staff on their behalf."""
    return can_manage_missions(user) or is_traveller(user, mission)


def get_mission_for(user, pk: int) -> Mission:
    """The mission of a page, or 404 for anyone who may not see it."""
    mission = (
        missions_visible_to(user)
        .select_related("traveller_user", "traveller_expert__user", "workshop", "destination_country")
        .filter(pk=pk)
        .first()
    )
    if mission is None:
        raise Http404
    return mission


def get_mission_for_manager(user, pk: int) -> Mission:
    require_mission_manager(user)
    return get_mission_for(user, pk)


def get_mission_for_claimant(user, pk: int) -> Mission:
    mission = get_mission_for(user, pk)
    if not can_edit_claim(user, mission):
        raise Http404
    return mission


def get_claim_line_for(user, pk: int) -> ClaimLine:
    """A claim line (for its receipt) of a mission the user may see, or 404."""
    line = (
        ClaimLine.objects.filter(claim__mission__in=missions_visible_to(user), pk=pk)
        .select_related("claim__mission__traveller_user", "claim__mission__traveller_expert")
        .first()
    )
    if line is None:
        raise Http404
    return line


def get_claim_line_for_claimant(user, pk: int) -> ClaimLine:
    line = get_claim_line_for(user, pk)
    if not can_edit_claim(user, line.claim.mission):
        raise Http404
    return line


def mission_actions(user, mission, *, travel_request, claim) -> dict[str, bool]:
    """What ``user`` may do on the mission page now: one place for the buttons the page shows."""
    can_manage = can_manage_missions(user)
    can_edit = can_edit_claim(user, mission)
    can_decide_any = can_decide(user) and not is_traveller(user, mission)
    request_open = travel_request is not None and travel_request.status == TravelRequestStatus.SUBMITTED
    claim_open = claim is not None and claim.status == ClaimStatus.SUBMITTED
    return {
        "can_manage": can_manage,
        "can_edit_request": can_manage and (travel_request is None or travel_request.is_editable),
        "can_submit_request": can_manage and travel_request is not None and travel_request.is_editable,
        "can_decide_request": can_decide_any and request_open and travel_request.submitted_by_id != user.pk,
        "can_add_lines": can_edit
        and travel_request is not None
        and travel_request.status == TravelRequestStatus.APPROVED
        and (claim is None or claim.is_editable),
        "can_submit_claim": can_edit and claim is not None and claim.status == ClaimStatus.DRAFT,
        "can_decide_claim": can_decide_any and claim_open and claim.submitted_by_id != user.pk,
        "can_mark_paid": can_manage
        and claim is not None
        and claim.status == ClaimStatus.APPROVED
        and not is_traveller(user, mission),
    }
