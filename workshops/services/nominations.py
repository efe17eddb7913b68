"""Nominations: a contact point nominates officials within the quota; staff accept, wait-list or decline."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import Administration, User
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind

from .. import selectors
from ..enums import (
    ACTIVE_NOMINATION_STATUSES,
    NOMINATION_OPEN_STATUSES,
    NominationStatus,
)
from ..models import Beneficiary, Nomination, Workshop
from .participants import participant_link_expiry, participant_link_new

DECIDED_STATUSES = (NominationStatus.ACCEPTED, NominationStatus.WAITLISTED, NominationStatus.DECLINED)


@transaction.atomic
def nomination_create(
    *,
    workshop: Workshop,
    administration: Administration,
    by: User,
    full_name: str,
    gender: str,
    position: str,
    email: str,
    language: str,
    consent_to_list: bool,
) -> Nomination:
    """A contact point nominates an official of their administration, within its quota.

    Refuses (ValidationError, nothing saved) a closed workshop, an administration that is not a beneficiary,
    a full quota, and the same person twice. Side effects: audit record; staff notified (or their digest).
    """
    if workshop.status not in NOMINATION_OPEN_STATUSES:
        raise ValidationError(_("Nominations are closed for this workshop."))
    # Lock the quota row: two contact points of one administration nominating at once cannot both take the
    # last place.
    link = Beneficiary.objects.select_for_update().filter(workshop=workshop, administration=administration).first()
    if link is None:
        raise ValidationError(_("Your administration is not a beneficiary of this workshop."))
    used = workshop.nominations.filter(administration=administration, status__in=ACTIVE_NOMINATION_STATUSES).count()
    if used >= link.quota:
        raise ValidationError(
            _("Your administration's quota of %(quota)d nominations for this workshop is used.") % {"quota": link.quota}
        )
    email = email.strip().lower()
    if workshop.nominations.filter(email__iexact=email).exclude(status=NominationStatus.WITHDRAWN).exists():
        raise ValidationError({"email": _("This person is already nominated for this workshop.")})
    nomination = Nomination(
        workshop=workshop,
        administration=administration,
        nominated_by=by,
        full_name=full_name.strip(),
        gender=gender,
        position=position.strip(),
        email=email,
        language=language,
        consent_to_list=consent_to_list,
    )
    nomination.full_clean()
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:  # the same address saved concurrently
        raise ValidationError({"email": _("This person is already nominated for this workshop.")})
    audit_record(actor=by, action="workshops.nomination.created", target=nomination)
    notifications.notify_staff(
        kind=NotificationKind.NOMINATION_CREATED,
        context={
            "participant": nomination.full_name,
            "administration": str(administration),
            "workshop": workshop.title_for_emails,
        },
        about=nomination,
        link=("workshops:detail", {"pk": workshop.pk}),
    )
    return nomination


def _decide(nomination: Nomination, status: str, by: User, **audit) -> Nomination:
    if nomination.workshop.status not in NOMINATION_OPEN_STATUSES:
        raise TransitionError(_("Nominations are closed for this workshop."))
    nomination.status = status
    nomination.decided_by = by
    nomination.decided_at = timezone.now()
    nomination.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=by, action=f"workshops.nomination.{status}", target=nomination, **audit)
    if status in DECIDED_STATUSES:
        # The nominating administration's contact points hear of staff's decision.
        notifications.notify_contact_points(
            kind=NotificationKind.NOMINATION_DECIDED,
            administration_ids=[nomination.administration_id],
            context={
                "participant": nomination.full_name,
                "workshop": nomination.workshop.title_for_emails,
                "decision": NominationStatus(status).label,  # lazy: in the recipient's language
            },
            about=nomination,
            link=("workshops:detail", {"pk": nomination.workshop_id}),
        )
    return nomination


def _send_participant_information(nomination: Nomination, by: User) -> None:
    workshop = nomination.workshop
    link = participant_link_new(nomination=nomination, by=by)
    send_templated_email(
        template="workshops/participant_accepted",
        to=[nomination.email],
        language=nomination.language if nomination.language in ("en", "fr") else "en",
        context={
            "full_name": nomination.full_name,
            "workshop_title": workshop.title_for_emails,
            "start_date": workshop.start_date,
            "end_date": workshop.end_date,
            "host_city": workshop.host_city,
            "venue": workshop.venue,
            "online_url": workshop.online_url,
            "time_zone": workshop.time_zone,
            "clikc_workspace_url": workshop.clikc_workspace_url,
            "link": link,
            "link_expires_at": participant_link_expiry(nomination),
        },
    )


@transaction.atomic
def nomination_accept(*, nomination: Nomination, by: User) -> Nomination:
    """Nominated or wait-listed -> accepted, while a seat is free.

    Accepting someone who has not finished the workshop's prerequisite e-learning course is allowed (staff decide);
    the audit record then says so (``prerequisite_missing``), and the pages warn (selectors.prerequisite_missing).
    Side effects: audit record; a personal link to the participant's page (services.participants); the participant
    is emailed the practical information and that link after commit; the contact points notified.
    """
    if nomination.status not in (NominationStatus.NOMINATED, NominationStatus.WAITLISTED):
        raise TransitionError(_("Only a nominated or wait-listed person can be accepted."))
    workshop = Workshop.objects.select_for_update().get(pk=nomination.workshop_id)
    if workshop.status not in NOMINATION_OPEN_STATUSES:
        raise TransitionError(_("Nominations are closed for this workshop."))
    if selectors.accepted_count(workshop) >= workshop.seats:
        raise TransitionError(
            _("All %(seats)d seats are taken: wait-list this person instead.") % {"seats": workshop.seats}
        )
    missing = selectors.prerequisite_missing(nomination)
    warning = {"prerequisite_missing": workshop.prerequisite_course.code} if missing else {}
    _decide(nomination, NominationStatus.ACCEPTED, by, **warning)
    _send_participant_information(nomination, by)
    return nomination


@transaction.atomic
def nomination_waitlist(*, nomination: Nomination, by: User) -> Nomination:
    """Nominated or accepted -> wait-listed (their place in line is the nomination date). Side effects: audit;
    the contact points notified."""
    if nomination.status not in (NominationStatus.NOMINATED, NominationStatus.ACCEPTED):
        raise TransitionError(_("Only a nominated or accepted person can be wait-listed."))
    return _decide(nomination, NominationStatus.WAITLISTED, by)


@transaction.atomic
def nomination_decline(*, nomination: Nomination, by: User) -> Nomination:
    """Nominated, wait-listed or accepted -> declined. Side effects: audit record; the contact points notified."""
    if nomination.status not in ACTIVE_NOMINATION_STATUSES:
        raise TransitionError(_("This nomination has already been declined or withdrawn."))
    return _decide(nomination, NominationStatus.DECLINED, by)


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by: User) -> Nomination:
    """Any active nomination -> withdrawn (by its contact point or staff); frees the quota and the seat.

    Side effects: audit record.
    """
    if nomination.status not in ACTIVE_NOMINATION_STATUSES:
        raise TransitionError(_("This nomination has already been declined or withdrawn."))
    return _decide(nomination, NominationStatus.WITHDRAWN, by)


@transaction.atomic
def nomination_offer_next(*, workshop: Workshop, by: User) -> Nomination:
    """Offer a free seat to the first person on the wait list (earliest nomination).

    Side effects: as nomination_accept.
    """
    first = workshop.nominations.filter(status=NominationStatus.WAITLISTED).order_by("created_at", "pk").first()
    if first is None:
        raise TransitionError(_("Nobody is on the wait list."))
    return nomination_accept(nomination=first, by=by)
