"""The selection simulation run by a real Celery worker process (queue ``models``) with the real engine, on the
shipped 3,000-row sample: progress per batch, the CSV and the PDF reports, and a cancel between two batches."""

import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from algorithms import services
from algorithms.models import AlgorithmVersion, ModelJob
from tests.algorithms.factories import SAMPLE
from tests.factories import ContactPointFactory
from tests.worker import WorkerProcess, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def worker_env(monkeypatch, tmp_path, settings):
    """The worker calls the configured engines (the real simulation) and beats every second."""
    monkeypatch.delenv("BACUDA_ALGORITHM_ENGINES", raising=False)
    monkeypatch.setenv("BACUDA_MODEL_JOB_WORK_DIR", str(tmp_path / "jobs"))
    monkeypatch.setenv("BACUDA_MODEL_JOB_HEARTBEAT_SECONDS", "1")
    monkeypatch.setenv("OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "1"))
    settings.BACUDA_MODEL_JOB_WORK_DIR = tmp_path / "jobs"
    return tmp_path


def _submit(params):
    from bacuda_portal.members.models import Administration

    kenya = Administration.objects.get(code="KEN")
    user = ContactPointFactory(administration=kenya).user
    upload = SimpleUploadedFile("sample.csv", SAMPLE.read_bytes(), content_type="text/csv")
    with transaction.atomic():
        dataset = services.dataset_upload(
            administration=kenya, kind="declarations", name="Public sample", uploaded=upload, by=user
        )
        return services.job_submit(
            kind="date_simulate", administration=kenya, dataset=dataset, params=params, seed=11, by=user
        )


def _job(pk):
    return ModelJob.objects.get(pk=pk)


def test_a_worker_runs_a_small_simulation(worker_env, tmp_path):
    worker = WorkerProcess(tmp_path, queues="models")
    try:
        params = {"train_start": "2020-01-01", "train_days": 60, "batches": 4, "rate": 0.2,
                  "strategies": ["random", "profiles", "lightgbm", "adaptive"]}  # fmt: skip
        job = _submit(params)
        done = wait_for(
            lambda: _job(job.pk).status in ("succeeded", "failed") and _job(job.pk),
            180,
            "the simulation to finish",
            worker.process,
            worker.log,
        )
        assert done.status == "succeeded", done.log + done.error
        assert done.worker == worker.hostname and done.percent == 100
        assert [f"batch {b} of 4" in done.log for b in range(1, 5)] == [True] * 4
        assert {a.name for a in done.artifacts.all()} == {"batches", "metrics", "report_en", "report_fr"}
        assert not AlgorithmVersion.objects.filter(job=done).exists()
        with done.artifacts.get(name="metrics").file.open("rb") as handle:
            assert json.load(handle)["strategies"] == done.metrics["strategies"]
        with done.artifacts.get(name="batches").file.open("rb") as handle:
            assert len(handle.read().decode().strip().splitlines()) == 1 + 4 * 4
        with done.artifacts.get(name="report_en").file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    finally:
        worker.stop()


def test_a_worker_cancels_a_simulation_between_batches(worker_env, tmp_path):
    worker = WorkerProcess(tmp_path, queues="models")
    try:
        params = {"train_start": "2020-01-01", "train_days": 60, "batches": 60, "rate": 0.3,
                  "strategies": ["lightgbm", "date", "hybrid_bate"]}  # fmt: skip
        job = _submit(params)
        wait_for(lambda: "batch 2 of 60" in _job(job.pk).log, 120, "the second batch", worker.process, worker.log)
        services.job_cancel(job=_job(job.pk), by=None)
        done = wait_for(
            lambda: _job(job.pk).status == "cancelled" and _job(job.pk), 60, "the cancel", worker.process, worker.log
        )
        assert done.percent < 100 and "Cancel requested; stopping." in done.log
        assert "batch 60 of 60" not in done.log and not done.artifacts.exists()
    finally:
        worker.stop()
