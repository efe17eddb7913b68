"""The notifications' delivery log in the data-protection register: each row names its recipient and holds the
text sent to them. Erasure keeps the row (kind, status and dates count messages) without address, text or name.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy

from .models import Notification


def notifications_held() -> QuerySet[Notification]:
    return Notification.objects.exclude(email__iendswith="@" + privacy.ERASED_DOMAIN)


def notifications_due(now: dt.datetime) -> QuerySet[Notification]:
    cutoff = privacy.months_before(now, settings.BACUDA_RETENTION_NOTIFICATION_MONTHS)
    return notifications_held().filter(created_at__lt=cutoff)


def notifications_of(subject: privacy.DataSubject) -> QuerySet[Notification]:
    by_address = Q(address__in=subject.emails)
    by_account = Q(user_id=subject.user_id) if subject.user_id else Q(pk__in=[])
    return notifications_held().annotate(address=Lower("email")).filter(by_address | by_account)


@transaction.atomic
def notification_erase(notification: Notification, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Replace the address, subject, text and label; unlink the account. Side effects: the row."""
    row = Notification.objects.select_for_update().get(pk=notification.pk)
    if privacy.is_erased_email(row.email):
        return None
    removed = {row.email}
    row.email = privacy.erased_email("notification")
    row.user = None
    row.subject = row.text = privacy.AUDIT_REPLACEMENT
    row.about_label = ""
    row.save(update_fields=["email", "user", "subject", "text", "about_label", "updated_at"])
    return removed


def _retention() -> str:
    months = settings.BACUDA_RETENTION_NOTIFICATION_MONTHS
    return ngettext(
        "%(count)d month after the message, then the address and the text are erased.",
        "%(count)d months after the message, then the address and the text are erased.",
        months,
    ) % {"count": months}


privacy.register(
    privacy.Category(
        key="notifications.log",
        title=_("Notifications and reminders sent"),
        purpose=_("To tell people what the portal needs from them and to check that each message went out."),
        legal_basis=_("The WCO's legitimate interest in running the project's workflows."),
        data=_("Recipient's email address and language, the subject and text of each message, and when it was sent."),
        retention=_retention,
        held=notifications_held,
        due=notifications_due,
        due_since="created_at",
        erase=notification_erase,
        of_subject=notifications_of,
        export=lambda row: {
            "kind": row.kind,
            "email": row.email,
            "language": row.language,
            "subject": row.subject,
            "text": row.text,
            "status": row.status,
            "created_at": row.created_at,
            "sent_at": row.sent_at,
        },
        order=20,
        display_order=90,
    )
)
