"""Staff mailings' recipients in the data-protection register: the name and address of each person a mailing
went to, with the delivery outcome. The category's selectors and erase service live here.

Erasure pseudonymises the row (the name becomes ``[erased mailing recipient #n]``, the address an invalid one):
the mailing's counts of sent and failed messages stay true.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy

from .models import MailingRecipient


def recipients_held() -> QuerySet[MailingRecipient]:
    return MailingRecipient.objects.exclude(email__iendswith="@" + privacy.ERASED_DOMAIN)


def recipients_due(now: dt.datetime) -> QuerySet[MailingRecipient]:
    cutoff = privacy.months_before(now, settings.BACUDA_RETENTION_MAILING_RECIPIENT_MONTHS)
    return recipients_held().filter(mailing__created_at__lt=cutoff).order_by("mailing__created_at", "pk")


def recipients_of(subject: privacy.DataSubject) -> QuerySet[MailingRecipient]:
    return (
        recipients_held().annotate(address=Lower("email")).filter(address__in=subject.emails).select_related("mailing")
    )


@transaction.atomic
def recipient_erase(recipient: MailingRecipient, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Replace the recipient's name and address. Side effects: the row."""
    recipient = MailingRecipient.objects.select_for_update().get(pk=recipient.pk)
    if privacy.is_erased_email(recipient.email):
        return None
    removed = {recipient.email, recipient.name}
    recipient.email = privacy.erased_email("recipient")
    recipient.name = privacy.pseudonym("mailing recipient", recipient.pk)
    recipient.save(update_fields=["email", "name", "updated_at"])
    return removed


def _retention() -> str:
    months = settings.BACUDA_RETENTION_MAILING_RECIPIENT_MONTHS
    return ngettext(
        "%(count)d month after the mailing was written, then the name and address are erased.",
        "%(count)d months after the mailing was written, then the name and address are erased.",
        months,
    ) % {"count": months}


privacy.register(
    privacy.Category(
        key="mailings.recipients",
        title=_("Recipients of staff mailings"),
        purpose=_(
            "To write to workshop participants, contact points and applicants, and to know who got each message."
        ),
        legal_basis=_(
            "The WCO's delivery of the project: the workshops, the network of contact points and the scholarships."
        ),
        data=_("Name, email address, administration, language and whether the message was delivered."),
        retention=_retention,
        held=recipients_held,
        due=recipients_due,
        due_since="mailing__created_at",
        erase=recipient_erase,
        of_subject=recipients_of,
        export=lambda recipient: {
            "mailing": recipient.mailing_id,
            "subject": recipient.mailing.subject_en,
            "email": recipient.email,
            "language": recipient.language,
            "delivery": recipient.status,
            "sent_at": recipient.sent_at,
        },
        order=20,
        display_order=85,
    )
)
