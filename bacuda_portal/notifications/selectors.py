"""Reads of the notifications app, with what its pages need."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from .kinds import KINDS
from .models import Notification, NotificationTemplate


def template_list() -> list[NotificationTemplate]:
    """Every kind's template, in the order of the kinds (a kind without a row is shown with its defaults)."""
    rows = {template.kind: template for template in NotificationTemplate.objects.select_related("updated_by")}
    return [rows.get(kind) or NotificationTemplate(kind=kind) for kind in KINDS]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def notification_log(
    *, search: str = "", kind: str = "", status: str = "", date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Notification]:  # fmt: skip
    """The delivery log, newest first: search the recipient, subject and object; filter by kind, status and the
    day it was made."""
    rows = Notification.objects.all()
    if search:
        rows = rows.filter(Q(email__icontains=search) | Q(subject__icontains=search) | Q(about_label__icontains=search))
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if date_from:
        rows = rows.filter(created_at__gte=_day_start(date_from))
    if date_to:
        rows = rows.filter(created_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return rows.order_by("-created_at", "-pk")
