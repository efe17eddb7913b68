"""The workshop itself: created, edited, and moved along requested -> planned -> confirmed -> delivered ->
closed (or cancelled); its beneficiaries' quotas and its agenda."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import Administration, User

from ..enums import (
    IN_PERSON_KINDS,
    MULTI_ADMINISTRATION_KINDS,
    AssignmentRole,
    AssignmentStatus,
    WorkshopKind,
    WorkshopStatus,
)
from ..models import Beneficiary, Session, Workshop
from .notifications import _notify_workshop


class ConcurrentEditError(Exception):
    """Someone else saved the workshop since this user opened the form."""


# Fields a staff member edits on the workshop form (everything but status, version and bookkeeping).
EDITABLE_FIELDS = (
    "title",
    "title_fr",
    "description",
    "description_fr",
    "kind",
    "region",
    "host_city",
    "venue",
    "online_url",
    "start_date",
    "end_date",
    "time_zone",
    "languages",
    "seats",
    "clikc_workspace_url",
    "clikc_course_short_name",
    "clikc_group_name",
    "mission_reference",
    "prerequisite_course",
    "is_public",
)


def _check_beneficiaries(kind: str, beneficiaries: list[tuple[Administration, int]]) -> None:
    count = len({administration.pk for administration, _quota in beneficiaries})
    if count != len(beneficiaries):
        raise ValidationError({"beneficiaries": _("An administration is listed twice.")})
    if kind == WorkshopKind.NATIONAL and count != 1:
        raise ValidationError({"beneficiaries": _("A national workshop has exactly one beneficiary administration.")})
    if kind in MULTI_ADMINISTRATION_KINDS and count < 2:
        raise ValidationError(
            {"beneficiaries": _("A regional or sub-regional workshop has at least two beneficiary administrations.")}
        )
    if count < 1:
        raise ValidationError({"beneficiaries": _("Choose at least one beneficiary administration.")})


def _set_beneficiaries(workshop: Workshop, beneficiaries: list[tuple[Administration, int]]) -> None:
    """Add and remove beneficiaries; the given quota applies to added ones. An administration that stays keeps
    its quota (changed one by one with ``beneficiary_set_quota``)."""
    keep = {administration.pk: quota for administration, quota in beneficiaries}
    workshop.beneficiary_links.exclude(administration_id__in=keep).delete()
    existing = set(workshop.beneficiary_links.values_list("administration_id", flat=True))
    Beneficiary.objects.bulk_create(
        Beneficiary(workshop=workshop, administration_id=administration_id, quota=quota)
        for administration_id, quota in keep.items()
        if administration_id not in existing
    )


@transaction.atomic
def workshop_create(*, by: User, beneficiaries: list[tuple[Administration, int]], **fields) -> Workshop:
    """Staff create a workshop directly in the "planned" state. Side effects: audit record."""
    workshop = Workshop(created_by=by, status=WorkshopStatus.PLANNED, **fields)
    workshop.full_clean()
    _check_beneficiaries(workshop.kind, beneficiaries)
    workshop.save()
    _set_beneficiaries(workshop, beneficiaries)
    audit_record(actor=by, action="workshops.workshop.created", target=workshop)
    return workshop


@transaction.atomic
def workshop_update(
    *,
    workshop: Workshop,
    expected_version: int,
    by: User,
    beneficiaries: list[tuple[Administration, int]] | None = None,
    **fields,
) -> Workshop:
    """Save a staff edit, unless someone else saved the workshop since ``expected_version`` was read.

    Raises ConcurrentEditError in that case (nothing is saved). Side effects: audit record listing the fields.
    """
    if workshop.status in (WorkshopStatus.CLOSED, WorkshopStatus.CANCELLED):
        raise TransitionError(_("A closed or cancelled workshop can no longer be edited."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    candidate = Workshop.objects.get(pk=workshop.pk)
    changed = sorted(name for name, value in fields.items() if getattr(candidate, name) != value)
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.full_clean()
    if beneficiaries is not None:
        _check_beneficiaries(candidate.kind, beneficiaries)
    # The version check and the write are one UPDATE: two concurrent saves cannot both pass it.
    updated = Workshop.objects.filter(pk=workshop.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if not updated:
        raise ConcurrentEditError
    if beneficiaries is not None:
        _set_beneficiaries(candidate, beneficiaries)
    audit_record(actor=by, action="workshops.workshop.updated", target=candidate, fields=changed)
    workshop.refresh_from_db()
    return workshop


def _move(workshop: Workshop, *, allowed_from: tuple[str, ...], to: str, by: User, message: str, **extra) -> None:
    # Lock the row so that two staff pressing two buttons cannot both move the workshop.
    current = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if current.status not in allowed_from:
        raise TransitionError(message)
    Workshop.objects.filter(pk=workshop.pk).update(
        status=to, version=F("version") + 1, updated_at=timezone.now(), **extra
    )
    audit_record(actor=by, action=f"workshops.workshop.{to}", target=current, previous=current.status)
    workshop.refresh_from_db()


@transaction.atomic
def workshop_plan(*, workshop: Workshop, by: User) -> Workshop:
    """Requested -> planned: staff take a requested workshop into planning. Side effects: audit record."""
    _move(
        workshop,
        allowed_from=(WorkshopStatus.REQUESTED,),
        to=WorkshopStatus.PLANNED,
        by=by,
        message=_("Only a requested workshop can be planned."),
    )
    return workshop


@transaction.atomic
def workshop_confirm(*, workshop: Workshop, by: User) -> Workshop:
    """Planned -> confirmed: the dates, place and lead trainer are settled.

    Requires a venue and host city (in-person kinds) or an online link (online), and a lead trainer who
    confirmed. Side effects: audit record; the beneficiaries' contact points and the assigned experts are
    emailed after commit.
    """
    if workshop.status == WorkshopStatus.PLANNED:
        if workshop.kind in IN_PERSON_KINDS and not (workshop.host_city and workshop.venue):
            raise TransitionError(_("Give the host city and venue before confirming."))
        if workshop.kind == WorkshopKind.ONLINE and not workshop.online_url:
            raise TransitionError(_("Give the online link before confirming."))
        has_lead = workshop.assignments.filter(
            role=AssignmentRole.LEAD_TRAINER, status=AssignmentStatus.CONFIRMED
        ).exists()
        if not has_lead:
            raise TransitionError(_("A lead trainer must have confirmed their assignment before confirming."))
    _move(
        workshop,
        allowed_from=(WorkshopStatus.PLANNED,),
        to=WorkshopStatus.CONFIRMED,
        by=by,
        message=_("Only a planned workshop can be confirmed."),
    )
    _notify_workshop(workshop, "workshops/workshop_confirmed")
    return workshop


@transaction.atomic
def workshop_deliver(*, workshop: Workshop, by: User, today: dt.date | None = None) -> Workshop:
    """Confirmed -> delivered, once its last day has come.

    Side effects: audit record; the follow-up survey scheduled months after the last day (evaluations).
    """
    today = today or timezone.localdate()
    if workshop.status == WorkshopStatus.CONFIRMED and workshop.end_date > today:
        raise TransitionError(_("A workshop can be marked delivered only from its last day."))
    _move(
        workshop,
        allowed_from=(WorkshopStatus.CONFIRMED,),
        to=WorkshopStatus.DELIVERED,
        by=by,
        message=_("Only a confirmed workshop can be marked delivered."),
    )
    from workshops.evaluations import services as evaluation_services  # the subpackage builds on this module

    evaluation_services.follow_up_schedule(workshop=workshop, by=by)
    return workshop


@transaction.atomic
def workshop_close(*, workshop: Workshop, by: User) -> Workshop:
    """Delivered -> closed: reporting is done; the workshop becomes read-only. Side effects: audit record."""
    _move(
        workshop,
        allowed_from=(WorkshopStatus.DELIVERED,),
        to=WorkshopStatus.CLOSED,
        by=by,
        message=_("Only a delivered workshop can be closed."),
    )
    from workshops.evaluations import services as evaluation_services

    evaluation_services.follow_up_schedule(workshop=workshop, by=by)  # idempotent: made at delivery already
    return workshop


@transaction.atomic
def workshop_cancel(*, workshop: Workshop, reason: str, by: User) -> Workshop:
    """Requested, planned or confirmed -> cancelled, with a reason.

    Side effects: audit record; the beneficiaries' contact points and the assigned experts are emailed the
    reason after commit. Nominations are kept, for the record.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason for cancelling.")})
    _move(
        workshop,
        allowed_from=(WorkshopStatus.REQUESTED, WorkshopStatus.PLANNED, WorkshopStatus.CONFIRMED),
        to=WorkshopStatus.CANCELLED,
        by=by,
        message=_("A delivered or closed workshop cannot be cancelled."),
        cancellation_reason=reason.strip(),
    )
    _notify_workshop(workshop, "workshops/workshop_cancelled", {"reason": reason.strip()})
    return workshop


@transaction.atomic
def beneficiary_set_quota(*, beneficiary: Beneficiary, quota: int, by: User) -> Beneficiary:
    """Change one administration's nomination quota; nominations already made stay. Side effects: audit."""
    previous = beneficiary.quota
    beneficiary.quota = quota
    beneficiary.save(update_fields=["quota"])
    audit_record(actor=by, action="workshops.beneficiary.quota_changed", target=beneficiary.workshop,
                 administration=beneficiary.administration_id, previous=previous, quota=quota)  # fmt: skip
    return beneficiary


@transaction.atomic
def session_add(
    *,
    workshop: Workshop,
    by: User,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    topic: str,
    topic_fr: str = "",
    trainer=None,
) -> Session:
    """Add an agenda item within the workshop's dates; its trainer must be assigned. Side effects: audit."""
    if not workshop.start_date <= date <= workshop.end_date:
        raise ValidationError({"date": _("The session must take place between the workshop's start and end dates.")})
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The session must end after it starts.")})
    if (
        trainer is not None
        and not workshop.assignments.filter(expert=trainer).exclude(status=AssignmentStatus.DECLINED).exists()
    ):
        raise ValidationError({"trainer": _("Assign this expert to the workshop first.")})
    session = Session.objects.create(
        workshop=workshop,
        date=date,
        start_time=start_time,
        end_time=end_time,
        topic=topic,
        topic_fr=topic_fr,
        trainer=trainer,
    )
    audit_record(actor=by, action="workshops.session.added", target=session)
    return session


@transaction.atomic
def session_remove(*, session: Session, by: User) -> None:
    audit_record(actor=by, action="workshops.session.removed", target=session)
    session.delete()
