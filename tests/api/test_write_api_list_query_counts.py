"""The lists the write API added (the results framework, news) read a page in a fixed number of queries: the count
does not grow with the rows (issue 19, part 6). The missions list has its own (tests/missions/test_pages.py)."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bacuda_portal.reports.models import Indicator, IndicatorTarget, IndicatorValue, Objective
from tests.website.factories import NewsPostFactory

_numbers = itertools.count(1)


def _indicator(objective=None) -> Indicator:
    n = next(_numbers)
    objective = objective or Objective.objects.create(code=f"O{n}", title_en=f"Objective {n}")
    return Indicator.objects.create(objective=objective, code=f"{n}.1", title_en=f"Indicator {n}", unit="n",
                                    source="manual")  # fmt: skip


def _objectives(count, kenya):
    for _ in range(count):
        _indicator()


def _indicators(count, kenya):
    for _ in range(count):
        indicator = _indicator()
        for year in (2025, 2026):
            IndicatorTarget.objects.create(
                indicator=indicator, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31), value=10
            )


def _targets(count, kenya):
    for _ in range(count):
        IndicatorTarget.objects.create(
            indicator=_indicator(), period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), value=5
        )


def _values(count, kenya):
    for n in range(count):
        IndicatorValue.objects.create(
            indicator=_indicator(), period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 6, 30), value=n,
            administration=kenya if n % 2 else None, region=None if n % 2 else kenya.region,
            evidence_url="https://example.org/evidence",
        )  # fmt: skip


def _news(count, kenya):
    for n in range(count):
        NewsPostFactory(publish_at=timezone.now() - dt.timedelta(days=n + 1) if n % 3 else None)


LISTS = {
    "/api/v1/results-objectives/": _objectives,
    "/api/v1/results-indicators/": _indicators,
    "/api/v1/results-targets/": _targets,
    "/api/v1/results-values/": _values,
    "/api/v1/news/": _news,
}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["results"], url
    return len(queries)


@pytest.mark.parametrize("url", list(LISTS))
def test_the_list_query_count_does_not_grow_with_the_rows(client_as, staff, kenya, url):
    client = client_as(staff)
    LISTS[url](2, kenya)
    few = _queries(client, url)
    LISTS[url](20, kenya)
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries for 2 rows, {many} for 22"
    assert few <= 8, f"{url}: {few} queries"


def test_the_public_news_list_query_count_does_not_grow(client_as, kenya):
    client = client_as(None)
    _news(3, kenya)
    few = _queries(client, "/api/v1/news/")
    _news(30, kenya)
    assert _queries(client, "/api/v1/news/") == few <= 4
