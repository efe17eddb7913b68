"""AI-HS batch classification (issue 13), the portal side: the upload form (columns named or found, the dataset
checks and size limit), the job (model, seed, progress, cancel, a checksummed CSV), its summary on the job page, the
API, and who may do what. The runner runs in-process with the tiny engine; test_jobs_worker.py runs a real worker."""

import csv
import hashlib
import io

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from algorithms import runner, services
from algorithms.models import Dataset, ModelJob
from tests.algorithms.conftest import csv_upload
from tests.algorithms.factories import AlgorithmVersionFactory, HsLabelledDescriptionFactory

pytestmark = pytest.mark.django_db

BATCH = reverse("algorithms:hs_batch")
WEEK = (
    b"Declaration ID,Goods description,Declared HS\n"
    b"D1,green coffee beans,0901.11\n"
    b"D2,goods,090111\n"
    b"D3,green coffee beans,610910\n"
    b"D4,=HYPERLINK(evil),\n"
)


def _post(client, kenya, content=WEEK, **fields):
    data = {"administration": kenya.pk, "seed": 7, "file": csv_upload(content, "week.csv"), **fields}
    return client.post(BATCH, {key: value for key, value in data.items() if value is not None})


def _rows(job) -> list[dict]:
    artifact = job.artifacts.get(name="suggestions")
    return list(csv.DictReader(io.StringIO(artifact.file.read().decode())))


def test_a_week_of_declarations_is_classified_and_screened(client, tiny_engines, contact_point, kenya):
    client.force_login(contact_point)
    assert "Classify goods descriptions in bulk" in client.get(BATCH).content.decode()
    response = _post(client, kenya, code_column="declared hs")
    job = ModelJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "aihs_batch" and job.seed == 7 and job.source_version is None
    assert job.params == {"description_column": "Goods description", "code_column": "Declared HS"}
    assert job.dataset.kind == "hs_descriptions" and job.dataset.row_count == 4 and job.dataset.name == "week.csv"
    job = runner.job_run(job_id=job.pk, heartbeat=False)
    assert job.status == "succeeded", job.log
    artifact = job.artifacts.get(name="suggestions")
    data = artifact.file.read()
    assert hashlib.sha256(data).hexdigest() == artifact.sha256 and len(data) == artifact.size
    rows = _rows(job)
    assert [row["flag"] for row in rows] == [
        "",
        "declared code not among the top 5",
        "declared code not among the top 5",
        "",
    ]
    assert rows[0]["code_1"] == "090111" and rows[0]["probability_1"] == "0.9000" and rows[0]["declared_rank"] == "1"
    assert rows[3]["description"] == "'=HYPERLINK(evil)"
    assert job.metrics["flagged_not_in_top5"] == 2 and job.metrics["too_vague"] == 1
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Classification summary" in page and "Flagged: declared code not among the top five" in page
    assert "<strong>2</strong>" in page and "Download the suggestions (CSV)" in page
    download = client.get(artifact.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == data


def test_the_champion_classifies_and_is_kept_with_the_job(client, tiny_engines, contact_point, kenya):
    HsLabelledDescriptionFactory.create_batch(10, administration=kenya, status="accepted")
    trained = services.job_submit(
        kind="aihs_train", administration=kenya, params={"source": "accepted_feedback"}, by=contact_point
    )
    champion = runner.job_run(job_id=trained.pk, heartbeat=False).produced_version
    client.force_login(contact_point)
    _post(client, kenya)
    job = ModelJob.objects.get(kind="aihs_batch")
    assert job.source_version == champion
    assert job.params == {"description_column": "Goods description", "code_column": "Declared HS"}  # found
    assert runner.job_run(job_id=job.pk, heartbeat=False).status == "succeeded"


def test_a_batch_job_can_be_cancelled_while_it_runs(tiny_engines, contact_point, kenya, monkeypatch):
    content = b"description\n" + b"green coffee beans\n" * 200
    job = services.hs_batch_submit(
        administration=kenya, uploaded=csv_upload(content), name="big", by=contact_point, seed=1
    )
    original = runner.Reporter.__call__

    def progress(self, percent, stage):
        if stage.startswith("Classified"):
            services.job_cancel(job=ModelJob.objects.get(pk=self.job_id), by=contact_point)
        return original(self, percent, stage)

    monkeypatch.setattr(runner.Reporter, "__call__", progress)
    job = runner.job_run(job_id=job.pk, heartbeat=False)
    assert job.status == "cancelled" and job.percent < 100 and not job.artifacts.exists()


@pytest.mark.parametrize(
    ("content", "fields", "message"),
    [
        (WEEK, {"description_column": "Text"}, "There is no column “Text” in the file"),
        (WEEK, {"code_column": "HS"}, "There is no column “HS” in the file"),
        (b"id,text\n1,coffee\n", {}, "No column of goods descriptions was found: name it"),
        (b"description,description\nx,y\n", {}, "Repeated columns: description."),
        (WEEK, {"description_column": "goods description", "code_column": "Goods Description"}, "two columns"),
        ("description\ncafé\n".encode("latin-1"), {}, "This is not a UTF-8 text CSV file."),
        (b"", {}, "The submitted file is empty."),
        (b"description\n", {}, "The file has a header but no rows."),
        (b"description,code\nx\n", {}, "This row has 1 cells; the header has 2."),
        (WEEK, {"seed": "-3"}, "Ensure this value is greater than or equal to 0."),
        (WEEK, {"description_column": "x" * 101}, "Ensure this value has at most 100 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_what_was_typed_stays(
    client, tiny_engines, contact_point, kenya, content, fields, message
):
    client.force_login(contact_point)
    response = _post(client, kenya, content, **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    for value in fields.values():
        assert f'value="{value}"' in page
    assert not Dataset.objects.exists() and not ModelJob.objects.exists()


def test_a_file_over_the_dataset_limit_is_refused_before_it_is_read(client, contact_point, kenya, settings):
    settings.BACUDA_DATASET_MAX_MEGABYTES = 0
    client.force_login(contact_point)
    response = _post(client, kenya, WEEK * 8000)
    assert response.status_code == 413 and "the limit is 0 MB" in response.content.decode()
    assert not Dataset.objects.exists()


def test_staff_choose_the_administration_and_another_ones_is_refused_like_a_missing_one(
    client, tiny_engines, staff, contact_point, senegal, kenya
):
    client.force_login(staff)
    assert _post(client, kenya, administration=None).status_code == 400
    assert _post(client, senegal).status_code == 302
    assert ModelJob.objects.get().administration == senegal
    client.force_login(contact_point)
    theirs, missing = _post(client, senegal), _post(client, kenya, administration=999999)
    assert theirs.status_code == missing.status_code == 400
    assert theirs.context["form"].errors == missing.context["form"].errors
    assert ModelJob.objects.count() == 1


def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def test_batch_classification_through_the_api(tiny_engines, contact_point, other_contact_point, kenya, senegal):
    api = _api(contact_point)
    upload = api.post(
        "/api/v1/datasets/",
        {"name": "week", "kind": "hs_descriptions", "file": csv_upload(b"description,hs_code\ngreen coffee,090121\n")},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    dataset = upload.json()["id"]
    body = {"kind": "aihs_batch", "dataset": dataset, "seed": 3}
    bad = api.post("/api/v1/model-jobs/", {**body, "params": {"description_column": "text"}}, format="json")
    assert bad.status_code == 400 and "There is no column “text”" in bad.json()["params"][0]
    unknown = api.post("/api/v1/model-jobs/", {**body, "params": {"colour": "red"}}, format="json")
    assert unknown.status_code == 400 and "Unknown parameters: colour." in unknown.json()["params"][0]
    senegal_model = AlgorithmVersionFactory(algorithm__kind="aihs", administration=senegal)
    theirs = api.post("/api/v1/model-jobs/", {**body, "source_version": senegal_model.pk}, format="json")
    missing = api.post("/api/v1/model-jobs/", {**body, "source_version": senegal_model.pk + 99}, format="json")
    assert theirs.status_code == missing.status_code == 400
    created = api.post("/api/v1/model-jobs/", body, format="json")
    assert created.status_code == 201, created.content
    job = runner.job_run(job_id=created.json()["id"], heartbeat=False)
    detail = api.get(f"/api/v1/model-jobs/{job.pk}/").json()
    assert detail["status"] == "succeeded" and detail["metrics"]["flagged_not_in_top5"] == 1
    assert [artifact["name"] for artifact in detail["artifacts"]] == ["suggestions"]
    assert _api(other_contact_point).get(f"/api/v1/model-jobs/{job.pk}/").status_code == 404
    their_job = _api(other_contact_point).post("/api/v1/model-jobs/", body, format="json")
    assert their_job.status_code == 400 and "dataset" in their_job.json()
