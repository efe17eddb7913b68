"""Model jobs run by a real Celery worker process (queue ``models``), on the configured broker (Redis when
REDIS_URL is set): end to end, and a worker killed with SIGKILL in the middle of a job."""

import json
import os
import signal
import time

import pytest
from django.db import transaction

from algorithms import services
from algorithms.models import AlgorithmVersion, ModelJob
from tests.algorithms import tiny_engine
from tests.algorithms.factories import DatasetFactory
from tests.factories import ContactPointFactory
from tests.worker import WorkerProcess, wait_for

# serialized_rollback: keep the WCO Members that the data migration loaded for the tests that run after these.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def worker_env(monkeypatch, tmp_path, settings):
    """The worker process calls the tiny test engine and beats every second."""
    monkeypatch.setenv("BACUDA_ALGORITHM_ENGINES", json.dumps(tiny_engine.ENGINES))
    monkeypatch.setenv("BACUDA_MODEL_JOB_WORK_DIR", str(tmp_path / "jobs"))
    monkeypatch.setenv("BACUDA_MODEL_JOB_HEARTBEAT_SECONDS", "1")
    settings.BACUDA_MODEL_JOB_WORK_DIR = tmp_path / "jobs"
    return tmp_path


def _submit(**params):
    from bacuda_portal.members.models import Administration

    kenya = Administration.objects.get(code="KEN")
    user = ContactPointFactory(administration=kenya).user
    dataset = DatasetFactory(administration=kenya)
    with transaction.atomic():
        return services.job_submit(
            kind="date_train", administration=kenya, dataset=dataset, params=params, seed=9, by=user
        )


def _job(pk):
    return ModelJob.objects.get(pk=pk)


def test_a_worker_runs_a_job_end_to_end(worker_env, tmp_path):
    worker = WorkerProcess(tmp_path, queues="models")
    try:
        job = _submit(steps=4, sleep=0.3)
        done = wait_for(
            lambda: _job(job.pk).status in ("succeeded", "failed") and _job(job.pk),
            90,
            "the job to finish",
            worker.process,
            worker.log,
        )
        assert done.status == "succeeded", done.log
        assert done.worker == worker.hostname and done.attempts == 1
        assert done.celery_task_id
        assert "Training 4/4" in done.log
        assert {artifact.name for artifact in done.artifacts.all()} == {"model", "chart"}
        assert AlgorithmVersion.objects.get(job=done).metrics == done.metrics
    finally:
        worker.stop()


def test_a_worker_cancels_a_running_job(worker_env, tmp_path):
    worker = WorkerProcess(tmp_path, queues="models")
    try:
        job = _submit(steps=100, sleep=0.2)
        wait_for(lambda: _job(job.pk).percent > 0, 60, "the job to start", worker.process, worker.log)
        services.job_cancel(job=_job(job.pk), by=None)
        done = wait_for(
            lambda: _job(job.pk).status == "cancelled" and _job(job.pk), 30, "the cancel", worker.process, worker.log
        )
        assert done.percent < 100 and "Cancel requested; stopping." in done.log
    finally:
        worker.stop()


def test_a_job_whose_worker_is_killed_is_recovered_by_the_sweep(worker_env, tmp_path, settings):
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    first = WorkerProcess(tmp_path / "first", queues="models")
    try:
        job = _submit(steps=60, sleep=0.2)
        wait_for(lambda: _job(job.pk).percent > 0, 60, "the job to start", first.process, first.log)
        os.kill(first.process.pid, signal.SIGKILL)  # no warm shutdown, no acknowledgement, no final write
        first.process.wait(timeout=30)
    finally:
        first.stop()
    lost = _job(job.pk)
    assert lost.status == "running" and lost.attempts == 1
    settings.BACUDA_MODEL_JOB_STALE_SECONDS = 2
    time.sleep(3)  # the dead worker's heartbeat goes stale
    second = WorkerProcess(tmp_path / "second", queues="models")
    try:
        assert services.jobs_sweep() == (1, 0)
        done = wait_for(
            lambda: _job(job.pk).status in ("succeeded", "failed") and _job(job.pk),
            90,
            "the re-queued job to finish",
            second.process,
            second.log,
        )
        assert done.status == "succeeded", done.log
        assert done.attempts == 2 and done.worker == second.hostname
        assert "stopped answering" in done.log
        assert AlgorithmVersion.objects.filter(job=done).count() == 1
    finally:
        second.stop()


def test_a_job_killed_too_often_is_failed_with_a_reason_by_the_sweep(worker_env, tmp_path, settings):
    settings.BACUDA_MODEL_JOB_MAX_ATTEMPTS = 1
    settings.BACUDA_MODEL_JOB_STALE_SECONDS = 2
    worker = WorkerProcess(tmp_path, queues="models")
    try:
        job = _submit(steps=60, sleep=0.2)
        wait_for(lambda: _job(job.pk).percent > 0, 60, "the job to start", worker.process, worker.log)
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.wait(timeout=30)
    finally:
        worker.stop()
    time.sleep(3)
    assert services.jobs_sweep() == (0, 1)
    failed = _job(job.pk)
    assert failed.status == "failed"
    assert failed.error == "The worker running this job stopped answering; the job was given up after 1 attempt."


def test_a_worker_classifies_a_batch_of_descriptions_and_cancels_another(worker_env, tmp_path, monkeypatch):
    """AI-HS batch classification (issue 13) on the models queue: progress, a checksummed CSV, the summary; and a
    cancel while it runs (the tiny engine waits TINY_BATCH_SLEEP seconds a description)."""
    import csv
    import hashlib
    import io

    from bacuda_portal.members.models import Administration
    from tests.algorithms.conftest import csv_upload

    monkeypatch.setenv("TINY_BATCH_SLEEP", "0.02")
    kenya = Administration.objects.get(code="KEN")
    user = ContactPointFactory(administration=kenya).user
    week = b"description,declared_code\n" + b"green coffee beans,090111\nfrozen shrimp,030617\n" * 100
    worker = WorkerProcess(tmp_path, queues="models")
    try:
        with transaction.atomic():
            job = services.hs_batch_submit(
                administration=kenya, uploaded=csv_upload(week), name="week", by=user, seed=5
            )
        done = wait_for(
            lambda: _job(job.pk).status in ("succeeded", "failed") and _job(job.pk),
            90,
            "the batch job to finish",
            worker.process,
            worker.log,
        )
        assert done.status == "succeeded", done.log
        assert done.worker == worker.hostname and "Classified 64 of 200 descriptions" in done.log
        artifact = done.artifacts.get(name="suggestions")
        data = artifact.file.read()
        assert hashlib.sha256(data).hexdigest() == artifact.sha256
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        assert len(rows) == 200 and rows[0]["code_1"] == "090111" and rows[0]["declared_rank"] == "1"
        assert done.metrics["flagged_not_in_top5"] == 100 and done.metrics["declared_first"] == 100

        with transaction.atomic():
            long = services.hs_batch_submit(
                administration=kenya, uploaded=csv_upload(week * 3), name="long", by=user, seed=5
            )
        wait_for(lambda: _job(long.pk).percent > 2, 60, "the batch job to start", worker.process, worker.log)
        services.job_cancel(job=_job(long.pk), by=user)
        stopped = wait_for(
            lambda: _job(long.pk).status == "cancelled" and _job(long.pk), 30, "the cancel", worker.process, worker.log
        )
        assert stopped.percent < 100 and not stopped.artifacts.exists()
    finally:
        worker.stop()
