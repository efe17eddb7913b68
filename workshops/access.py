"""Who may see or change what in the workshops app: the one place it is decided.

Staff see and manage everything. A contact point sees the workshops their administration benefits from, its
requests and its nominations, and nominates only its own officials. An expert sees the workshops they are
assigned to and answers their assignments. Anything else is "not found".
"""

from django.db.models import QuerySet
from django.http import Http404

from bacuda_portal.members.access import administration_of, is_wco_staff
from workshops.experts.access import expert_of

from .enums import AssignmentStatus, NominationStatus, RequestStatus, WorkshopStatus
from .models import (
    Assignment,
    CalendarFeed,
    Certificate,
    Nomination,
    ParticipantLink,
    Workshop,
    WorkshopRequest,
    hash_participant_token,
)


def workshops_visible_to(user) -> QuerySet[Workshop]:
    if is_wco_staff(user):
        return Workshop.objects.all()
    administration = administration_of(user)
    if administration is not None:
        return Workshop.objects.filter(beneficiary_links__administration=administration)
    expert = expert_of(user)
    if expert is not None:
        return Workshop.objects.filter(assignments__expert=expert)
    return Workshop.objects.none()


def get_workshop_for(user, pk: int) -> Workshop:
    workshop = workshops_visible_to(user).filter(pk=pk).select_related("region", "prerequisite_course").first()
    if workshop is None:
        raise Http404
    return workshop


# Shown in the public calendar: planned and later, including cancellations so subscribers see them.
PUBLIC_STATUSES = (
    WorkshopStatus.PLANNED,
    WorkshopStatus.CONFIRMED,
    WorkshopStatus.DELIVERED,
    WorkshopStatus.CLOSED,
    WorkshopStatus.CANCELLED,
)


def public_workshops() -> QuerySet[Workshop]:
    return Workshop.objects.filter(is_public=True, status__in=PUBLIC_STATUSES)


def get_workshop_for_calendar(user, pk: int) -> Workshop:
    """A public workshop's feed is public (calendar apps cannot sign in); any other follows the page's rules."""
    workshop = public_workshops().filter(pk=pk).first()
    return workshop or get_workshop_for(user, pk)


def can_manage_workshops(user) -> bool:
    """Create, edit, move through the status flow, build the agenda, assign experts, decide nominations."""
    return is_wco_staff(user)


def get_workshop_for_staff(user, pk: int) -> Workshop:
    if not can_manage_workshops(user):
        raise Http404
    return get_workshop_for(user, pk)


# --- Requests ------------------------------------------------------------------------------------------
def requests_visible_to(user) -> QuerySet[WorkshopRequest]:
    if is_wco_staff(user):
        return WorkshopRequest.objects.all()
    administration = administration_of(user)
    if administration is not None:
        return WorkshopRequest.objects.filter(administration=administration)
    return WorkshopRequest.objects.none()


def can_request_workshop(user) -> bool:
    return administration_of(user) is not None


def requesting_administration(user):
    """The administration a contact point requests workshops for, or None."""
    return administration_of(user)


def can_see_requests(user) -> bool:
    return is_wco_staff(user) or can_request_workshop(user)


def participants_for_trainer(user, workshop: Workshop) -> QuerySet[Nomination]:
    """The accepted participants an expert who confirmed an assignment to the workshop may see: those who agreed to
    appear on the participant list, which their nomination says is shared with the trainers. Nobody else gets rows
    here (staff and contact points read the nominations themselves)."""
    expert = expert_of(user)
    if expert is None or not workshop.assignments.filter(expert=expert, status=AssignmentStatus.CONFIRMED).exists():
        return Nomination.objects.none()
    return workshop.nominations.filter(status=NominationStatus.ACCEPTED, consent_to_list=True)


def beneficiary_lines_visible_to(user, lines: list) -> list:
    """Staff see every beneficiary's quota line; a contact point only their own administration's."""
    if is_wco_staff(user):
        return lines
    own = administration_of(user)
    return [line for line in lines if own is not None and line.administration_id == own.pk]


def get_request_for(user, pk: int, *, decide: bool = False) -> WorkshopRequest:
    if decide and not is_wco_staff(user):
        raise Http404
    workshop_request = requests_visible_to(user).filter(pk=pk).select_related("administration").first()
    if workshop_request is None:
        raise Http404
    return workshop_request


def requests_to_withdraw(user) -> QuerySet[WorkshopRequest]:
    """The requests ``can_withdraw_request`` allows: the user's administration's, still submitted."""
    own = administration_of(user)
    if own is None:
        return WorkshopRequest.objects.none()
    return WorkshopRequest.objects.filter(administration=own, status=RequestStatus.SUBMITTED)


def can_withdraw_request(user, workshop_request: WorkshopRequest) -> bool:
    own = administration_of(user)
    return (
        own is not None
        and own.pk == workshop_request.administration_id
        and workshop_request.status == RequestStatus.SUBMITTED
    )


# --- Nominations ---------------------------------------------------------------------------------------
def nominations_visible_to(user, workshop: Workshop | None = None) -> QuerySet[Nomination]:
    queryset = Nomination.objects.all() if workshop is None else workshop.nominations.all()
    if is_wco_staff(user):
        return queryset
    administration = administration_of(user)
    if administration is not None:
        return queryset.filter(administration=administration)
    return queryset.none()


def can_nominate(user) -> bool:
    """Nominate officials at all (for the workshops their administration benefits from): contact points only."""
    return administration_of(user) is not None


def nominating_administration(user, workshop: Workshop, *, beneficiary_lines: list | None = None):
    """The administration a user may nominate officials for in this workshop, or None.

    ``beneficiary_lines``: all the workshop's ``Beneficiary`` rows, when the caller has read them already.
    """
    administration = administration_of(user)
    if administration is None:
        return None
    if beneficiary_lines is not None:
        benefits = any(line.administration_id == administration.pk for line in beneficiary_lines)
    else:
        benefits = workshop.beneficiary_links.filter(administration=administration).exists()
    return administration if benefits else None


def get_nomination_for(user, pk: int) -> Nomination:
    nomination = nominations_visible_to(user).filter(pk=pk).select_related("workshop", "administration").first()
    if nomination is None:
        raise Http404
    return nomination


def nominations_to_withdraw(user) -> QuerySet[Nomination]:
    """The nominations ``can_withdraw_nomination`` allows, as a queryset (the API's withdraw looks them up there)."""
    return nominations_visible_to(user).exclude(status__in=(NominationStatus.WITHDRAWN, NominationStatus.DECLINED))


def can_withdraw_nomination(user, nomination: Nomination) -> bool:
    if nomination.status in (NominationStatus.WITHDRAWN, NominationStatus.DECLINED):
        return False
    own = administration_of(user)
    return is_wco_staff(user) or (own is not None and own.pk == nomination.administration_id)


# --- Personal calendar feeds ----------------------------------------------------------------------------
def can_have_calendar_feed(user) -> bool:
    """Staff (their own workshops) and experts (their assignments) may subscribe to a personal calendar."""
    return is_wco_staff(user) or expert_of(user) is not None


def calendar_feed_scope(user) -> dict:
    """What a person's calendar feed holds: the workshops they manage (staff) and their assignments (an expert)."""
    return {"expert": expert_of(user), "staff": can_manage_workshops(user)}


def feed_owner(key: str):
    """The active user whose calendar feed has this key and who may still have one, or None."""
    feed = CalendarFeed.objects.select_related("user").filter(key=key).first() if key else None
    if feed is None or not feed.user.is_active or not can_have_calendar_feed(feed.user):
        return None
    return feed.user


# --- Assignments ---------------------------------------------------------------------------------------
def assignments_visible_to(user) -> QuerySet[Assignment]:
    """Staff see every expert assignment; an expert their own."""
    if is_wco_staff(user):
        return Assignment.objects.all()
    expert = expert_of(user)
    return Assignment.objects.filter(expert=expert) if expert is not None else Assignment.objects.none()


def assignments_to_answer(user) -> QuerySet[Assignment]:
    """An expert answers only their own assignments."""
    expert = expert_of(user)
    return Assignment.objects.filter(expert=expert) if expert is not None else Assignment.objects.none()


def assignable_experts(user):
    """The experts staff may propose for a workshop (active ones); nobody else proposes any."""
    from workshops.experts.models import Expert

    return Expert.objects.filter(is_active=True) if can_manage_workshops(user) else Expert.objects.none()


def get_assignment_to_answer(user, pk: int) -> Assignment:
    """An expert answers only their own assignments."""
    expert = expert_of(user)
    assignment = None
    if expert is not None:
        assignment = Assignment.objects.select_related("workshop").filter(pk=pk, expert=expert).first()
    if assignment is None:
        raise Http404
    return assignment


# --- Certificates --------------------------------------------------------------------------------------
def certificates_visible_to(user, workshop: Workshop | None = None) -> QuerySet[Certificate]:
    """Staff see every certificate; a contact point those of their administration's officials."""
    queryset = (
        Certificate.objects.all() if workshop is None else Certificate.objects.filter(nomination__workshop=workshop)
    )
    if is_wco_staff(user):
        return queryset
    administration = administration_of(user)
    if administration is not None:
        return queryset.filter(nomination__administration=administration)
    return queryset.none()


def get_certificate_for(user, pk: int) -> Certificate:
    certificate = certificates_visible_to(user).filter(pk=pk).select_related("nomination").first()
    if certificate is None:
        raise Http404
    return certificate


# --- The participant's own page ------------------------------------------------------------------------
# A personal link's token is the whole credential (no account): a link that works, one that expired, one that
# was revoked (by staff, by the participant's erasure, or because the nomination is no longer accepted), or none.
LINK_WORKS, LINK_EXPIRED, LINK_REVOKED, LINK_UNKNOWN = "works", "expired", "revoked", "unknown"


def participant_link_for(token: str) -> tuple[ParticipantLink | None, str]:
    """The personal link with this token and its state; the link is None unless it works."""
    link = (
        ParticipantLink.objects.select_related("nomination__workshop", "nomination__administration")
        .filter(token_hash=hash_participant_token(token))
        .first()
        if token
        else None
    )
    if link is None:
        return None, LINK_UNKNOWN
    if link.revoked_at is not None or link.nomination.status != NominationStatus.ACCEPTED:
        return None, LINK_REVOKED
    if link.is_expired:
        return None, LINK_EXPIRED
    return link, LINK_WORKS


def can_manage_participant_links(user) -> bool:
    """Send a participant a new personal link, or revoke theirs: staff (who accepted them)."""
    return is_wco_staff(user)


def get_nomination_for_staff(user, pk: int) -> Nomination:
    if not can_manage_participant_links(user):
        raise Http404
    return get_nomination_for(user, pk)


def get_certificate_for_staff(user, workshop: Workshop, pk: int) -> Certificate:
    """A certificate of this workshop that staff revoke or reissue."""
    if not can_manage_workshops(user):
        raise Http404
    certificate = certificates_visible_to(user, workshop).filter(pk=pk).select_related("nomination").first()
    if certificate is None:
        raise Http404
    return certificate
