"""Writes of the notifications app: templates, preferences, delivery (events, reminders, digest).

One module per part; this package re-exports them, so callers write ``notifications.services.notify_staff``.
"""

from .delivery import (
    SENDING,
    Recipient,
    notification_send,
    notifications_sweep,
    notify,
    notify_contact_points,
    notify_staff,
    notify_user,
    recipient_of_user,
)
from .digest import digests_send
from .preferences import delivery_of, preference_set
from .reminders import reminders_run
from .templates import template_for, template_save, templates_seed

__all__ = [
    "SENDING",
    "Recipient",
    "delivery_of",
    "digests_send",
    "notification_send",
    "notifications_sweep",
    "notify",
    "notify_contact_points",
    "notify_staff",
    "notify_user",
    "preference_set",
    "recipient_of_user",
    "reminders_run",
    "template_for",
    "template_save",
    "templates_seed",
]
