"""Imports: a contact point's nominations and staff's past activities (workshops/imports.py), all rows or none."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from ..enums import AttendanceStatus, NominationStatus, WorkingLanguage, WorkshopStatus
from ..imports import past_activity_key
from ..models import Attendance, Beneficiary, Nomination, Session, Workshop
from .nominations import nomination_create

# A past activity's attendance is known per participant, not per day: one session stands for the whole workshop.
PAST_ACTIVITY_SESSION = (dt.time(9, 0), dt.time(17, 0))


@transaction.atomic
def nominations_import(*, workshop: Workshop, administration, rows: Iterable[Mapping[str, Any]], by: User):
    """Nominate every official of an import's checked rows, or none (the first refusal undoes them all).

    Each row goes through ``nomination_create`` (quota, closed workshop, the same person twice); side effects:
    its audit record per nomination, and one for the import with the count."""
    nominations = [nomination_create(workshop=workshop, administration=administration, by=by, **row) for row in rows]
    audit_record(actor=by, action="workshops.nominations.imported", target=workshop, count=len(nominations))
    return nominations


@transaction.atomic
def past_activities_import(*, rows: Iterable[Mapping[str, Any]], by: User) -> list[Workshop]:
    """Record workshops delivered before the portal, with their participants, so the results framework counts them.

    The rows with the same title and dates make one closed workshop (not public), its participants' administrations
    its beneficiaries, each participant an accepted nomination, present (or absent) at the one session that stands
    for the workshop. Side effects: an audit record per workshop and one for the import."""
    groups: dict[tuple, list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(past_activity_key(row), []).append(row)
    now = timezone.now()
    workshops = []
    for participants in groups.values():
        first = participants[0]
        regions = {row["administration"].region_id for row in participants}
        workshop = Workshop(
            title=first["title"].strip(),
            kind=first["kind"],
            status=WorkshopStatus.CLOSED,
            region_id=regions.pop() if len(regions) == 1 else None,
            host_city=first["host_city"].strip(),
            start_date=first["start_date"],
            end_date=first["end_date"],
            languages=[WorkingLanguage.ENGLISH],
            seats=len(participants),
            is_public=False,
            description=_("Delivered before the portal; imported from a list of participants."),
            created_by=by,
        )
        workshop.full_clean()
        workshop.save()
        counts = Counter(row["administration"] for row in participants)
        Beneficiary.objects.bulk_create(
            Beneficiary(workshop=workshop, administration=administration, quota=count)
            for administration, count in counts.items()
        )
        session = Session.objects.create(
            workshop=workshop,
            date=workshop.start_date,
            start_time=PAST_ACTIVITY_SESSION[0],
            end_time=PAST_ACTIVITY_SESSION[1],
            topic=_("The whole workshop"),
        )
        nominations = Nomination.objects.bulk_create(
            Nomination(
                workshop=workshop,
                administration=row["administration"],
                nominated_by=by,
                full_name=row["full_name"].strip(),
                gender=row["gender"],
                position=row["position"].strip(),
                email=row["email"],
                language=WorkingLanguage.ENGLISH,
                status=NominationStatus.ACCEPTED,
                decided_by=by,
                decided_at=now,
            )
            for row in participants
        )
        Attendance.objects.bulk_create(
            Attendance(
                session=session,
                nomination=nomination,
                status=AttendanceStatus.PRESENT if row["attended"] else AttendanceStatus.ABSENT,
                recorded_by=by,
            )
            for nomination, row in zip(nominations, participants, strict=True)
        )
        audit_record(
            actor=by, action="workshops.past_activity.imported", target=workshop, participants=len(participants)
        )
        workshops.append(workshop)
    audit_record(actor=by, action="workshops.past_activities.imported", count=len(workshops))
    return workshops
