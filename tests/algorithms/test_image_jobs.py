"""Image analysis jobs (issue 15) end to end with a real Celery worker (queue ``models``) and the real engine, on a
tiny image set made in the test: training makes a version with both models' figures, the job page shows them,
scoring gives a ranked CSV with the HS codes of the classes, and the classify page and API answer with a heat map.
Plus the checks of what a job may be submitted with, without a worker."""

import csv
import hashlib
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from algorithms import image_classify, services
from algorithms.models import AlgorithmVersion, ModelJob
from tests.algorithms import image_samples as samples
from tests.factories import ContactPointFactory
from tests.worker import WorkerProcess, wait_for


def _done(pk, worker):
    return wait_for(
        lambda: (
            ModelJob.objects.get(pk=pk).status in ("succeeded", "failed", "cancelled") and ModelJob.objects.get(pk=pk)
        ),
        400,
        "the image job to finish",
        worker.process,
        worker.log,
    )


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_train_score_and_classify_images_with_a_real_worker(tmp_path, monkeypatch, settings, client):
    from bacuda_portal.members.models import Administration

    monkeypatch.setenv("BACUDA_MODEL_JOB_WORK_DIR", str(tmp_path / "jobs"))
    monkeypatch.setenv("BACUDA_MODEL_JOB_HEARTBEAT_SECONDS", "1")
    settings.BACUDA_MODEL_JOB_WORK_DIR = tmp_path / "jobs"
    image_classify.clear_cache()
    kenya = Administration.objects.get(code="KEN")
    senegal = Administration.objects.get(code="SEN")
    user = ContactPointFactory(administration=kenya).user
    other = ContactPointFactory(administration=senegal).user
    worker = WorkerProcess(tmp_path, queues="models")
    try:
        # Upload through the API, train through the API (the generic job endpoint).
        api = _api(user)
        response = api.post(
            "/api/v1/datasets/",
            {"name": "Fruit", "kind": "images", "file": samples.upload(samples.zip_bytes(samples.class_folders(8)))},
            format="multipart",
        )
        assert response.status_code == 201, response.content
        dataset_id = response.json()["id"]
        assert response.json()["summary"]["classes"] == {"apple": 8, "banana": 8, "lime": 8}
        response = api.post(
            "/api/v1/model-jobs/",
            {"kind": "image_train", "dataset": dataset_id, "seed": 7, "params": {"epochs": 20}},
            format="json",
        )
        assert response.status_code == 201, response.content
        job = _done(response.json()["id"], worker)
        assert job.status == "succeeded", job.log
        assert job.seed == 7 and job.metrics["seed"] == 7
        assert job.metrics["champion"] in ("network", "baseline")
        assert set(job.metrics["models"]) == {"network", "baseline"}
        assert job.metrics["models"]["network"]["top1"] >= 0.5
        artifact = job.artifacts.get(name="model")
        with artifact.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == artifact.sha256
        version = AlgorithmVersion.objects.get(job=job)
        assert version.algorithm.kind == "image" and version.model_artifact == artifact
        assert "100% done" in job.log or "done" in job.log

        client.force_login(user)
        page = client.get(job.get_absolute_url()).content.decode()
        assert "Image model: network and classical baseline" in page
        assert "Champion:" in page and job.metrics["champion_reason"][:40] in page
        assert 'aria-labelledby="confusion-title"' in page and 'aria-labelledby="calibration-title"' in page
        assert "Precision and recall by class (test pictures)" in page
        assert "Image model: network and classical baseline" in client.get(version.get_absolute_url()).content.decode()

        # HS codes of the classes, then score new pictures with the version.
        response = api.post(
            f"/api/v1/datasets/{dataset_id}/hs-codes/", {"codes": {"banana": "0803.90", "lime": ""}}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["hs_codes"] == {"banana": "080390"}
        new = services.image_dataset_upload(
            administration=kenya,
            kind="images_to_score",
            name="New",
            uploaded=samples.upload(samples.zip_bytes(samples.unlabelled(6))),
            by=user,
        )
        with transaction.atomic():
            scoring = services.job_submit(
                kind="image_score", administration=kenya, dataset=new, source_version=version, by=user
            )
        scoring = _done(scoring.pk, worker)
        assert scoring.status == "succeeded", scoring.log
        scores = scoring.artifacts.get(name="scores")
        download = client.get(scores.get_absolute_url())
        assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
        assert len(rows) == 6
        assert {row["file"] for row in rows} == {f"new/photo-{index}.png" for index in range(6)}
        confidences = [float(row["confidence"]) for row in rows]
        assert confidences == sorted(confidences, reverse=True)
        for row in rows:
            assert row["hs_code"] == ("080390" if row["class"] == "banana" else "")
        assert sum(row["class"] == "banana" for row in rows) >= 1  # photo-1 and photo-4 are bananas
    finally:
        worker.stop()

    # The classify page and API, in this process (the classifier is cached per version).
    picture = samples.picture("banana", 501)
    response = client.post(
        reverse("algorithms:image_classify"),
        {"version": version.pk, "picture": samples.upload(picture, "banana.png")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "data:image/png;base64," in page and "banana" in page
    answer = _api(user).post(
        "/api/v1/image-classifications/", {"picture": samples.upload(picture, "b.png")}, format="multipart"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["version"] == version.pk and len(body["predictions"]) == 3
    assert body["predictions"][0]["label"] == "banana" and body["predictions"][0]["hs_code"] == "080390"
    assert body["heatmap"].startswith("data:image/png;base64,")
    assert len(image_classify._cache) == 1

    # A picture that is not one, and another administration's contact point.
    refused = _api(user).post(
        "/api/v1/image-classifications/", {"picture": samples.upload(b"<html></html>", "x.png")}, format="multipart"
    )
    assert refused.status_code == 400 and "picture" in refused.json()
    response = _api(other).post(
        "/api/v1/image-classifications/",
        {"picture": samples.upload(picture, "b.png"), "version": version.pk},
        format="multipart",
    )
    assert response.status_code == 400 and "version" in response.json()
    client.force_login(other)
    page = client.get(reverse("algorithms:image_classify")).content.decode()
    assert "There is no trained image model you may use yet." in page
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(scores.get_absolute_url()).status_code == 404


# --- what a job may be submitted with ------------------------------------------------------------------------------
@pytest.fixture
def image_set(kenya, contact_point):
    return services.image_dataset_upload(
        administration=kenya,
        kind="images",
        name="Fruit",
        uploaded=samples.upload(samples.zip_bytes(samples.class_folders(5))),
        by=contact_point,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"epochs": 0}, "Give the number of epochs as a whole number from 1 to 500."),
        ({"epochs": "5"}, "Give the number of epochs as a whole number from 1 to 500."),
        ({"learning_rate": 1}, "Unknown parameters: learning_rate."),
    ],
)
def test_training_parameters_are_checked(image_set, kenya, contact_point, params, message):
    with pytest.raises(ValidationError) as error:
        services.job_submit(
            kind="image_train", administration=kenya, dataset=image_set, params=params, by=contact_point
        )
    assert error.value.message_dict["params"] == [message]


@pytest.mark.django_db
def test_an_image_job_needs_an_image_set_and_scoring_a_trained_image_model(
    image_set, kenya, contact_point, kenya_dataset
):
    with pytest.raises(ValidationError) as error:
        services.job_submit(kind="image_train", administration=kenya, dataset=kenya_dataset, by=contact_point)
    assert "Labelled images" in error.value.message_dict["dataset"][0]
    with pytest.raises(ValidationError) as error:
        services.job_submit(kind="date_train", administration=kenya, dataset=image_set, by=contact_point)
    assert "dataset" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.job_submit(kind="image_score", administration=kenya, dataset=image_set, by=contact_point)
    assert error.value.message_dict["source_version"] == ["Choose the trained image model to classify with."]


@pytest.mark.django_db
def test_the_job_form_submits_an_image_training_job(client, contact_point, image_set):
    client.force_login(contact_point)
    response = client.post(
        reverse("algorithms:job_create"),
        {"kind": "image_train", "dataset": image_set.pk, "seed": 3, "params": json.dumps({"epochs": 4})},
    )
    job = ModelJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.kind, job.seed, job.params) == ("image_train", 3, {"epochs": 4})


@pytest.mark.django_db
def test_the_classify_page_needs_a_model_user(client, applicant, contact_point):
    assert client.get(reverse("algorithms:image_classify")).status_code == 302
    client.force_login(applicant)
    assert client.get(reverse("algorithms:image_classify")).status_code == 404
    client.force_login(contact_point)
    page = client.get(reverse("algorithms:image_classify")).content.decode()
    assert "There is no trained image model you may use yet." in page


# --- figures and charts --------------------------------------------------------------------------------------------
def _metrics(classes):
    """Metrics as the engine writes them, computed by its own evaluation on made-up probabilities."""
    import numpy as np

    from algorithms.engines.images import evaluate

    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(len(classes)), 5)
    proba = rng.dirichlet(np.ones(len(classes)), size=len(y))
    proba[np.arange(len(y)), y] += 1.0
    proba /= proba.sum(axis=1, keepdims=True)
    network = {**evaluate(proba, y, classes), "val_top1": 0.9}
    baseline = {**evaluate(rng.dirichlet(np.ones(len(classes)), size=len(y)), y, classes), "val_top1": 0.4}
    return {"champion": "network", "champion_reason": "network 0.900, baseline 0.400", "seed": 5,
            "classes": classes, "split_sizes": {"train": 30, "val": 5, "test": 15},
            "models": {"network": network, "baseline": baseline}}  # fmt: skip


def test_the_confusion_chart_escapes_class_names_and_shows_every_cell():
    from algorithms.image_charts import image_report

    report = image_report(_metrics(["<script>alert(1)</script>", "b&c", "plain"]))
    svg = str(report["confusion_svg"])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "b&amp;c" in svg
    assert svg.count("<rect x=") == 9
    assert report["rows"][0]["champion"] and report["rows"][0]["top1"] == "100.0 %"
    assert [row["label"] for row in report["per_class"]] == ["<script>alert(1)</script>", "b&c", "plain"]
    assert "calibration_svg" in report


def test_other_metrics_have_no_image_report():
    from algorithms.image_charts import image_report

    assert image_report({"auc": 0.8}) is None
    assert image_report({}) is None


@pytest.mark.django_db
def test_the_model_card_pdf_has_the_figures_of_the_newest_published_image_version():
    from bacuda_portal.reports import selectors as report_selectors
    from tests.algorithms.factories import AlgorithmFactory, AlgorithmVersionFactory

    algorithm = AlgorithmFactory(slug="image", kind="image", publication="published")
    AlgorithmVersionFactory(algorithm=algorithm, number=1, publication="published", metrics=_metrics(["a", "b"]))
    AlgorithmVersionFactory(algorithm=algorithm, number=2, publication="draft", metrics=_metrics(["x", "y"]))
    context = report_selectors.model_card_report(algorithm.pk)
    assert context["image_report"]["version"] == 1
    assert [row["label"] for row in context["image_report"]["per_class"]] == ["a", "b"]
    from django.template.loader import render_to_string

    html = render_to_string("algorithms/pdf/model_card.html", {**context, "logo_uri": ""})
    assert "Measured figures of version 1" in html and 'aria-labelledby="confusion-title"' in html
