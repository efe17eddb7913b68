"""Reads of the mailings app: who an audience is (through the owning apps' selectors), the message each
recipient gets, the list of mailings and a mailing's progress."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from bacuda_portal.members import selectors as member_selectors
from scholarships import selectors as scholarship_selectors
from workshops import selectors as workshop_selectors

from .enums import Audience, MessageLanguage, RecipientStatus
from .models import Mailing, MailingRecipient, MailingTemplate
from .placeholders import fill_placeholders

PREVIEW_RECIPIENTS = 10


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str  # their preferred language, English or French
    administration: str


def audience_recipients(
    *, audience: str, workshop=None, region=None, administrations=None, call=None
) -> list[Recipient]:
    """The people an audience names, once per address (case-insensitively; the first row met wins), in the
    owning app's order. Languages other than French count as English (the portal writes in its two languages)."""
    if audience in (Audience.WORKSHOP_PARTICIPANTS, Audience.WORKSHOP_ACCEPTED):
        rows = workshop_selectors.workshop_recipients(workshop, accepted_only=audience == Audience.WORKSHOP_ACCEPTED)
    elif audience == Audience.REGION_CONTACT_POINTS:
        rows = member_selectors.contact_point_recipients(region=region)
    elif audience == Audience.ADMINISTRATION_CONTACT_POINTS:
        rows = member_selectors.contact_point_recipients(administrations=list(administrations or []))
    elif audience == Audience.CALL_APPLICANTS:
        rows = scholarship_selectors.call_recipients(call)
    else:
        raise ValueError(audience)
    seen: set[str] = set()
    recipients = []
    for row in rows:
        email = (row["email"] or "").strip()
        if not email or email.lower() in seen:
            continue
        seen.add(email.lower())
        language = MessageLanguage.FRENCH if row["language"] == MessageLanguage.FRENCH else MessageLanguage.ENGLISH
        recipients.append(
            Recipient(
                email=email, name=row["name"] or "", language=language, administration=row["administration_name"] or ""
            )
        )
    return recipients


def mailing_recipients_now(mailing: Mailing) -> list[Recipient]:
    """Who a (draft) mailing's audience is today."""
    administrations = (
        mailing.administrations.all() if mailing.audience == Audience.ADMINISTRATION_CONTACT_POINTS else None
    )
    return audience_recipients(
        audience=mailing.audience,
        workshop=mailing.workshop,
        region=mailing.region,
        administrations=administrations,
        call=mailing.call,
    )


def message_language(mailing: Mailing, preferred: str) -> str:
    """French for French speakers when the mailing has a French text; English otherwise."""
    return (
        MessageLanguage.FRENCH
        if preferred == MessageLanguage.FRENCH and mailing.has_french
        else MessageLanguage.ENGLISH
    )


def placeholder_values(mailing: Mailing, *, name: str, administration: str, language: str = "en") -> dict:
    """The placeholders' values in the message's language (a workshop's French title where it has one)."""
    workshop = mailing.workshop if mailing.workshop_id else None
    return {
        "name": name,
        "administration": administration,
        "workshop": ((language == "fr" and workshop.title_fr) or workshop.title) if workshop else "",
        "call": str(mailing.call) if mailing.call_id else "",
    }


def rendered_message(mailing: Mailing, *, language: str, name: str, administration: str) -> tuple[str, str]:
    """The subject (with the portal's prefix, on one line) and the text one recipient gets."""
    values = placeholder_values(mailing, name=name, administration=administration, language=language)
    subject = fill_placeholders(getattr(mailing, f"subject_{language}"), values)
    body = fill_placeholders(getattr(mailing, f"body_{language}"), values)
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body


def mailing_preview(mailing: Mailing) -> dict:
    """What the preview page shows before sending: how many recipients, the first of them, how many get each
    language, and the message in each language as the first recipient of that language gets it."""
    recipients = mailing_recipients_now(mailing)
    by_language = {MessageLanguage.ENGLISH: [], MessageLanguage.FRENCH: []}
    for recipient in recipients:
        by_language[recipient.language].append(recipient)
    messages = []
    for language in (MessageLanguage.ENGLISH, MessageLanguage.FRENCH):
        sample = by_language[language][0] if by_language[language] else None
        sent_in = message_language(mailing, language)
        subject, body = rendered_message(
            mailing,
            language=sent_in,
            name=sample.name if sample else gettext("Amina Sample"),
            administration=sample.administration if sample else "",
        )
        messages.append(
            {
                "language": language,
                "label": MessageLanguage(language).label,
                "count": len(by_language[language]),
                "fallback": sent_in != language,
                "sample": sample,
                "subject": subject,
                "body": body,
            }
        )
    return {"count": len(recipients), "first": recipients[:PREVIEW_RECIPIENTS], "messages": messages}


def template_list(*, search: str = "") -> QuerySet[MailingTemplate]:
    templates = MailingTemplate.objects.select_related("created_by").annotate(use_count=Count("mailings"))
    if search:
        templates = templates.filter(
            Q(name__icontains=search) | Q(subject_en__icontains=search) | Q(subject_fr__icontains=search)
        )
    return templates.order_by("name")


def template_choices() -> QuerySet[MailingTemplate]:
    return MailingTemplate.objects.only("pk", "name").order_by("name")


def mailing_list(*, search: str = "", status: str = "", audience: str = "") -> QuerySet[Mailing]:
    """The mailings page and its export, with each mailing's delivery counts (one query, whatever the rows)."""
    mailings = Mailing.objects.select_related("workshop", "region", "call__programme", "created_by").annotate(
        recipient_count=Count("recipients"),
        sent_count=Count("recipients", filter=Q(recipients__status=RecipientStatus.SENT)),
        failed_count=Count("recipients", filter=Q(recipients__status=RecipientStatus.FAILED)),
    )
    if search:
        mailings = mailings.filter(
            Q(subject_en__icontains=search) | Q(subject_fr__icontains=search) | Q(body_en__icontains=search)
        )
    if status:
        mailings = mailings.filter(status=status)
    if audience:
        mailings = mailings.filter(audience=audience)
    return mailings.order_by("-created_at", "-pk")


def mailing_detail(pk: int) -> Mailing | None:
    return (
        Mailing.objects.select_related("workshop", "region", "call__programme", "created_by", "sent_by", "template")
        .prefetch_related("administrations")
        .filter(pk=pk)
        .first()
    )


def mailing_progress(mailing: Mailing) -> dict:
    """``{status: count}`` of the mailing's recipients for every delivery status, and the total."""
    counts = dict(mailing.recipients.values_list("status").annotate(count=Count("pk")).values_list("status", "count"))
    progress = {status: counts.get(status, 0) for status in RecipientStatus.values}
    progress["total"] = sum(counts.values())
    return progress


def recipient_list(mailing: Mailing, *, status: str = "", search: str = "") -> QuerySet[MailingRecipient]:
    recipients = mailing.recipients.all()
    if status:
        recipients = recipients.filter(status=status)
    if search:
        recipients = recipients.filter(Q(email__icontains=search) | Q(name__icontains=search))
    return recipients.order_by("pk")
