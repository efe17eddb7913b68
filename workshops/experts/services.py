"""Every write of the experts registry: one function each, in a transaction, audited."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from .enums import AccreditationStatus, LanguageLevel, SpokenLanguage
from .models import AccreditationChange, AvailabilityWindow, Expert, ExpertiseArea, ExpertLanguage

# What ``expert_update`` may change. The accreditation is not here: it changes only with its history.
PROFILE_FIELDS = frozenset(
    {"user", "full_name", "email", "nationality", "administration", "phone", "biography", "is_active"}
)


# --- Profile -------------------------------------------------------------------------------------------
@transaction.atomic
def expert_create(
    *,
    by: User,
    full_name: str,
    email: str,
    user: User | None = None,
    nationality=None,
    administration=None,
    phone: str = "",
    biography: str = "",
    is_active: bool = True,
    expertise_areas: Iterable[ExpertiseArea] = (),
) -> Expert:
    """Register an expert (not accredited yet). Side effects: audit record."""
    expert = Expert(
        user=user,
        full_name=full_name.strip(),
        email=email,
        nationality=nationality,
        administration=administration,
        phone=phone.strip(),
        biography=biography.strip(),
        is_active=is_active,
    )
    expert.full_clean()
    expert.save()
    expert.expertise_areas.set(expertise_areas)
    audit_record(actor=by, action="experts.expert.created", target=expert)
    return expert


@transaction.atomic
def expert_update(*, expert: Expert, by: User, **changes: Any) -> Expert:
    """Change profile fields (``PROFILE_FIELDS``) and, with ``expertise_areas``, the expertise.

    Side effects: audit record listing the changed fields. Raises ValidationError for invalid values.
    """
    unknown = set(changes) - PROFILE_FIELDS - {"expertise_areas"}
    if unknown:
        raise ValueError(f"expert_update cannot change {sorted(unknown)}")
    expertise_areas = changes.pop("expertise_areas", None)
    changes = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
    changed = sorted(name for name, value in changes.items() if getattr(expert, name) != value)
    for name, value in changes.items():
        setattr(expert, name, value)
    expert.full_clean()
    # Only the fields asked for: a stale copy of the expert must not write back an older accreditation.
    expert.save(update_fields=[*changes, "updated_at"])
    if expertise_areas is not None:
        before = set(expert.expertise_areas.values_list("pk", flat=True))
        expert.expertise_areas.set(expertise_areas)
        if before != {area.pk for area in expertise_areas}:
            changed.append("expertise_areas")
    if changed:
        audit_record(actor=by, action="experts.expert.updated", target=expert, fields=changed)
    return expert


@transaction.atomic
def expert_set_accreditation(*, expert: Expert, status: str, on: date, by: User, note: str = "") -> AccreditationChange:
    """Move the expert to accreditation ``status`` from ``on``, recording the step in their history.

    Any step is allowed (accreditation can be withdrawn), but not to the current status, not to a date in
    the future, and not before the last recorded step: the current status is always the latest step.
    Side effects: history entry; audit record.
    """
    # Lock the row: two staff members recording a change at once must not both read the same "from".
    locked = Expert.objects.select_for_update().get(pk=expert.pk)
    status = AccreditationStatus(status)
    if status == locked.accreditation_status:
        raise TransitionError(_("The expert's accreditation is already “%(status)s”.") % {"status": status.label})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    latest = locked.accreditation_history.order_by("-on", "-id").first()
    if latest is not None and on < latest.on:
        raise ValidationError(
            {
                "on": _("The date cannot be before the last accreditation change (%(date)s).")
                % {"date": formats.date_format(latest.on, "SHORT_DATE_FORMAT")}
            }
        )
    change = AccreditationChange.objects.create(
        expert=locked, from_status=locked.accreditation_status, to_status=status, on=on, by=by, note=note.strip()
    )
    locked.accreditation_status = status
    locked.save(update_fields=["accreditation_status", "updated_at"])
    expert.accreditation_status = status  # the caller's copy shows the new status too
    audit_record(
        actor=by,
        action="experts.accreditation.changed",
        target=locked,
        from_status=change.from_status,
        to_status=change.to_status,
        on=on.isoformat(),
    )
    return change


# --- Languages -----------------------------------------------------------------------------------------
@transaction.atomic
def expert_languages_set(*, expert: Expert, levels: Mapping[str, str], by: User) -> list[ExpertLanguage]:
    """Replace the expert's languages with ``levels`` ({language code: level}); absent languages are removed.

    Side effects: audit record with the new list when it changed.
    """
    levels = {SpokenLanguage(language).value: LanguageLevel(level).value for language, level in levels.items()}
    before = dict(expert.languages.values_list("language", "level"))
    if before == levels:
        return list(expert.languages.all())
    expert.languages.exclude(language__in=levels).delete()
    for language, level in levels.items():
        ExpertLanguage.objects.update_or_create(expert=expert, language=language, defaults={"level": level})
    audit_record(actor=by, action="experts.languages.set", target=expert, languages=levels)
    return list(expert.languages.all())


# --- Availability --------------------------------------------------------------------------------------
@transaction.atomic
def availability_add(
    *, expert: Expert, start_date: date, end_date: date, by: User, note: str = ""
) -> AvailabilityWindow:
    """Record a period in which the expert can be deployed.

    Raises ValidationError when the end is before the start or the period overlaps another of the expert's.
    Side effects: audit record.
    """
    # Lock the expert: two windows added at once must not both pass the overlap check.
    Expert.objects.select_for_update().filter(pk=expert.pk).first()
    window = AvailabilityWindow(expert=expert, start_date=start_date, end_date=end_date, note=note.strip())
    window.full_clean()
    window.save()
    audit_record(
        actor=by,
        action="experts.availability.added",
        target=expert,
        start_date=start_date.isoformat(),
        end_date=end_date.isoformat(),
    )
    return window


@transaction.atomic
def availability_remove(*, window: AvailabilityWindow, by: User) -> None:
    """Side effects: audit record on the expert."""
    audit_record(
        actor=by,
        action="experts.availability.removed",
        target=window.expert,
        start_date=window.start_date.isoformat(),
        end_date=window.end_date.isoformat(),
    )
    window.delete()


# --- CV ------------------------------------------------------------------------------------------------
@transaction.atomic
def expert_cv_upload(*, expert: Expert, cv: UploadedFile, by: User) -> Expert:
    """Store ``cv`` (a PDF of at most 10 MB, checked by content) as the expert's CV, replacing any earlier one.

    Raises ValidationError (nothing stored) for another file type or an oversize file.
    Side effects: the previous file is deleted once the transaction commits; audit record.
    """
    field = Expert._meta.get_field("cv")
    try:
        field.run_validators(cv)
    except ValidationError as error:
        raise ValidationError({"cv": error.error_list}) from None
    previous = expert.cv.name
    expert.cv.save(f"cv-{expert.pk}-{slugify(expert.full_name)[:60] or 'expert'}.pdf", cv, save=False)
    expert.save(update_fields=["cv", "updated_at"])
    if previous and previous != expert.cv.name:
        storage = expert.cv.storage
        transaction.on_commit(lambda: storage.delete(previous))
    audit_record(actor=by, action="experts.cv.uploaded", target=expert, size=cv.size)
    return expert


# --- Import --------------------------------------------------------------------------------------------
@transaction.atomic
def experts_import(*, rows: Iterable[Mapping[str, Any]], by: User) -> list[Expert]:
    """Register the experts of an import's checked rows, all or none (a ValidationError leaves nothing written).

    Side effects: an audit record per expert (as ``expert_create``) and one for the import with the count."""
    experts = []
    for row in rows:
        expert = expert_create(
            by=by,
            full_name=row["full_name"],
            email=row["email"],
            nationality=row.get("nationality"),
            administration=row.get("administration"),
            phone=row.get("phone", ""),
            biography=row.get("biography", ""),
            expertise_areas=row.get("expertise_areas") or (),
        )
        if row.get("languages"):
            expert_languages_set(expert=expert, levels=row["languages"], by=by)
        experts.append(expert)
    audit_record(actor=by, action="experts.imported", count=len(experts))
    return experts
