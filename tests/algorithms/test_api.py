"""The algorithms API: cards, versions, datasets, jobs (submit, list, cancel), HS suggestions."""

import pytest
from rest_framework.test import APIClient

from algorithms.models import Dataset, ModelJob
from tests.algorithms import tiny_engine
from tests.algorithms.conftest import csv_upload
from tests.algorithms.factories import AlgorithmFactory, AlgorithmVersionFactory, ModelJobFactory, sample_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_public_cards_and_versions(api):
    published = AlgorithmFactory(slug="date", publication="published")
    AlgorithmFactory(slug="secret")
    AlgorithmVersionFactory(algorithm=published, publication="published", number=1)
    AlgorithmVersionFactory(algorithm=published, number=2)
    data = api.get("/api/v1/algorithms/").json()
    assert [item["slug"] for item in data["results"]] == ["date"]
    sections = {section["key"]: section for section in data["results"][0]["card"]}
    assert sections["details"]["text_en"] == "A **gradient-boosted** model."
    assert api.get("/api/v1/algorithms/secret/").status_code == 404
    versions = api.get("/api/v1/algorithm-versions/").json()["results"]
    assert [version["number"] for version in versions] == [1]


def test_upload_a_dataset_through_the_api(api, contact_point, kenya):
    api.force_authenticate(contact_point)
    response = api.post(
        "/api/v1/datasets/", {"name": "API upload", "file": csv_upload(sample_csv(20))}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["administration"] == "KEN" and response.json()["row_count"] == 20
    bad = api.post("/api/v1/datasets/", {"name": "Bad", "file": csv_upload(b"a,b\n1,2\n")}, format="multipart")
    assert bad.status_code == 400 and "Missing columns" in bad.json()["file"][0]
    other = api.post(
        "/api/v1/datasets/",
        {"name": "x", "administration": "SEN", "file": csv_upload(sample_csv(2))},
        format="multipart",
    )
    assert other.status_code == 400
    assert Dataset.objects.count() == 1


def test_an_administration_code_with_a_nul_character_is_refused_not_a_server_error(api, staff):
    # Found by schemathesis on PostgreSQL, which rejects NUL bytes in text parameters.
    api.force_authenticate(staff)
    response = api.post(
        "/api/v1/datasets/",
        {"name": "x", "administration": "K\x00EN", "file": csv_upload(sample_csv(2))},
        format="multipart",
    )
    assert response.status_code == 400 and "administration" in response.json()
    assert Dataset.objects.count() == 0


def test_submit_list_and_cancel_a_job_through_the_api(api, contact_point, other_contact_point, kenya_dataset):
    api.force_authenticate(contact_point)
    response = api.post(
        "/api/v1/model-jobs/",
        {"kind": "synth", "dataset": kenya_dataset.pk, "params": {"rows": 100}, "seed": 3},
        format="json",
    )
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    assert response.json()["status"] == "queued" and response.json()["administration"] == "KEN"
    assert [job["id"] for job in api.get("/api/v1/model-jobs/").json()["results"]] == [job_id]
    cancelled = api.post(f"/api/v1/model-jobs/{job_id}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = api.post(f"/api/v1/model-jobs/{job_id}/cancel/")
    assert again.status_code == 400
    api.force_authenticate(other_contact_point)
    assert api.get(f"/api/v1/model-jobs/{job_id}/").status_code == 404
    assert api.get("/api/v1/model-jobs/").json()["results"] == []


def test_a_job_on_another_administrations_dataset_is_refused(api, other_contact_point, kenya_dataset):
    api.force_authenticate(other_contact_point)
    response = api.post("/api/v1/model-jobs/", {"kind": "date_train", "dataset": kenya_dataset.pk}, format="json")
    assert response.status_code == 400 and not ModelJob.objects.exists()


def test_hs_suggestions_through_the_api(api, tiny_engines, contact_point, expert):
    api.force_authenticate(contact_point)
    response = api.post("/api/v1/hs-suggestions/", {"description": "green coffee"}, format="json")
    assert response.status_code == 200
    assert response.json()["suggestions"][0] == {
        "code": "090111",
        "description": "Coffee, not roasted",
        "confidence": 0.9,
        "heading_confidence": 0.9,
        "band": "likely",
        "why": tiny_engine.COFFEE_WHY,
    }
    assert response.json()["too_vague"] is False
    assert response.json()["version"] is None
    vague = api.post("/api/v1/hs-suggestions/", {"description": "goods"}, format="json").json()
    assert vague["too_vague"] is True and vague["suggestions"][0]["band"] == "unlikely"
    api.force_authenticate(expert)
    assert api.post("/api/v1/hs-suggestions/", {"description": "x"}, format="json").status_code == 404


def test_job_api_list_query_count_does_not_grow(api, staff, kenya_dataset, django_assert_max_num_queries):
    ModelJobFactory.create_batch(25, dataset=kenya_dataset)
    api.force_authenticate(staff)
    with django_assert_max_num_queries(10):
        assert api.get("/api/v1/model-jobs/").status_code == 200


def test_an_api_upload_over_the_limit_is_refused_with_413(api, contact_point, settings):
    settings.BACUDA_DATASET_MAX_MEGABYTES = 0
    api.force_authenticate(contact_point)
    response = api.post(
        "/api/v1/datasets/", {"name": "big", "file": csv_upload(sample_csv(None) * 2)}, format="multipart"
    )
    assert response.status_code == 413 and "the limit is 0 MB" in response.json()["file"][0]
    assert not Dataset.objects.exists()
