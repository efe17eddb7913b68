"""Staff's choice of one email per event or one daily digest."""

from django.db import transaction

from bacuda_portal.core.services import audit_record

from ..enums import Delivery
from ..models import NotificationPreference


def delivery_of(user) -> str:
    preference = NotificationPreference.objects.filter(user=user).only("delivery").first()
    return preference.delivery if preference else Delivery.IMMEDIATE


@transaction.atomic
def preference_set(*, user, delivery: str) -> NotificationPreference:
    """Side effects: audit record."""
    if delivery not in Delivery.values:
        raise ValueError(delivery)
    preference, _created = NotificationPreference.objects.update_or_create(user=user, defaults={"delivery": delivery})
    audit_record(actor=user, action="notifications.preference.set", target=preference, delivery=delivery)
    return preference
