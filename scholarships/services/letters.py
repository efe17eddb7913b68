"""Decision letters: drafted from the call's templates, edited and approved by staff, sent by a worker
(background work: ``core.background``)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from bacuda_portal.core.background import Lifecycle
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from ..enums import (
    DecisionOutcome,
    LetterStatus,
)
from ..models import (
    Application,
    Call,
    Decision,
    Letter,
    LetterTemplate,
)
from ..placeholders import fill_placeholders
from .common import _now

DEFAULT_LETTERS = {
    DecisionOutcome.SELECTED: (
        "Your BACUDA scholarship application: selected",
        "Dear {{ full_name }},\n\nWe are pleased to tell you that you have been selected for {{ call }} at "
        "{{ university }}.\n\nPlease accept or decline this offer before {{ reply_by }} on your application "
        "page: {{ status_url }}\n\nWith our congratulations,\nThe BACUDA team, World Customs Organization",
        "Votre candidature à la bourse BACUDA : retenue",
        "Madame, Monsieur {{ full_name }},\n\nNous avons le plaisir de vous informer que votre candidature à "
        "{{ call }} à {{ university }} a été retenue.\n\nMerci d'accepter ou de refuser cette offre avant le "
        "{{ reply_by }} sur la page de votre candidature : {{ status_url }}\n\nAvec nos félicitations,\n"
        "L'équipe BACUDA, Organisation mondiale des douanes",
    ),
    DecisionOutcome.RESERVE: (
        "Your BACUDA scholarship application: reserve list",
        "Dear {{ full_name }},\n\nYour application to {{ call }} is number {{ reserve_rank }} on the reserve "
        "list. If a seat becomes free, we will offer it to you.\n\n{{ status_url }}\n\nThe BACUDA team, "
        "World Customs Organization",
        "Votre candidature à la bourse BACUDA : liste de réserve",
        "Madame, Monsieur {{ full_name }},\n\nVotre candidature à {{ call }} figure au rang {{ reserve_rank }} "
        "de la liste de réserve. Si une place se libère, nous vous la proposerons.\n\n{{ status_url }}\n\n"
        "L'équipe BACUDA, Organisation mondiale des douanes",
    ),
    DecisionOutcome.NOT_SELECTED: (
        "Your BACUDA scholarship application",
        "Dear {{ full_name }},\n\nThank you for applying to {{ call }}. We regret that your application was not "
        "selected this time.\n\nThe BACUDA team, World Customs Organization",
        "Votre candidature à la bourse BACUDA",
        "Madame, Monsieur {{ full_name }},\n\nNous vous remercions de votre candidature à {{ call }}. Nous avons "
        "le regret de vous informer qu'elle n'a pas été retenue cette fois-ci.\n\nL'équipe BACUDA, "
        "Organisation mondiale des douanes",
    ),
}


def letter_template_for(*, call: Call, outcome: str) -> LetterTemplate:
    """The call's template for an outcome, created from the default text the first time."""
    subject_en, body_en, subject_fr, body_fr = DEFAULT_LETTERS[outcome]
    template, _created = LetterTemplate.objects.get_or_create(
        call=call,
        outcome=outcome,
        defaults={"subject_en": subject_en, "body_en": body_en, "subject_fr": subject_fr, "body_fr": body_fr},
    )
    return template


def letter_template_or_default(*, call: Call, outcome: str) -> LetterTemplate:
    """The call's template for an outcome, or an unsaved one with the default text (a read: nothing written)."""
    template = LetterTemplate.objects.filter(call=call, outcome=outcome).first()
    if template is None:
        subject_en, body_en, subject_fr, body_fr = DEFAULT_LETTERS[outcome]
        template = LetterTemplate(
            call=call, outcome=outcome, subject_en=subject_en, body_en=body_en, subject_fr=subject_fr, body_fr=body_fr
        )
    return template


def letter_values(
    *,
    call: Call,
    application: Application | None,
    reply_by: dt.datetime | None,
    reserve_rank: int | None,
    language: str,
) -> dict:
    """What the placeholders of a letter stand for, in the letter's language (the reply-by moment in the portal's
    date policy, the page address in that language); without an application, a sample applicant's."""
    with translation.override(language):
        return {
            "full_name": application.full_name if application is not None else _("Amina Sample"),
            "call": str(call),
            "programme": str(call.programme),
            "university": call.partner_university,
            "reply_by": formats.date_format(timezone.localtime(reply_by), "DATETIME_FORMAT") if reply_by else "",
            "reserve_rank": reserve_rank or "",
            "status_url": settings.SITE_URL
            + (application.get_absolute_url() if application is not None else call.get_absolute_url()),
        }


def letter_preview(
    *, call: Call, outcome: str, texts: dict, application: Application | None, now: dt.datetime | None = None
) -> dict:
    """The letter a template gives for a sample application, in both languages (a read: nothing written).
    ``texts`` holds ``subject_en``, ``body_en``, ``subject_fr``, ``body_fr``; the reply-by date is the one an
    offer made now would carry, the reserve rank 1."""
    reply_by = _now(now) + dt.timedelta(days=call.offer_reply_days) if outcome == DecisionOutcome.SELECTED else None
    reserve_rank = 1 if outcome == DecisionOutcome.RESERVE else None
    filled = {}
    for language in ("en", "fr"):
        values = letter_values(
            call=call, application=application, reply_by=reply_by, reserve_rank=reserve_rank, language=language
        )
        for part in ("subject", "body"):
            filled[f"{part}_{language}"] = fill_placeholders(texts.get(f"{part}_{language}") or "", values)
    return filled


def letter_draft(*, decision: Decision) -> Letter | None:
    """Draft the letter of a released decision into the outbox, from the call's template in the applicant's
    language. Nothing for an anonymised application (no address)."""
    application = decision.application
    applicant = application.applicant
    if applicant is None:
        return None
    template = letter_template_for(call=decision.call, outcome=decision.outcome)
    language = "fr" if applicant.preferred_language == "fr" else "en"
    values = letter_values(
        call=decision.call,
        application=application,
        reply_by=decision.reply_by,
        reserve_rank=decision.reserve_rank,
        language=language,
    )
    return Letter.objects.create(
        application=application,
        call=decision.call,
        outcome=decision.outcome,
        to=applicant.email,
        language=language,
        subject=fill_placeholders(getattr(template, f"subject_{language}"), values),
        body=fill_placeholders(getattr(template, f"body_{language}"), values),
    )


@transaction.atomic
def letter_update(*, letter: Letter, subject: str, body: str, by: User) -> Letter:
    """Staff edit a letter in the outbox before approving it. Side effects: audit record."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterStatus.DRAFT:
        raise TransitionError(_("Only a letter still to review can be edited."))
    if not subject.strip() or not body.strip():
        raise ValidationError(_("A letter needs a subject and a text."))
    letter.subject, letter.body = subject.strip(), body.strip()
    letter.save(update_fields=["subject", "body", "updated_at"])
    audit_record(actor=by, action="scholarships.letter.edited", target=letter)
    return letter


MAX_SEND_ATTEMPTS = 5

SENDING = Lifecycle(
    model=Letter,
    waiting=LetterStatus.APPROVED,
    working=LetterStatus.SENDING,
    failed=LetterStatus.FAILED,
    task="scholarships.send_letter",
    id_argument="letter_id",
    sweep_action="scholarships.letters.sweep",
    retry_action="scholarships.letter.retried",
    stale_after=dt.timedelta(minutes=10),
    max_attempts=MAX_SEND_ATTEMPTS,
)


@transaction.atomic
def letter_approve(*, letter: Letter, by: User, now: dt.datetime | None = None) -> Letter:
    """Draft -> approved; a worker sends it once the transaction commits.

    Side effects: audit record; ``scholarships.send_letter`` queued on ``default`` after commit.
    """
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterStatus.DRAFT:
        raise TransitionError(_("This letter has already been approved."))
    letter.status = LetterStatus.APPROVED
    letter.approved_by = by
    letter.approved_at = letter.queued_at = _now(now)
    letter.save(update_fields=["status", "approved_by", "approved_at", "queued_at", "updated_at"])
    audit_record(actor=by, action="scholarships.letter.approved", target=letter)
    SENDING.enqueue(letter.pk)
    return letter


def letter_send(*, letter_id: int, now: dt.datetime | None = None) -> Letter | None:
    """Send an approved letter (the worker's job). Claims it (approved -> sending, one more attempt), so a letter
    already sent or sending, a draft, or a failed one is left alone.

    Side effects: one email; the letter marked sent. A send that raises goes back to approved with the reason
    while attempts remain (the exception re-raised, so that the task retries), and ends failed after
    MAX_SEND_ATTEMPTS.
    """
    claimed = SENDING.claim(letter_id, now=now)
    letter = Letter.objects.filter(pk=letter_id).first()
    if not claimed or letter is None:
        return letter
    try:
        EmailMessage(subject=letter.subject, body=letter.body, to=[letter.to]).send()
    except Exception as error:
        if SENDING.fail_or_retry(letter_id, error, now=now):
            raise
        letter.refresh_from_db()
        return letter
    letter.status = LetterStatus.SENT
    letter.sent_at = letter.finished_at = _now(now)
    letter.error = ""
    letter.save(update_fields=["status", "sent_at", "finished_at", "error", "updated_at"])
    audit_record(actor=None, action="scholarships.letter.sent", target=letter)
    return letter


def letters_sweep(*, now: dt.datetime | None = None, stale_after: dt.timedelta | None = None) -> tuple[int, int]:
    """Re-queue letters a lost message or a killed worker left approved or sending; fail those tried
    MAX_SEND_ATTEMPTS times. Side effects: the sending task for each re-queued letter; one audit record when
    anything changed. Returns ``(requeued, failed)``."""
    return SENDING.sweep(now=now, stale_after=stale_after)
