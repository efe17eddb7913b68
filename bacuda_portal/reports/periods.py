"""Reporting periods: a year, a half-year or a quarter, as inclusive date ranges."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .enums import PeriodKind


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int = 1  # the quarter (1-4) or the half (1-2); 1 for a year

    @property
    def start(self) -> dt.date:
        months = {PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6}.get(self.kind, 12)
        return dt.date(self.year, 1 + months * (self.number - 1), 1)

    @property
    def end(self) -> dt.date:
        months = {PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6}.get(self.kind, 12)
        last_month = months * self.number
        if last_month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, last_month + 1, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(number)d %(year)d") % {"number": self.number, "year": self.year}
        if self.kind == PeriodKind.HALF_YEAR:
            return _("H%(number)d %(year)d") % {"number": self.number, "year": self.year}
        return str(self.year)

    @classmethod
    def of(cls, kind: str, year: int, number: int = 1) -> "Period":
        limit = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2}.get(kind, 1)
        if kind not in PeriodKind.values:
            raise ValueError(f"unknown period kind {kind!r}")
        if not 1 <= number <= limit:
            raise ValueError(f"{kind} number must be between 1 and {limit}")
        if not 1990 <= year <= 2100:
            raise ValueError("year out of range")
        return cls(kind=kind, year=year, number=number if kind != PeriodKind.YEAR else 1)

    @classmethod
    def from_dates(cls, start: dt.date, end: dt.date) -> "Period | None":
        for kind, count in ((PeriodKind.YEAR, 1), (PeriodKind.HALF_YEAR, 2), (PeriodKind.QUARTER, 4)):
            for number in range(1, count + 1):
                period = cls(kind=kind, year=start.year, number=number)
                if period.start == start and period.end == end:
                    return period
        return None


def date_range_label(start: dt.date, end: dt.date) -> str:
    period = Period.from_dates(start, end)
    return period.label if period else f"{start.isoformat()} – {end.isoformat()}"
