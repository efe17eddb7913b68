"""Experts' assignments to a workshop: proposed, answered, appraised."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User
from bacuda_portal.notifications import services as notifications
from bacuda_portal.notifications.enums import Kind as NotificationKind

from .. import selectors
from ..enums import (
    AssignmentRole,
    AssignmentStatus,
    WorkshopStatus,
)
from ..models import Assignment, Workshop


@transaction.atomic
def assignment_create(*, workshop: Workshop, expert, role: str, by: User) -> tuple[Assignment, list[Assignment]]:
    """Propose an expert for a workshop. Returns the assignment and the expert's overlapping assignments
    (a double booking is allowed but flagged). Side effects: audit record; the expert notified (to answer)."""
    if workshop.assignments.filter(expert=expert).exists():
        raise ValidationError({"expert": _("This expert is already assigned to this workshop.")})
    assignment = Assignment.objects.create(workshop=workshop, expert=expert, role=role, assigned_by=by)
    conflicts = list(
        selectors.overlapping_assignments(
            expert=expert, start=workshop.start_date, end=workshop.end_date, exclude_workshop=workshop
        )
    )
    audit_record(
        actor=by, action="workshops.assignment.created", target=assignment, double_booked=[a.pk for a in conflicts]
    )
    # An expert without an account is written to at the registry's address, in English.
    recipient = (
        notifications.recipient_of_user(expert.user)
        if expert.user_id
        else notifications.Recipient(email=expert.email, language="en", name=expert.full_name)
    )
    notifications.notify(
        kind=NotificationKind.ASSIGNMENT_OFFERED,
        recipient=recipient,
        context={
            "workshop": workshop.title_for_emails,
            "role": AssignmentRole(role).label,
            "start_date": workshop.start_date,
            "end_date": workshop.end_date,
        },
        about=assignment,
        link=("workshops:detail", {"pk": workshop.pk}),
    )
    return assignment, conflicts


@transaction.atomic
def assignment_answer(*, assignment: Assignment, accept: bool, by: User) -> Assignment:
    """Proposed -> confirmed or declined, by the expert. Side effects: audit record; staff notified (or their
    digest)."""
    if assignment.status != AssignmentStatus.PROPOSED:
        raise TransitionError(_("You have already answered this assignment."))
    assignment.status = AssignmentStatus.CONFIRMED if accept else AssignmentStatus.DECLINED
    assignment.answered_at = timezone.now()
    assignment.save(update_fields=["status", "answered_at", "updated_at"])
    audit_record(actor=by, action=f"workshops.assignment.{assignment.status}", target=assignment)
    notifications.notify_staff(
        kind=NotificationKind.ASSIGNMENT_ANSWERED,
        context={
            "expert": assignment.expert.full_name,
            "workshop": assignment.workshop.title_for_emails,
            "accepted": accept,
        },
        about=assignment,
        link=("workshops:detail", {"pk": assignment.workshop_id}),
    )
    return assignment


@transaction.atomic
def assignment_appraise(*, assignment: Assignment, rating: int, comments: str, by: User) -> Assignment:
    """Staff appraise a confirmed expert after a delivered workshop. Side effects: audit record."""
    if assignment.workshop.status not in (WorkshopStatus.DELIVERED, WorkshopStatus.CLOSED):
        raise TransitionError(_("Appraise an expert once the workshop has been delivered."))
    if assignment.status != AssignmentStatus.CONFIRMED:
        raise TransitionError(_("Only an expert who confirmed the assignment can be appraised."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("The rating is from 1 to 5.")})
    assignment.rating = rating
    assignment.appraisal = comments.strip()
    assignment.save(update_fields=["rating", "appraisal", "updated_at"])
    audit_record(actor=by, action="workshops.assignment.appraised", target=assignment)
    return assignment
