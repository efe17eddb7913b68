"""Notifications, one log row per message: created where the event happens, sent by a worker.

A service calls ``notify_staff``, ``notify_contact_points``, ``notify_user`` or ``notify`` in its transaction;
the message is rendered at once in the recipient's language from the kind's template, logged, and queued for
``notifications.send`` once the transaction commits (``core.background``). A staff member who chose the daily
digest gets staff events held for it instead. A reminder passes an ``occasion``: the log's unique constraint on
(kind, recipient, object, occasion) makes a second attempt do nothing.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from bacuda_portal.core.background import Lifecycle
from bacuda_portal.members import selectors as member_selectors

from ..enums import Delivery, Status
from ..kinds import STAFF_KINDS
from ..models import Notification
from ..rendering import render
from .preferences import delivery_of
from .templates import template_for

SENDING = Lifecycle(
    model=Notification,
    waiting=Status.QUEUED,
    working=Status.SENDING,
    failed=Status.FAILED,
    task="notifications.send",
    id_argument="notification_id",
    sweep_action="notifications.sweep",
    retry_action="notifications.notification.retried",
    stale_after=dt.timedelta(minutes=10),
    max_attempts=5,
)

# A link is a named URL and its arguments (reversed in the recipient's language) or a full address.
Link = tuple[str, dict] | str | None


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str = ""
    user: object | None = None


def recipient_of_user(user) -> Recipient:
    language = user.preferred_language if user.preferred_language in ("en", "fr") else "en"
    return Recipient(email=user.email, language=language, name=user.full_name or user.email, user=user)


def _about_key(about) -> str:
    return f"{about._meta.label_lower}:{about.pk}" if about is not None else ""


def _url(link: Link, language: str) -> str:
    if not link:
        return ""
    if isinstance(link, str):
        return link
    name, kwargs = link
    with translation.override(language):
        try:
            return settings.SITE_URL + reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return settings.SITE_URL


def notify(
    *,
    kind: str,
    recipient: Recipient,
    context: dict,
    about=None,
    link: Link = None,
    occasion: str = "",
    now: dt.datetime | None = None,
) -> Notification | None:
    """Log one message and queue it after commit (or hold it for the staff member's digest).

    Returns the row, or None when this reminder (kind, recipient, object, occasion) was already sent or the
    recipient has no address. Side effects: the log row; ``notifications.send`` after commit.
    """
    if not recipient.email:
        return None
    about_key = _about_key(about)
    if (
        occasion
        and Notification.objects.filter(
            kind=kind, email=recipient.email, about_key=about_key, occasion=occasion
        ).exists()
    ):
        return None
    url = _url(link, recipient.language)
    template = template_for(kind)
    message = render(
        kind=kind,
        subject=getattr(template, f"subject_{recipient.language}"),
        text=getattr(template, f"text_{recipient.language}"),
        context={"recipient_name": recipient.name, "url": url, **context},
        language=recipient.language,
    )
    held = kind in STAFF_KINDS and recipient.user is not None and delivery_of(recipient.user) == Delivery.DIGEST
    now = now or timezone.now()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind,
                user=recipient.user,
                email=recipient.email,
                language=recipient.language,
                subject=message.subject,
                text=message.text,
                status=Status.HELD if held else Status.QUEUED,
                queued_at=None if held else now,
                about_label=str(about)[:300] if about is not None else "",
                about_url=url[:500],
                about_key=about_key,
                occasion=occasion,
            )
    except IntegrityError:
        return None  # another sweep logged this reminder meanwhile
    if not held:
        SENDING.enqueue(notification.pk)
    return notification


def notify_user(*, kind: str, user, context: dict, about=None, link: Link = None, occasion: str = "", now=None):
    return notify(
        kind=kind, recipient=recipient_of_user(user), context=context, about=about, link=link, occasion=occasion,
        now=now,
    )  # fmt: skip


def notify_users(*, kind: str, users: Iterable, **options) -> list[Notification]:
    return [row for user in users if (row := notify_user(kind=kind, user=user, **options)) is not None]


def notify_staff(*, kind: str, context: dict, about=None, link: Link = None, now=None) -> list[Notification]:
    """Every active staff member (immediately or in their digest, as each chose)."""
    return notify_users(
        kind=kind, users=member_selectors.active_staff(), context=context, about=about, link=link, now=now
    )


def notify_contact_points(
    *, kind: str, administration_ids: Iterable[int], context: dict, about=None, link: Link = None,
    occasion: str = "", now=None,
) -> list[Notification]:  # fmt: skip
    """The active contact points of these administrations."""
    return notify_users(
        kind=kind, users=member_selectors.active_contact_point_users(administration_ids), context=context,
        about=about, link=link, occasion=occasion, now=now,
    )  # fmt: skip


def notification_send(*, notification_id: int, now: dt.datetime | None = None) -> Notification | None:
    """Send one queued message (the worker's job). Claims it (queued -> sending), so a duplicate message, a sent
    or a held one is left alone. Side effects: one email; the row marked sent. A send that raises goes back to
    queued with the reason while attempts remain (re-raised, so that the task retries), failed after that."""
    claimed = SENDING.claim(notification_id, now=now)
    notification = Notification.objects.filter(pk=notification_id).first()
    if not claimed or notification is None:
        return notification
    try:
        EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.email],
        ).send()
    except Exception as error:
        if SENDING.fail_or_retry(notification_id, error, now=now):
            raise
        notification.refresh_from_db()
        return notification
    moment = now or timezone.now()
    Notification.objects.filter(pk=notification_id).update(
        status=Status.SENT, sent_at=moment, finished_at=moment, error="", updated_at=moment
    )
    notification.refresh_from_db()
    return notification


def notifications_sweep(*, now=None, stale_after: dt.timedelta | None = None) -> tuple[int, int]:
    """Re-queue messages a lost broker message or a killed worker left queued or sending; fail them after five
    attempts. Returns ``(requeued, failed)``."""
    return SENDING.sweep(now=now, stale_after=stale_after)
