"""The inbox's item: one piece of pending work a user may act on, with the page where it is done.

Each app answers for its own pending work (an ``inbox_items(user, ...)`` selector in its ``selectors``, which
asks the app's ``access`` what the user may act on); the project package (``bacuda_portal/inbox.py``) collects
them for the inbox page, the homes and the header's count. An item is usually a group ("3 nominations to decide
for workshop X"): the page where the work is done lists the rows, so the inbox's queries do not grow with them.
This module knows nothing of the apps.
"""

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

SINCE, DUE, STARTS = "since", "due", "starts"


class Urgency(IntEnum):
    """How soon the work is due: overdue or blocking others first, then the usual, then what can wait."""

    LOW = 1
    NORMAL = 2
    HIGH = 3


@dataclass(frozen=True)
class InboxItem:
    title: Any  # text or a lazy translation
    url: str
    category: Any  # the group it is shown under ("Workshops", "Scholarships"...)
    detail: Any = ""
    count: int | None = None  # how many rows wait behind the item, when it stands for several
    date: dt.date | dt.datetime | None = None  # what ``date_kind`` says
    date_kind: str = "since"  # SINCE: since when it waits; DUE: its deadline; STARTS: when its workshop starts
    urgency: Urgency = Urgency.NORMAL

    @property
    def weight(self) -> int:
        """How many things the item stands for in the header's count."""
        return self.count or 1


def ordered(items: list[InboxItem]) -> list[InboxItem]:
    """Most urgent first; then the oldest (or the soonest due) first."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def moment(item: InboxItem) -> dt.datetime:
        if item.date is None:
            return far
        if isinstance(item.date, dt.datetime):
            return item.date if item.date.tzinfo else item.date.replace(tzinfo=dt.UTC)
        return dt.datetime.combine(item.date, dt.time.min, tzinfo=dt.UTC)

    return sorted(items, key=lambda item: (-item.urgency, moment(item)))


@dataclass(frozen=True)
class InboxGroup:
    category: Any
    items: list[InboxItem]

    @property
    def total(self) -> int:
        return sum(item.weight for item in self.items)


def grouped(items: list[InboxItem]) -> list[InboxGroup]:
    """Items by category, the categories in the order of their most urgent item."""
    groups: dict[str, list[InboxItem]] = {}
    for item in ordered(items):
        groups.setdefault(str(item.category), []).append(item)
    return [InboxGroup(category=members[0].category, items=members) for members in groups.values()]


def total(items: list[InboxItem]) -> int:
    return sum(item.weight for item in items)
