"""Attendance: the sheet of a confirmed or delivered workshop."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from ..enums import (
    AttendanceStatus,
    NominationStatus,
    WorkshopStatus,
)
from ..models import Attendance, Workshop

ATTENDANCE_OPEN_STATUSES = (WorkshopStatus.CONFIRMED, WorkshopStatus.DELIVERED)


@transaction.atomic
def attendance_record(*, workshop: Workshop, marks: dict[tuple[int, int], str], by: User) -> int:
    """Save the attendance grid of a whole workshop in one go: ``{(session_id, nomination_id): status}``.

    An empty status clears a mark. Only the workshop's sessions and accepted participants are accepted
    (ValidationError otherwise, nothing saved). Returns the number of marks changed. Side effects: one audit
    record.
    """
    if workshop.status not in ATTENDANCE_OPEN_STATUSES:
        raise TransitionError(_("Attendance is recorded for a confirmed or delivered workshop."))
    session_ids = set(workshop.sessions.values_list("pk", flat=True))
    participant_ids = set(workshop.nominations.filter(status=NominationStatus.ACCEPTED).values_list("pk", flat=True))
    allowed = set(AttendanceStatus.values) | {""}
    for (session_id, nomination_id), status in marks.items():
        if session_id not in session_ids or nomination_id not in participant_ids or status not in allowed:
            raise ValidationError(_("The attendance sheet does not match this workshop; reload the page."))
    existing = {
        (mark.session_id, mark.nomination_id): mark for mark in Attendance.objects.filter(session__workshop=workshop)
    }
    to_create, to_update, to_delete = [], [], []
    for key, status in marks.items():
        mark = existing.get(key)
        if not status:
            if mark is not None:
                to_delete.append(mark.pk)
        elif mark is None:
            to_create.append(Attendance(session_id=key[0], nomination_id=key[1], status=status, recorded_by=by))
        elif mark.status != status:
            mark.status, mark.recorded_by, mark.recorded_at = status, by, timezone.now()
            to_update.append(mark)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "recorded_by", "recorded_at"])
    Attendance.objects.filter(pk__in=to_delete).delete()
    changed = len(to_create) + len(to_update) + len(to_delete)
    if changed:
        audit_record(actor=by, action="workshops.attendance.recorded", target=workshop, changed=changed)
    return changed
