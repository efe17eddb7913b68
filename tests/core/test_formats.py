"""One date and time policy: day month year in both languages, 24-hour times, the time zone named with a time."""

import datetime as dt

import pytest
from django.utils import formats, timezone, translation

MOMENT = dt.datetime(2026, 12, 25, 14, 31, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", {"DATE_FORMAT": "25 December 2026", "SHORT_DATE_FORMAT": "25 Dec 2026",
                "DATETIME_FORMAT": "25 December 2026, 15:31 CET", "SHORT_DATETIME_FORMAT": "25 Dec 2026, 15:31 CET",
                "TIME_FORMAT": "15:31"}),
        ("fr", {"DATE_FORMAT": "25 décembre 2026", "SHORT_DATE_FORMAT": "25 déc. 2026",
                "DATETIME_FORMAT": "25 décembre 2026, 15:31 CET", "SHORT_DATETIME_FORMAT": "25 déc. 2026, 15:31 CET",
                "TIME_FORMAT": "15:31"}),
    ],
)  # fmt: skip
def test_each_named_format_reads_the_same_way_in_both_languages(language, expected):
    local = timezone.localtime(MOMENT)  # the portal's time zone: Brussels, an hour ahead of UTC in winter
    with translation.override(language):
        for name, text in expected.items():
            assert formats.date_format(local, name) == text, name


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_twelve_hour_clock_nor_month_first_dates(language):
    with translation.override(language):
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT", "TIME_FORMAT"):
            pattern = formats.get_format(name)
            assert not set(pattern) & set("aAPgh"), (name, pattern)  # no a.m./p.m. and no 12-hour hours
            assert not pattern.startswith(("m", "n", "F", "M", "N")), (name, pattern)  # the day first


def test_the_page_a_user_reads_uses_the_policy(client, staff, kenya):
    from tests.workshops.factories import WorkshopFactory

    workshop = WorkshopFactory(start_date=dt.date(2031, 3, 4), end_date=dt.date(2031, 3, 8))
    client.force_login(staff)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "4 March 2031" in page or "4 Mar 2031" in page
    assert "03/04/2031" not in page and "March 4, 2031" not in page
