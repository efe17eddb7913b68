"""Writes of the mailings app: templates saved, a mailing drafted, confirmed and sent by a worker one email per
recipient, its failed recipients tried again. Each write is audited.

Sending is at most once per recipient: before a message goes out its recipient is marked *sending*, after it
*sent* or *failed* with the reason. A run that restarts (a retried task, a worker killed, the sweep) sends only
to recipients still *queued*; one left *sending* by an interrupted run may or may not have had the mail, so it
is marked failed with that reason and is sent again only when staff ask ("retry failed").
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.background import Lifecycle, error_text
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record

from . import selectors
from .enums import Audience, MailingStatus, RecipientStatus
from .models import Mailing, MailingRecipient, MailingTemplate
from .placeholders import placeholder_problems

TEXT_FIELDS = ("subject_en", "body_en", "subject_fr", "body_fr")
INTERRUPTED = "Interrupted while this message was being sent: it may or may not have arrived. Retry to send it again."

SENDING = Lifecycle(
    model=Mailing,
    waiting=MailingStatus.QUEUED,
    working=MailingStatus.SENDING,
    failed=MailingStatus.FAILED,
    task="mailings.send_mailing",
    id_argument="mailing_id",
    sweep_action="mailings.sweep",
    retry_action="mailings.mailing.requeued",
    stale_after=dt.timedelta(minutes=10),
)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def check_texts(texts: dict, *, audience: str | None) -> None:
    """Refuse an English text without subject or body, half a French text, and bad placeholders (``audience``
    None for a template: any known placeholder). Raises ValidationError naming the fields."""
    errors: dict[str, list[str]] = {}
    for field in ("subject_en", "body_en"):
        if not (texts.get(field) or "").strip():
            errors.setdefault(field, []).append(_("The English subject and text are required."))
    subject_fr, body_fr = (texts.get("subject_fr") or "").strip(), (texts.get("body_fr") or "").strip()
    if bool(subject_fr) != bool(body_fr):
        field = "body_fr" if subject_fr else "subject_fr"
        errors.setdefault(field, []).append(
            _("Give both the French subject and the French text, or neither (French speakers then get the English).")
        )
    for field in TEXT_FIELDS:
        problems = placeholder_problems(texts.get(field) or "", audience=audience)
        if problems:
            errors.setdefault(field, []).extend(problems)
    if errors:
        raise ValidationError(errors)


def _clean_texts(texts: dict) -> dict:
    return {field: (texts.get(field) or "").strip() for field in TEXT_FIELDS}


# --- Templates ---------------------------------------------------------------------------------------------
@transaction.atomic
def template_create(*, name: str, by, **texts) -> MailingTemplate:
    """Side effects: audit record."""
    check_texts(texts, audience=None)
    if MailingTemplate.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("A template of this name exists already.")})
    template = MailingTemplate.objects.create(name=name.strip(), created_by=by, **_clean_texts(texts))
    audit_record(actor=by, action="mailings.template.created", target=template)
    return template


@transaction.atomic
def template_update(*, template: MailingTemplate, name: str, by, **texts) -> MailingTemplate:
    """Side effects: audit record. Mailings started from it keep their own copy of the text."""
    check_texts(texts, audience=None)
    if MailingTemplate.objects.filter(name__iexact=name.strip()).exclude(pk=template.pk).exists():
        raise ValidationError({"name": _("A template of this name exists already.")})
    template.name = name.strip()
    for field, value in _clean_texts(texts).items():
        setattr(template, field, value)
    template.save()
    audit_record(actor=by, action="mailings.template.updated", target=template)
    return template


# --- Drafting --------------------------------------------------------------------------------------------
def _check_audience(*, audience: str, workshop, region, administrations, call) -> None:
    needed = {
        Audience.WORKSHOP_PARTICIPANTS: ("workshop", workshop),
        Audience.WORKSHOP_ACCEPTED: ("workshop", workshop),
        Audience.REGION_CONTACT_POINTS: ("region", region),
        Audience.ADMINISTRATION_CONTACT_POINTS: ("administrations", list(administrations or [])),
        Audience.CALL_APPLICANTS: ("call", call),
    }
    if audience not in needed:
        raise ValidationError({"audience": _("Choose who the mailing is for.")})
    field, value = needed[audience]
    if not value:
        messages = {
            "workshop": _("Choose the workshop."),
            "region": _("Choose the region."),
            "administrations": _("Choose at least one administration."),
            "call": _("Choose the scholarship call."),
        }
        raise ValidationError({field: messages[field]})


def _apply(mailing: Mailing, *, audience, workshop, region, administrations, call, template, texts) -> None:
    is_workshop = audience in (Audience.WORKSHOP_PARTICIPANTS, Audience.WORKSHOP_ACCEPTED)
    mailing.audience = audience
    mailing.workshop = workshop if is_workshop else None
    mailing.region = region if audience == Audience.REGION_CONTACT_POINTS else None
    mailing.call = call if audience == Audience.CALL_APPLICANTS else None
    mailing.template = template
    for field, value in _clean_texts(texts).items():
        setattr(mailing, field, value)
    mailing.full_clean(exclude=["administrations"])
    mailing.save()
    chosen = list(administrations or []) if audience == Audience.ADMINISTRATION_CONTACT_POINTS else []
    mailing.administrations.set(chosen)


@transaction.atomic
def mailing_create(
    *, audience: str, by, workshop=None, region=None, administrations=None, call=None, template=None, **texts
) -> Mailing:
    """A draft mailing: nothing is sent until it is confirmed. Side effects: audit record."""
    _check_audience(audience=audience, workshop=workshop, region=region, administrations=administrations, call=call)
    check_texts(texts, audience=audience)
    mailing = Mailing(created_by=by)
    _apply(mailing, audience=audience, workshop=workshop, region=region, administrations=administrations, call=call,
           template=template, texts=texts)  # fmt: skip
    audit_record(actor=by, action="mailings.mailing.created", target=mailing, audience=audience)
    return mailing


@transaction.atomic
def mailing_update(
    *, mailing: Mailing, audience: str, by, workshop=None, region=None, administrations=None, call=None,
    template=None, **texts,
) -> Mailing:  # fmt: skip
    """Change a draft. Side effects: audit record."""
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status != MailingStatus.DRAFT:
        raise TransitionError(_("Only a draft mailing can be changed."))
    _check_audience(audience=audience, workshop=workshop, region=region, administrations=administrations, call=call)
    check_texts(texts, audience=audience)
    _apply(mailing, audience=audience, workshop=workshop, region=region, administrations=administrations, call=call,
           template=template, texts=texts)  # fmt: skip
    audit_record(actor=by, action="mailings.mailing.updated", target=mailing)
    return mailing


# --- Sending ---------------------------------------------------------------------------------------------
@transaction.atomic
def mailing_confirm(*, mailing: Mailing, by, expected_count: int, now: dt.datetime | None = None) -> Mailing:
    """Draft -> queued: the audience is resolved now and fixed as the mailing's recipients (one per address,
    each with the language of the message they get), and a worker sends it once the transaction commits.
    ``expected_count`` is the count the preview showed: when the audience changed since, nothing is sent.

    Side effects: the recipients; audit record; ``mailings.send_mailing`` queued after commit.
    """
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status != MailingStatus.DRAFT:
        raise TransitionError(_("This mailing has already been sent."))
    recipients = selectors.mailing_recipients_now(mailing)
    if not recipients:
        raise TransitionError(_("This audience has nobody to write to."))
    if len(recipients) != expected_count:
        raise TransitionError(
            _("The audience changed since the preview (%(count)d recipients now): check the preview again.")
            % {"count": len(recipients)}
        )
    MailingRecipient.objects.bulk_create(
        MailingRecipient(
            mailing=mailing,
            email=recipient.email,
            name=recipient.name[:200],
            administration=recipient.administration[:200],
            preferred_language=recipient.language,
            language=selectors.message_language(mailing, recipient.language),
        )
        for recipient in recipients
    )
    mailing.status = MailingStatus.QUEUED
    mailing.sent_by = by
    mailing.queued_at = _now(now)
    mailing.save(update_fields=["status", "sent_by", "queued_at", "updated_at"])
    audit_record(actor=by, action="mailings.mailing.confirmed", target=mailing, recipients=len(recipients))
    SENDING.enqueue(mailing.pk)
    return mailing


def mailing_send(*, mailing_id: int, now: dt.datetime | None = None) -> Mailing | None:
    """Send a confirmed mailing (the worker's job): one email per recipient still queued, each marked sending
    before and sent or failed (with the reason) after. Claims the mailing first (queued -> sending), so a
    duplicate message does nothing. Recipients an interrupted run left sending are marked failed (see the
    module's note). Side effects: the emails; the recipients' and the mailing's status; audit record."""
    if not SENDING.claim(mailing_id, now=now):
        return Mailing.objects.filter(pk=mailing_id).first()
    mailing = Mailing.objects.select_related("workshop", "call__programme").get(pk=mailing_id)
    MailingRecipient.objects.filter(mailing=mailing, status=RecipientStatus.SENDING).update(
        status=RecipientStatus.FAILED, error=INTERRUPTED
    )
    queued = MailingRecipient.objects.filter(mailing=mailing, status=RecipientStatus.QUEUED)
    for recipient_id in list(queued.order_by("pk").values_list("pk", flat=True)):
        _send_to(mailing, recipient_id)
    return mailing_finish(mailing=mailing, now=now)


def _send_to(mailing: Mailing, recipient_id: int) -> None:
    """One recipient: marked sending (or left alone when no longer queued), sent, marked sent or failed."""
    marked = MailingRecipient.objects.filter(pk=recipient_id, status=RecipientStatus.QUEUED).update(
        status=RecipientStatus.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not marked:
        return
    recipient = MailingRecipient.objects.get(pk=recipient_id)
    try:
        subject, body = selectors.rendered_message(
            mailing, language=recipient.language, name=recipient.name, administration=recipient.administration
        )
        EmailMessage(subject=subject, body=body, to=[recipient.email]).send()
    except Exception as error:  # any failure of this one message is recorded; the others still go out
        MailingRecipient.objects.filter(pk=recipient_id).update(
            status=RecipientStatus.FAILED, error=error_text(error), updated_at=timezone.now()
        )
    else:
        MailingRecipient.objects.filter(pk=recipient_id).update(
            status=RecipientStatus.SENT, error="", sent_at=timezone.now(), updated_at=timezone.now()
        )
    # A sign of life for the sweep, which re-queues a mailing left sending without one for ``stale_after``.
    Mailing.objects.filter(pk=mailing.pk).update(updated_at=timezone.now())


def mailing_finish(*, mailing: Mailing, now: dt.datetime | None = None) -> Mailing:
    """Sending -> sent, or sent with failures when any recipient failed. Side effects: audit record."""
    progress = selectors.mailing_progress(mailing)
    status = MailingStatus.PARTLY_SENT if progress[RecipientStatus.FAILED] else MailingStatus.SENT
    Mailing.objects.filter(pk=mailing.pk, status=MailingStatus.SENDING).update(
        status=status, finished_at=_now(now), error="", updated_at=_now(now)
    )
    mailing.refresh_from_db()
    audit_record(
        actor=None, action="mailings.mailing.sent", target=mailing,
        sent=progress[RecipientStatus.SENT], failed=progress[RecipientStatus.FAILED],
    )  # fmt: skip
    return mailing


@transaction.atomic
def mailing_retry_failed(*, mailing: Mailing, by, now: dt.datetime | None = None) -> int:
    """Queue the failed recipients again and send the mailing to them (sent ones are never sent again).
    Side effects: the recipients' status; audit record; ``mailings.send_mailing`` queued after commit.
    Returns how many recipients were queued again."""
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status not in (MailingStatus.PARTLY_SENT, MailingStatus.FAILED):
        raise TransitionError(_("Only a mailing that ended with failures can be retried."))
    again = MailingRecipient.objects.filter(mailing=mailing, status=RecipientStatus.FAILED).update(
        status=RecipientStatus.QUEUED, error="", updated_at=_now(now)
    )
    if not again and not mailing.recipients.filter(status=RecipientStatus.QUEUED).exists():
        raise TransitionError(_("No recipient of this mailing failed."))
    Mailing.objects.filter(pk=mailing.pk).update(
        status=MailingStatus.QUEUED, attempts=0, error="", queued_at=_now(now), started_at=None, finished_at=None,
        updated_at=_now(now),
    )  # fmt: skip
    audit_record(actor=by, action="mailings.mailing.retried", target=mailing, recipients=again)
    SENDING.enqueue(mailing.pk)
    return again


def mailings_sweep(*, now: dt.datetime | None = None, stale_after: dt.timedelta | None = None) -> tuple[int, int]:
    """Re-queue mailings a lost message or a killed worker left queued or sending; fail those tried three times.
    Side effects: the sending task for each re-queued mailing; one audit record when anything changed."""
    return SENDING.sweep(now=now, stale_after=stale_after)
