"""Personal calendar feeds: a person makes, replaces or stops the secret link their calendar app subscribes to."""

import secrets

from django.db import transaction

from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new secret key for the user's feed (the old link stops working). Side effects: audit record."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    if not _created:
        feed.key = secrets.token_urlsafe(32)
        feed.save(update_fields=["key", "updated_at"])
    audit_record(actor=user, action="workshops.calendar_feed.renewed", target=feed)
    return feed


@transaction.atomic
def calendar_feed_stop(*, user: User) -> None:
    """The user's feed link stops working. Side effects: audit record when there was one."""
    deleted, _detail = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, action="workshops.calendar_feed.stopped")
