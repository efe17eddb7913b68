"""Invariants the database keeps even when code forgets them, and the seeded expertise areas."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from workshops.experts.models import AccreditationChange, AvailabilityWindow, ExpertiseArea, ExpertLanguage

from .factories import ExpertFactory


def test_database_refuses_an_availability_window_ending_before_it_starts(db):
    expert = ExpertFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AvailabilityWindow.objects.create(expert=expert, start_date=date(2030, 6, 2), end_date=date(2030, 6, 1))


def test_database_refuses_a_language_listed_twice_for_an_expert(db):
    expert = ExpertFactory()
    ExpertLanguage.objects.create(expert=expert, language="fr", level="B1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertLanguage.objects.create(expert=expert, language="fr", level="C1")
    ExpertLanguage.objects.create(expert=ExpertFactory(), language="fr", level="C1")  # another expert may


def test_database_refuses_an_accreditation_step_that_changes_nothing(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationChange.objects.create(
            expert=ExpertFactory(), from_status="accredited", to_status="accredited", on=date(2025, 1, 1)
        )


def test_database_refuses_two_experts_with_the_same_email_in_another_case(db):
    ExpertFactory(email="amina@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertFactory(email="Amina@Example.org")


def test_expertise_areas_are_seeded_in_english_and_french(db):
    assert ExpertiseArea.objects.count() >= 10
    for code in (
        "data-analytics",
        "machine-learning",
        "risk-management",
        "python-programming",
        "data-visualisation",
        "hs-classification",
        "valuation",
        "post-clearance-audit",
        "e-learning-design",
        "project-management",
    ):
        area = ExpertiseArea.objects.get(code=code)
        assert area.name_en and area.name_fr and area.name_en != area.name_fr
    area = ExpertiseArea.objects.get(code="post-clearance-audit")
    with translation.override("fr"):
        assert str(area) == "Contrôle a posteriori"
    assert str(area) == "Post-clearance audit"
