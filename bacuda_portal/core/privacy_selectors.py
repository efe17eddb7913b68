"""Reads for the data-protection register: per category, how many rows hold personal data, how many are due for
erasure now and since when; and the erasure requests. A few aggregate queries per category, whatever the rows."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from . import privacy
from .models import ErasureRequest, ErasureStatus, PersonalDataExport

DONE_REQUESTS_SHOWN = 20


@dataclass(frozen=True)
class RegisterRow:
    category: privacy.Category
    retention: str
    held: int
    due: int
    oldest_due: Any  # the date or time the oldest due row's period ran from


def register_rows(*, now: dt.datetime | None = None) -> list[RegisterRow]:
    now = now or timezone.now()
    rows = []
    for category in privacy.categories_for_display():
        due = category.due(now).order_by().aggregate(n=Count("pk"), oldest=Min(category.due_since))
        rows.append(
            RegisterRow(
                category=category,
                retention=category.retention(),
                held=category.held().order_by().count(),
                due=due["n"],
                oldest_due=due["oldest"],
            )
        )
    return rows


def pending_erasure_requests() -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(status=ErasureStatus.PENDING).select_related("user").order_by("created_at")


def recent_erasure_requests() -> QuerySet[ErasureRequest]:
    return (
        ErasureRequest.objects.filter(status=ErasureStatus.DONE)
        .select_related("user", "handled_by")
        .order_by("-handled_at")[:DONE_REQUESTS_SHOWN]
    )


def latest_export_of(user) -> PersonalDataExport | None:
    return PersonalDataExport.objects.filter(user=user).order_by("-created_at", "-pk").first()
