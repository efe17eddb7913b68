"""Data protection across the portal: the daily retention run, erasure requests, and each person's data export.

Everything here goes through the categories the apps registered in ``core.privacy``; nothing imports an app.
The retention run and an erasure erase rows in small transactions, each with the audit log scrubbed of the names
and addresses it removed, so that a run stopped half-way leaves no erased row whose name is still in the log.
"""

import datetime as dt
import json
import logging
import shutil
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import privacy
from .background import Lifecycle
from .emails import send_templated_email
from .exceptions import TransitionError
from .models import ACTIVE_EXPORT_STATUSES, ErasureRequest, ErasureStatus, ExportStatus, PersonalDataExport
from .services import audit_pseudonymise, audit_record

logger = logging.getLogger(__name__)

# Rows erased per transaction (one audit scrub each).
CHUNK = 50
EXPORT_STALE_AFTER = dt.timedelta(minutes=30)
EXPORT_MAX_ATTEMPTS = 3


def _erase_rows(category: privacy.Category, rows: list, *, now: dt.datetime, on_request: bool) -> int:
    """Erase rows in transactions of ``CHUNK``, scrubbing the audit log of what each chunk removed."""
    erased = 0
    for start in range(0, len(rows), CHUNK):
        with transaction.atomic():
            strings: set[str] = set()
            for row in rows[start : start + CHUNK]:
                removed = category.erase(row, now=now, on_request=on_request)
                if removed is not None:
                    erased += 1
                    strings |= removed
            audit_pseudonymise(strings=strings, replacement=privacy.AUDIT_REPLACEMENT)
    return erased


# --- Retention ---------------------------------------------------------------------------------------------------
def retention_run(*, now: dt.datetime | None = None, batch: int | None = None) -> dict[str, int]:
    """Erase, in every category, the rows whose retention period has run out (the daily beat task).

    Idempotent: an erased row is no longer due, so a second run erases nothing. At most ``batch`` rows per
    category per run (BACUDA_RETENTION_BATCH); the rest wait for the next day. A category that fails is logged
    and audited (``privacy.retention.failed``) and the others go on. Side effects: rows pseudonymised, files
    deleted, audit log scrubbed; one audit record per category that erased something, with the count only.
    Returns the counts by category key.
    """
    now = now or timezone.now()
    batch = batch or settings.BACUDA_RETENTION_BATCH
    counts = {}
    for category in privacy.categories():
        try:
            rows = list(category.due(now).order_by(category.due_since, "pk")[:batch])
            erased = _erase_rows(category, rows, now=now, on_request=False) if rows else 0
        except Exception as error:  # one kind's fault must not stop the others' erasure; tomorrow retries it
            logger.exception("Retention failed for %s", category.key)
            audit_record(
                actor=None, action="privacy.retention.failed", category=category.key, error=type(error).__name__
            )
            counts[category.key] = 0
            continue
        if erased:
            audit_record(actor=None, action="privacy.retention.applied", category=category.key, count=erased)
        counts[category.key] = erased
    return counts


# --- Erasure requests --------------------------------------------------------------------------------------------
@transaction.atomic
def erasure_request(*, user, categories: list[str] | None = None, note: str = "") -> ErasureRequest:
    """A person asks for their data to be erased: everything (``categories`` empty, the account included) or only
    the kinds named. A pending request for everything already covers a narrower one; a request for everything
    widens a pending narrower one.

    Side effects: a pending request (or the pending one widened); audit record.
    """
    categories = sorted(set(categories or []))
    unknown = [key for key in categories if key not in {category.key for category in privacy.categories()}]
    if unknown:
        raise ValueError(f"Unknown personal-data categories: {unknown}")
    note = note.strip()[:2000]
    pending = ErasureRequest.objects.select_for_update().filter(user=user, status=ErasureStatus.PENDING).first()
    if pending is not None:
        if pending.covers_everything or pending.categories == categories:
            raise TransitionError(_("You have already asked for erasure; staff will carry it out."))
        pending.categories = [] if not categories else sorted(set(pending.categories) | set(categories))
        pending.note = "\n".join(part for part in (pending.note, note) if part)
        pending.save(update_fields=["categories", "note", "updated_at"])
        audit_record(actor=user, action="privacy.erasure.widened", target=pending, categories=pending.categories)
        return pending
    request = ErasureRequest.objects.create(user=user, reference=f"user #{user.pk}", categories=categories, note=note)
    audit_record(actor=user, action="privacy.erasure.requested", target=request, categories=categories)
    return request


@transaction.atomic
def erasure_carry_out(*, request: ErasureRequest, by, now: dt.datetime | None = None) -> dict:
    """Staff carry out a pending erasure request: every row of the person in the categories it covers is erased,
    except rows a legal obligation keeps until their own period ends (``held_on_request``), which the daily run
    erases then. Who may carry out whose request is the caller's access layer's decision. One transaction: a
    failure leaves the request pending and nothing half-erased (files are deleted once it commits).

    Refused for a request already done and for one's own request (someone else must carry it out).
    Side effects: rows pseudonymised, files deleted and the audit log scrubbed, category by category (the account
    last, which signs the person out everywhere); the request done with the counts; audit record; the person is
    told by email (at the address they had) once it commits.
    Returns ``{"erased": {key: n}, "held": {key: n}}``.
    """
    now = now or timezone.now()
    request = ErasureRequest.objects.select_for_update().filter(pk=request.pk).first()
    if request is None or request.status != ErasureStatus.PENDING:
        raise TransitionError(_("This request has already been carried out."))
    if request.user_id is not None and request.user_id == getattr(by, "pk", None):
        raise TransitionError(_("Someone else must carry out your own erasure request."))
    erased, held = {}, {}
    person = request.user
    # Where and in which language to tell them, taken before the account's address is replaced.
    notify = (person.email, person.preferred_language) if person and not privacy.is_erased_email(person.email) else None
    if person is not None:
        subject = privacy.DataSubject.for_user(person)
        for category in privacy.categories(request.categories or None):
            rows = list(category.of_subject(subject))
            if category.held_on_request is not None:
                kept = {row.pk for row in rows if category.held_on_request(row, now)}
                rows = [row for row in rows if row.pk not in kept]
                if kept:
                    held[category.key] = len(kept)
            count = _erase_rows(category, rows, now=now, on_request=True)
            if count:
                erased[category.key] = count
        audit_pseudonymise(strings=subject.emails | subject.names, replacement=privacy.AUDIT_REPLACEMENT)
    request.status = ErasureStatus.DONE
    request.handled_by = by
    request.handled_at = now
    request.note = ""
    request.outcome = {"erased": erased, "held": held}
    request.save(update_fields=["status", "handled_by", "handled_at", "note", "outcome", "updated_at"])
    audit_record(actor=by, action="privacy.erasure.done", target=request, erased=erased, held=held)
    if notify is not None:
        send_templated_email(
            template="privacy/erasure_done",
            to=[notify[0]],
            language=notify[1],
            context={
                "handled_at": now,
                "everything": request.covers_everything,
                "held": bool(held.get("missions.travel")),
                "contact_email": settings.BACUDA_PRIVACY_CONTACT_EMAIL,
            },
        )
    return request.outcome


# --- Each person's export ----------------------------------------------------------------------------------------
def person_data(subject: privacy.DataSubject) -> tuple[dict, list[tuple[str, object]]]:
    """Everything the portal holds on a person, category by category, and the files to put beside it."""
    data = {"generated_at": timezone.now().isoformat(), "categories": {}}
    files: list[tuple[str, object]] = []
    for category in privacy.categories():
        rows = list(category.of_subject(subject))
        if not rows:
            continue
        data["categories"][category.key] = {
            "title": str(category.title),
            "purpose": str(category.purpose),
            "retention": category.retention(),
            "records": [category.export(row) for row in rows],
        }
        for row in rows:
            files.extend((f"files/{category.key}/{name}", field_file) for name, field_file in category.files(row))
    return data, files


def export_request(*, user) -> tuple[PersonalDataExport, bool]:
    """Queue the building of a person's export, or return the one already queued or being built.

    Side effects, for a new one: audit record; the build task after commit. Returns ``(export, created)``.
    """
    existing = PersonalDataExport.objects.filter(user=user, status__in=ACTIVE_EXPORT_STATUSES).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            export = PersonalDataExport.objects.create(user=user, queued_at=timezone.now())
            audit_record(actor=user, action="privacy.export.requested", target=export)
            _queue(export.pk)
    except IntegrityError:
        return PersonalDataExport.objects.get(user=user, status__in=ACTIVE_EXPORT_STATUSES), False
    return export, True


BUILDING = Lifecycle(
    model=PersonalDataExport,
    waiting=ExportStatus.QUEUED,
    working=ExportStatus.BUILDING,
    failed=ExportStatus.FAILED,
    task="core.build_personal_export",
    id_argument="export_id",
    sweep_action="privacy.export.sweep",
    retry_action="privacy.export.retried",
    stale_after=EXPORT_STALE_AFTER,
    max_attempts=EXPORT_MAX_ATTEMPTS,
)


def _queue(export_id: int) -> None:
    BUILDING.enqueue(export_id)


def export_build(*, export_id: int) -> PersonalDataExport | None:
    """Build a queued export's ZIP (``data.json`` and the person's files) in private storage.

    Runs in a worker; claims the row (queued -> building, one more attempt) so a duplicate message does nothing.
    A failure ends ``failed`` with the reason (the person may ask again). Side effects: the file; audit record.
    """
    claimed = BUILDING.claim(export_id)
    export = PersonalDataExport.objects.select_related("user").filter(pk=export_id).first()
    if not claimed or export is None:
        return export
    try:
        data, files = person_data(privacy.DataSubject.for_user(export.user))
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder))
                for name, field_file in files:
                    with field_file.open("rb") as source, archive.open(name, "w") as target:
                        shutil.copyfileobj(source, target, 1024 * 1024)
            size = spool.tell()
            spool.seek(0)
            export.file.save(f"bacuda-my-data-{export.pk}.zip", File(spool), save=False)
    except Exception as error:  # any failure is recorded on the row, for the person to see and ask again
        logger.exception("Personal data export %s failed", export.pk)
        BUILDING.fail(export.pk, error)
        export.refresh_from_db()
        return export
    export.status = ExportStatus.READY
    export.size = size
    export.error = ""
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "size", "error", "finished_at", "updated_at"])
    audit_record(actor=None, action="privacy.export.built", target=export, files=len(files), size=size)
    return export


def exports_sweep(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Re-queue exports a lost message or a killed worker left behind; fail those tried too often.
    Returns ``(requeued, failed)``."""
    return BUILDING.sweep(now=now)


# --- The exports themselves are personal data: kept a few days -------------------------------------------------
def _exports_due(now: dt.datetime):
    cutoff = now - dt.timedelta(days=settings.BACUDA_RETENTION_EXPORT_DAYS)
    return PersonalDataExport.objects.exclude(file="").filter(finished_at__lt=cutoff)


def export_erase(export: PersonalDataExport, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Delete an export's file; the row stays as "expired". Side effects: the file deleted."""
    if not export.file and export.status == ExportStatus.EXPIRED:
        return None
    privacy.delete_file(export.file)
    PersonalDataExport.objects.filter(pk=export.pk).update(file="", status=ExportStatus.EXPIRED, updated_at=now)
    return set()


def _exports_retention() -> str:
    days = settings.BACUDA_RETENTION_EXPORT_DAYS
    return ngettext("%(count)d day after it is prepared.", "%(count)d days after it is prepared.", days) % {
        "count": days
    }


privacy.register(
    privacy.Category(
        key="core.data_exports",
        title=gettext_lazy("Your data exports"),
        purpose=gettext_lazy("To give you a copy of everything the portal holds on you when you ask for it."),
        legal_basis=gettext_lazy("Your request (right of access)."),
        data=gettext_lazy("A ZIP file of your personal data and files, prepared on request."),
        retention=_exports_retention,
        held=lambda: PersonalDataExport.objects.exclude(file=""),
        due=_exports_due,
        due_since="finished_at",
        erase=export_erase,
        of_subject=lambda subject: PersonalDataExport.objects.filter(user_id=subject.user_id).exclude(file=""),
        export=lambda export: {"requested_at": export.created_at, "status": export.status},
        order=90,
        display_order=90,
    )
)
