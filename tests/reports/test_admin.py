"""The reports app in the Django admin: every list loads for staff and its query count does not grow."""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bacuda_portal.reports.models import (
    BudgetLine,
    Indicator,
    IndicatorValue,
    Objective,
    Report,
    ReportNarrative,
)
from bacuda_portal.reports.services import parameters_key
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _objective(n):
    return Objective.objects.create(code=f"O{n}", title_en=f"Objective {n}")


def _indicator(n):
    objective = _objective(f"i{n}")
    return Indicator.objects.create(objective=objective, code=f"I{n}", title_en="x", unit="n", source="manual")


def _value(n):
    return IndicatorValue.objects.create(indicator=_indicator(f"v{n}"), period_start=dt.date(2025, 1, 1),
                                         period_end=dt.date(2025, 3, 31), value=1, evidence_url="https://example.org",
                                         entered_by=StaffFactory())  # fmt: skip


def _narrative(n):
    return ReportNarrative.objects.create(period_start=dt.date(2000 + n, 1, 1), period_end=dt.date(2000 + n, 12, 31),
                                          language="en", updated_by=StaffFactory())  # fmt: skip


def _budget(n):
    return BudgetLine.objects.create(code=f"B{n}", title_en="Line", period_start=dt.date(2025, 1, 1),
                                     period_end=dt.date(2025, 12, 31), planned=100, actual=90)  # fmt: skip


def _report(n):
    return Report.objects.create(kind="progress", period_start=dt.date(2000 + n, 1, 1),
                                 period_end=dt.date(2000 + n, 12, 31), language="en", parameters_key=parameters_key({}),
                                 requested_by=StaffFactory())  # fmt: skip


# Targets are edited inline on their indicator's page.
ROW_MAKERS = {
    Objective: _objective,
    Indicator: _indicator,
    IndicatorValue: _value,
    ReportNarrative: _narrative,
    BudgetLine: _budget,
    Report: _report,
}


def _url(model, action="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_admin_list_of_ours_has_a_row_maker():
    assert {m for m in admin.site._registry if m._meta.app_label == "reports"} == set(ROW_MAKERS)


@pytest.mark.parametrize("model", list(ROW_MAKERS), ids=lambda m: m._meta.label)
def test_admin_list_query_count_does_not_grow(client_as, staff, model):
    client = client_as(staff)
    make = ROW_MAKERS[model]
    make(0)
    client.get(_url(model))
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(model)).status_code == 200
    for n in range(1, 21):
        make(n)
    with CaptureQueriesContext(connection) as many:
        assert client.get(_url(model)).status_code == 200
    assert len(many) <= len(few), [query["sql"] for query in many.captured_queries]


def test_the_indicator_form_offers_the_computations(client_as, staff):
    indicator = _indicator(1)
    response = client_as(staff).get(_url(Indicator, "change", indicator.pk))
    assert response.status_code == 200
    assert b'value="officials_trained"' in response.content


def test_reports_are_read_only_in_the_admin(client_as, staff):
    report = _report(1)
    client = client_as(staff)
    assert client.get(_url(Report, "add")).status_code == 403
    response = client.post(_url(Report, "change", report.pk), {"status": "ready"})
    assert response.status_code == 403
