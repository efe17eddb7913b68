"""The daily digest: one email per staff member listing the staff events held for them."""

import datetime as dt
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..enums import Kind, Status
from ..models import Notification
from .delivery import notify, recipient_of_user


def digests_send(*, now: dt.datetime | None = None) -> int:
    """For each person with held events: one digest (marked with the day, so a second run that day sends none),
    and the events marked as sent in it. Events held after that day's digest wait for the next one.
    Side effects: the digest rows, queued after commit. Returns how many digests were made."""
    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    held = (
        Notification.objects.filter(status=Status.HELD, user__isnull=False, created_at__lte=now)
        .select_related("user")
        .order_by("user_id", "created_at", "pk")
    )
    made = 0
    for _user_id, rows in groupby(held, key=lambda row: row.user_id):
        rows = list(rows)
        with transaction.atomic():
            digest = notify(
                kind=Kind.DIGEST,
                recipient=recipient_of_user(rows[0].user),
                context={
                    "count": len(rows),
                    "events": [
                        {
                            "subject": row.subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX),
                            "about": row.about_label,
                            "url": row.about_url,
                        }
                        for row in rows
                    ],
                },
                about=rows[0].user,
                occasion=day,
                now=now,
            )
            if digest is None:
                continue  # already sent today
            Notification.objects.filter(pk__in=[row.pk for row in rows], status=Status.HELD).update(
                status=Status.IN_DIGEST, digest=digest, sent_at=now, updated_at=now
            )
            made += 1
    return made
