"""Personal data of the public website: contact-form messages (registered in the data-protection register).

The category's selectors and its erase service live here, beside its declaration; ``core.privacy`` calls them.
"""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy

from .models import ContactMessage


def contact_messages_due(now: dt.datetime) -> QuerySet[ContactMessage]:
    cutoff = privacy.months_before(now, settings.BACUDA_RETENTION_CONTACT_MESSAGE_MONTHS)
    return ContactMessage.objects.filter(created_at__lt=cutoff)


def contact_messages_of(subject: privacy.DataSubject) -> QuerySet[ContactMessage]:
    return ContactMessage.objects.annotate(address=Lower("email")).filter(address__in=subject.emails)


def contact_message_erase(message: ContactMessage, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Delete a contact message outright: it feeds no statistics. Side effects: the row deleted."""
    deleted, _counts = ContactMessage.objects.filter(pk=message.pk).delete()
    if not deleted:
        return None
    return {message.name, message.email}


def _retention() -> str:
    months = settings.BACUDA_RETENTION_CONTACT_MESSAGE_MONTHS
    return ngettext(
        "%(count)d month after it is received, then deleted.",
        "%(count)d months after it is received, then deleted.",
        months,
    ) % {"count": months}


privacy.register(
    privacy.Category(
        key="website.contact_messages",
        title=_("Contact-form messages"),
        purpose=_("To answer the questions visitors send through the contact form."),
        legal_basis=_("Your request: you wrote to us and expect an answer."),
        data=_("Name, email address, organisation, subject and the message."),
        retention=_retention,
        held=ContactMessage.objects.all,
        due=contact_messages_due,
        due_since="created_at",
        erase=contact_message_erase,
        of_subject=contact_messages_of,
        export=lambda message: {
            "received_at": message.created_at,
            "name": message.name,
            "email": message.email,
            "organisation": message.organisation,
            "subject": message.subject,
            "message": message.message,
        },
        order=30,
        display_order=50,
    )
)
