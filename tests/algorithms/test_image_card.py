"""The image-analysis model card: seeded with the measured figures, and migration 0004 replaces the old "Planned"
placeholder on an already-seeded database (and only the placeholder)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from algorithms.demo import IMAGE_CARD, IMAGE_PLACEHOLDER_DETAILS, seed_algorithms
from algorithms.models import Algorithm

from .factories import AlgorithmFactory

pytestmark = pytest.mark.django_db

fill_image_card = importlib.import_module("algorithms.migrations.0005_image_card").fill_image_card


def test_seeded_image_card_shows_the_test_split_figures_and_limits(client, project_manager, contact_point):
    seed_algorithms(manager=project_manager, contact_point=contact_point)
    page = client.get(reverse("algorithms:card", args=["image-analysis"])).content.decode()
    assert "Planned" not in page
    assert "Grocery Store Dataset" in page and "WACV 2019" in page and "test split" in page
    assert "X-ray" in page and "indicative" in page
    assert "benchmarks/images.py" in page
    with translation.override("fr"):
        french = client.get(reverse("algorithms:card", args=["image-analysis"])).content.decode()
    assert "rayons X" in french and "Grocery Store Dataset" in french


def test_migration_fills_the_placeholder_card_only(project_manager):
    placeholder = AlgorithmFactory(
        slug="image-analysis",
        kind="image",
        name_en="Image analysis of cargo scans",
        card__details_en=IMAGE_PLACEHOLDER_DETAILS,
    )
    fill_image_card(apps, None)
    placeholder.refresh_from_db()
    assert placeholder.name_en == IMAGE_CARD["name_en"]
    assert placeholder.card.details_en == IMAGE_CARD["card"]["details_en"]
    assert "Grocery Store Dataset" in placeholder.card.training_data_en
    assert placeholder.card.quantitative_analyses_fr == IMAGE_CARD["card"]["quantitative_analyses_fr"]

    # a card edited by its owner since is left as it is
    placeholder.card.details_en = "Our own text."
    placeholder.card.save()
    placeholder.name_en = "Our name"
    placeholder.save()
    fill_image_card(apps, None)
    placeholder.refresh_from_db()
    assert placeholder.card.details_en == "Our own text." and placeholder.name_en == "Our name"
    assert Algorithm.objects.count() == 1
