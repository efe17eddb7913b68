"""The invariants the database keeps whatever writes to it, and the money arithmetic (Decimal, never floats)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from workshops.missions.selectors import claim_summary

from .factories import ClaimFactory, ClaimLineFactory, MissionFactory, TravelRequestFactory


def test_a_mission_has_exactly_one_traveller_in_the_database(mission, staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        MissionFactory(traveller_expert=mission.traveller_expert, traveller_user=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        MissionFactory(traveller_expert=None)


def test_a_mission_cannot_end_before_it_starts(expert_profile):
    mission = MissionFactory.build(
        traveller_expert=expert_profile,
        created_by=None,
        start_date=dt.date(2025, 3, 7),
        end_date=dt.date(2025, 3, 3),
    )
    with pytest.raises(ValidationError) as error:
        mission.full_clean()
    assert error.value.message_dict["end_date"] == ["The mission cannot end before it starts."]
    with pytest.raises(IntegrityError), transaction.atomic():
        mission.save()


def test_mission_numbers_are_unique_when_set(mission):
    MissionFactory(mission_number="")
    MissionFactory(mission_number="")
    with pytest.raises(IntegrityError), transaction.atomic():
        MissionFactory(mission_number=mission.mission_number)


def test_request_total_is_days_times_rate_plus_terminal_expenses(mission):
    request = TravelRequestFactory(
        mission=mission, dsa_days=4, dsa_rate=Decimal("250.50"), terminal_expenses=Decimal("120.25")
    )
    request.refresh_from_db()
    assert request.dsa_amount == Decimal("1002.00")
    assert request.total == Decimal("1122.25")
    assert isinstance(request.total, Decimal)


def test_the_advance_cannot_exceed_the_total(mission):
    request = TravelRequestFactory.build(mission=mission, advance=Decimal("1120.01"))
    with pytest.raises(ValidationError) as error:
        request.full_clean()
    assert error.value.message_dict["advance"] == [
        "The advance cannot be more than the total of the request (1120.00 EUR)."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        request.save()


def test_a_claim_line_amount_must_be_positive(draft_claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLineFactory(claim=draft_claim, amount=Decimal("0.00"))


def test_summary_converts_foreign_lines_with_their_rate_rounding_each_line(approved_request):
    claim = ClaimFactory(mission=approved_request.mission)
    ClaimLineFactory(claim=claim, amount=Decimal("800.00"), currency="EUR")
    # 12,345.67 KES at 0.007123 EUR = 87.938... EUR, rounded half up to the cent on the line.
    ClaimLineFactory(claim=claim, amount=Decimal("12345.67"), currency="KES", exchange_rate=Decimal("0.007123"))
    ClaimLineFactory(claim=claim, amount=Decimal("240.01"), currency="EUR")

    summary = claim_summary(approved_request.mission)

    assert summary.currency == "EUR"
    assert summary.requested == Decimal("1120.00")
    assert summary.claimed == Decimal("800.00") + Decimal("87.94") + Decimal("240.01")
    assert summary.claimed == Decimal("1127.95")
    assert summary.variance == Decimal("7.95")
    assert summary.is_over
    assert summary.variance_percent == Decimal("0.7")
    assert summary.balance == Decimal("627.95")  # claimed less the 500.00 advance
    assert summary.line_count == 3


def test_a_claim_under_the_request_is_not_over(draft_claim):
    summary = claim_summary(draft_claim.mission)
    assert summary.claimed == Decimal("480.00")
    assert summary.variance == Decimal("-640.00")
    assert not summary.is_over
    assert summary.balance == Decimal("-20.00")  # the traveller owes back what the advance overpaid


def test_no_summary_without_a_claim(approved_request):
    assert claim_summary(approved_request.mission) is None


def test_a_foreign_line_without_a_rate_is_a_broken_invariant(draft_claim):
    line = ClaimLineFactory.build(claim=draft_claim, currency="USD", exchange_rate=None)
    with pytest.raises(ValueError, match="no exchange rate"):
        line.amount_in("EUR")
