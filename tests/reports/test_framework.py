"""The results framework's rules: computed indicators are never typed, entered values carry evidence and are
summed over the period, with the administration's own values on a contact point's dashboard."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from bacuda_portal.reports import selectors
from bacuda_portal.reports.models import Indicator, IndicatorValue, Objective
from bacuda_portal.reports.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective():
    return Objective.objects.create(code="O2", title_en="Administrations use the algorithms")


@pytest.fixture
def manual(objective):
    return Indicator.objects.create(objective=objective, code="2.3", title_en="Seizures", unit="n", source="manual")


def value(indicator, start, end, amount, **extra):
    return IndicatorValue.objects.create(indicator=indicator, period_start=start, period_end=end, value=amount,
                                         evidence_url="https://example.org/evidence", **extra)  # fmt: skip


def test_a_computed_indicator_names_a_known_computation(objective):
    indicator = Indicator(objective=objective, code="1.1", title_en="x", unit="n", source="computed",
                          computed_key="typed_by_hand")  # fmt: skip
    with pytest.raises(ValidationError):
        indicator.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(objective=objective, code="1.2", title_en="x", unit="n", source="computed")


def test_a_computed_indicator_takes_no_typed_value(objective):
    computed = Indicator.objects.create(objective=objective, code="1.1", title_en="Officials trained", unit="n",
                                        source="computed", computed_key="officials_trained")  # fmt: skip
    typed = IndicatorValue(indicator=computed, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31),
                           value=Decimal(500), evidence_url="https://example.org")  # fmt: skip
    with pytest.raises(ValidationError):
        typed.full_clean()


def test_an_entered_value_needs_evidence(manual):
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(indicator=manual, period_start=dt.date(2025, 1, 1),
                                      period_end=dt.date(2025, 3, 31), value=1)  # fmt: skip


def test_entered_values_are_summed_over_the_period_and_scoped(manual, kenya, senegal):
    value(manual, dt.date(2025, 1, 1), dt.date(2025, 3, 31), 2, administration=kenya, women=1, men=1)
    value(manual, dt.date(2025, 4, 1), dt.date(2025, 6, 30), 3, administration=senegal)
    value(manual, dt.date(2024, 10, 1), dt.date(2025, 3, 31), 7)  # straddles the year: not inside it
    rows = selectors.indicator_rows(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert rows[0].result.value == 5
    kenyan = selectors.indicator_rows(dt.date(2025, 1, 1), dt.date(2025, 12, 31), administration=kenya)
    assert kenyan[0].result.value == 2 and kenyan[0].result.by_sex == {"female": 1, "male": 1}
    assert selectors.indicator_rows(dt.date(2025, 1, 1), dt.date(2025, 3, 31))[0].result.value == 2
    quiet = selectors.indicator_rows(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert quiet[0].result.value is None and quiet[0].result.note


def test_the_evidence_file_is_private_to_staff(client, staff, contact_point, manual, kenya):
    entered = IndicatorValue(indicator=manual, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31),
                             value=1, administration=kenya)  # fmt: skip
    entered.evidence_file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    url = reverse("reports:evidence_download", args=[entered.pk])
    client.force_login(contact_point)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_periods():
    assert (Period.of("quarter", 2025, 4).start, Period.of("quarter", 2025, 4).end) == (
        dt.date(2025, 10, 1), dt.date(2025, 12, 31))  # fmt: skip
    assert Period.of("half", 2024, 1).end == dt.date(2024, 6, 30)
    assert Period.from_dates(dt.date(2025, 7, 1), dt.date(2025, 9, 30)) == Period.of("quarter", 2025, 3)
    with pytest.raises(ValueError):
        Period.of("quarter", 2025, 5)
