"""The selection simulation job (issue 14): form and API with their checks, the runner with the real engine, the job
page's comparison table and charts, the CSV of every batch and the PDF report, and who may see them."""

import csv
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from algorithms import runner, services
from algorithms.enums import JOB_ALGORITHM, VERSION_PRODUCING_KINDS, AlgorithmKind, JobKind
from algorithms.models import AlgorithmVersion, ModelJob
from tests.algorithms.factories import SAMPLE

pytestmark = pytest.mark.django_db
os.environ.setdefault("OMP_NUM_THREADS", "1")
SIM = {"train_start": "2020-01-01", "train_days": 60, "batches": 3, "rate": 0.2,
       "strategies": ["random", "lightgbm", "hybrid_bate"]}  # fmt: skip


@pytest.fixture
def work_dir(settings, tmp_path):
    settings.BACUDA_MODEL_JOB_WORK_DIR = tmp_path / "jobs"
    return settings


@pytest.fixture
def sample_dataset(kenya, contact_point):
    """The shipped 3,000-row sample (2020-01-01 to 2021-06-30), uploaded so that its dates are known."""
    upload = SimpleUploadedFile("sample.csv", SAMPLE.read_bytes(), content_type="text/csv")
    return services.dataset_upload(
        administration=kenya, kind="declarations", name="Public sample", uploaded=upload, by=contact_point
    )


@pytest.fixture
def finished(work_dir, sample_dataset, kenya, contact_point):
    job = services.job_submit(
        kind="date_simulate", administration=kenya, dataset=sample_dataset, params=dict(SIM), seed=4, by=contact_point
    )
    return runner.job_run(job_id=job.pk, heartbeat=False)


def _bytes(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def test_the_kind_belongs_to_date_and_produces_no_version():
    assert JobKind.DATE_SIMULATE == "date_simulate"
    assert JOB_ALGORITHM[JobKind.DATE_SIMULATE] == AlgorithmKind.DATE
    assert JobKind.DATE_SIMULATE not in VERSION_PRODUCING_KINDS


# ----------------------------------------------------------------------------------------------- the run
def test_a_simulation_job_runs_the_engine_and_keeps_csv_json_and_pdf_reports(finished, client, contact_point):
    job = finished
    assert job.status == "succeeded", job.log
    assert not AlgorithmVersion.objects.filter(job=job).exists()
    assert {a.name for a in job.artifacts.all()} == {"batches", "metrics", "report_en", "report_fr"}
    assert job.metrics["seed"] == 4 and set(job.metrics["strategies"]) == {"random", "lightgbm", "hybrid_bate"}
    assert [line for line in job.log.splitlines() if "batch " in line][-1].endswith("batch 3 of 3")
    client.force_login(contact_point)
    rows = list(csv.DictReader(io.StringIO(_bytes(client, job.artifacts.get(name="batches").get_absolute_url())
                                           .decode())))  # fmt: skip
    assert len(rows) == 9 and {r["strategy"] for r in rows} == {"random", "lightgbm", "hybrid_bate"}
    assert {r["batch"] for r in rows} == {"1", "2", "3"}
    final = {r["strategy"]: r for r in rows if r["batch"] == "3"}
    assert float(final["lightgbm"]["cumulative_precision"]) == job.metrics["strategies"]["lightgbm"]["precision"]
    texts = {}
    for language in ("en", "fr"):
        pdf = _bytes(client, job.artifacts.get(name=f"report_{language}").get_absolute_url())
        texts[language] = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    lightgbm = job.metrics["strategies"]["lightgbm"]
    assert "Selection strategies compared" in texts["en"] and "LightGBM exploitation" in texts["en"]
    assert f"{lightgbm['precision']:.3f}" in texts["en"] and f"{lightgbm['recall']:.3f}" in texts["en"]
    # the French report is rendered in French (its new phrases are translated with the pending French strings)
    assert "Graine aléatoire" in texts["fr"] and f"{lightgbm['precision']:.3f}".replace(".", ",") in texts["fr"]


def test_the_job_page_shows_the_comparison_table_charts_and_downloads(finished, client, contact_point):
    job = finished
    client.force_login(contact_point)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'id="simulation-comparison"' in page
    for label in ("Random", "LightGBM exploitation", "LightGBM + bATE-style exploration"):
        assert label in page
    assert page.count("<svg") == 4 and "Cumulative precision" in page and "Cumulative recall" in page
    lightgbm = job.metrics["strategies"]["lightgbm"]
    assert f"{lightgbm['precision']:.3f}" in page and f"{lightgbm['recall']:.3f}" in page
    for name in ("batches", "report_en", "report_fr"):
        assert job.artifacts.get(name=name).get_absolute_url() in page
    assert "strategies / " not in page  # the series are drawn, not dumped in the metrics table


def test_the_job_page_in_french(finished, client, contact_point):
    client.force_login(contact_point)
    page = client.get(finished.get_absolute_url().replace("/en/", "/fr/", 1)).content.decode()
    assert 'id="simulation-comparison"' in page and "Graine aléatoire" in page
    assert f"{finished.metrics['strategies']['lightgbm']['precision']:.3f}".replace(".", ",") in page


def test_run_again_keeps_the_parameters_and_the_seed(finished, client, contact_point):
    client.force_login(contact_point)
    client.post(reverse("algorithms:job_rerun", args=[finished.pk]))
    again = ModelJob.objects.exclude(pk=finished.pk).get()
    assert (again.kind, again.params, again.seed) == ("date_simulate", finished.params, 4)


# ----------------------------------------------------------------------------------------------- access
def test_only_the_administration_and_staff_see_the_simulation_and_its_files(
    finished, client, contact_point, other_contact_point, staff
):
    urls = [finished.get_absolute_url()] + [a.get_absolute_url() for a in finished.artifacts.all()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(other_contact_point)
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    client.force_login(contact_point)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    client.force_login(staff)
    assert client.get(urls[0]).status_code == 200
    api = APIClient()
    detail = reverse("v1:model-job-detail", args=[finished.pk])
    assert api.get(detail).status_code == 401
    api.force_authenticate(other_contact_point)
    assert api.get(detail).status_code == 404
    api.force_authenticate(contact_point)
    data = api.get(detail).json()
    assert data["kind"] == "date_simulate" and {a["name"] for a in data["artifacts"]} >= {"batches", "report_en"}


# ----------------------------------------------------------------------------------------------- the form
def _form(sample_dataset, kenya, **changes):
    data = {"kind": "date_simulate", "administration": kenya.pk, "dataset": sample_dataset.pk, "seed": 3,
            "train_start": "2020-01-01", "train_days": 91, "batch_days": 7, "batches": 52, "rate": "0.05",
            "strategies": ["random", "lightgbm"], "exploration": "0.1", "retrain_every": 1}  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_submit_a_simulation_from_the_page(client, contact_point, kenya, sample_dataset):
    client.force_login(contact_point)
    data = _form(sample_dataset, kenya, final_rate="0.1", strategies=["adaptive", "random"])
    response = client.post(reverse("algorithms:job_create"), data)
    job = ModelJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "date_simulate" and job.seed == 3
    assert job.params == {"train_start": "2020-01-01", "train_days": 91, "batch_days": 7, "batches": 52,
                          "rate": 0.05, "final_rate": 0.1, "exploration": 0.1, "retrain_every": 1,
                          "strategies": ["adaptive", "random"]}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"train_start": "2019-06-01"}, "Choose a date within the dataset, from 2020-01-01 to 2021-06-30."),
        ({"batches": 0}, "Give a number from 1 to 520."),
        ({"batches": 80}, "after the dataset&#x27;s last date (2021-06-30)"),
        ({"rate": "0"}, "Give a number more than 0 and at most 1."),
        ({"rate": "1.5"}, "Give a number more than 0 and at most 1."),
        ({"final_rate": "2"}, "Give a number more than 0 and at most 1."),
        ({"strategies": None}, "Choose at least one strategy."),
        ({"train_days": 0}, "Give a number from 1 to 3660."),
    ],
)
def test_the_form_refuses_a_simulation_that_cannot_run(client, contact_point, kenya, sample_dataset, changes, message):
    client.force_login(contact_point)
    response = client.post(reverse("algorithms:job_create"), _form(sample_dataset, kenya, **changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not ModelJob.objects.exists()


def test_a_simulation_needs_labels(client, contact_point, kenya):
    from tests.algorithms.factories import DatasetFactory

    unlabelled = DatasetFactory(administration=kenya, has_labels=False)
    client.force_login(contact_point)
    response = client.post(reverse("algorithms:job_create"), _form(unlabelled, kenya))
    assert "A simulation needs a dataset with the Fraud and Critical Fraud columns." in response.content.decode()


def test_the_simulation_fields_do_not_bother_other_jobs(client, contact_point, kenya, sample_dataset):
    client.force_login(contact_point)
    response = client.post(
        reverse("algorithms:job_create"), _form(sample_dataset, kenya, kind="date_train", rate="7", batches=0)
    )
    assert response.status_code == 302
    assert ModelJob.objects.get().params == {}


# ----------------------------------------------------------------------------------------------- the API
def test_the_api_creates_a_simulation_and_checks_its_parameters(contact_point, sample_dataset, kenya):
    api = APIClient()
    api.force_authenticate(contact_point)
    url = reverse("v1:model-job-list")
    body = {"kind": "date_simulate", "dataset": sample_dataset.pk, "seed": 8, "params": dict(SIM)}
    response = api.post(url, body, format="json")
    assert response.status_code == 201, response.content
    job = ModelJob.objects.get(pk=response.json()["id"])
    assert (job.kind, job.params, job.seed, job.administration) == ("date_simulate", SIM, 8, kenya)
    for params, expected in (
        ({**SIM, "rate": 0}, "rate: Give a number more than 0 and at most 1."),
        ({**SIM, "batches": 0}, "batches: Give a number from 1 to 520."),
        ({**SIM, "strategies": []}, "strategies: Choose at least one strategy."),
        ({**SIM, "strategies": ["oracle"]}, "strategies: Unknown strategy."),
        ({**SIM, "train_start": "2022-01-01"}, "train_start: Choose a date within the dataset"),
        ({**SIM, "colour": "red"}, "Unknown parameter(s) for the selection simulation: colour."),
    ):
        response = api.post(url, {**body, "params": params}, format="json")
        assert response.status_code == 400, params
        assert any(message.startswith(expected) for message in response.json()["params"]), response.json()
    assert ModelJob.objects.count() == 1


def test_an_engine_refusal_fails_the_job_with_its_reason(work_dir, sample_dataset, kenya, contact_point):
    """One day of history has too few frauds to learn from: the dates pass the form, the engine says why not."""
    job = services.job_submit(kind="date_simulate", administration=kenya, dataset=sample_dataset,
                              params={**SIM, "train_days": 1}, seed=1, by=contact_point)  # fmt: skip
    done = runner.job_run(job_id=job.pk, heartbeat=False)
    assert done.status == "failed" and not done.artifacts.exists()
    assert "The first training window (2020-01-01 to 2020-01-01) has" in done.error
    assert "at least 5 of each are needed" in done.error
