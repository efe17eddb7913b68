"""The algorithms demo data and the large data set."""

import random

import pytest
from django.urls import reverse

from algorithms.demo import seed_algorithms
from algorithms.models import Algorithm, Dataset, ModelJob
from algorithms.scale import JOBS, seed_large_jobs

pytestmark = pytest.mark.django_db


def test_seeded_cards_are_published_and_idempotent(client, project_manager, contact_point):
    seed_algorithms(manager=project_manager, contact_point=contact_point)
    seed_algorithms(manager=project_manager, contact_point=contact_point)
    assert sorted(Algorithm.objects.values_list("kind", flat=True)) == ["aihs", "date", "image", "synth"]
    assert all(algorithm.is_published for algorithm in Algorithm.objects.all())
    dataset = Dataset.objects.get()
    assert dataset.row_count == 3000
    assert dataset.name == "Public sample (3,000 synthetic declarations)"  # the name says what it holds
    page = client.get(reverse("algorithms:card", args=["date"])).content.decode()
    assert "What it cannot show" in page and "CTGAN" in page
    # the headline figures come with the unseen-combination ones, and the card says which to read
    assert "Unseen combinations" in page and "never occurs in training" in page and "0.379" in page


def test_the_date_card_pdf_puts_the_unseen_combination_figures_next_to_the_headline(
    project_manager, contact_point, staff, eager_tasks, django_capture_on_commit_callbacks
):
    from bacuda_portal.reports import services as report_services
    from tests.reports.test_reports import pdf_text

    seed_algorithms(manager=project_manager, contact_point=contact_point)
    algorithm = Algorithm.objects.get(kind="date")
    with django_capture_on_commit_callbacks(execute=True):
        report, _created = report_services.report_request(
            kind="model_card", language="en", by=staff, parameters={"algorithm": algorithm.pk}
        )
    report.refresh_from_db()
    assert report.status == "ready", report.error
    text = " ".join(pdf_text(report).split())
    assert "Unseen combinations" in text and "0.379" in text and "0.995" in text
    assert "What it cannot show" in text and "Read the two columns together" in text


def test_large_data_set_adds_500_jobs_and_the_job_list_stays_fast(client, staff, django_assert_max_num_queries):
    seed_large_jobs(rng=random.Random(1), officer=staff)
    assert ModelJob.objects.count() == JOBS
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("algorithms:job_list")).status_code == 200
