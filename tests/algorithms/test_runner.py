"""The job runner: state machine, progress, cancel, failures, time limit, artifacts and versions."""

import hashlib
import zipfile

import pytest
from django.utils import timezone

from algorithms import runner, services
from algorithms.models import AlgorithmVersion, ModelJob

pytestmark = pytest.mark.django_db


def _submit(dataset, user, **params):
    return services.job_submit(
        kind="date_train", administration=dataset.administration, dataset=dataset, params=params, seed=11, by=user
    )


def test_a_job_runs_to_success_with_artifacts_checksums_and_an_unpublished_version(
    tiny_engines, kenya_dataset, contact_point
):
    job = _submit(kenya_dataset, contact_point)
    assert job.status == "queued" and job.attempts == 0
    job = runner.job_run(job_id=job.pk, worker="w1@test", heartbeat=False)
    assert job.status == "succeeded", job.log
    assert job.percent == 100 and job.attempts == 1 and job.worker == "w1@test"
    assert job.metrics["rows"] == 200
    assert "Training 3/3" in job.log and "Trained on 200 rows." in job.log
    artifacts = {artifact.name: artifact for artifact in job.artifacts.all()}
    assert set(artifacts) == {"model", "chart"}
    for artifact in artifacts.values():
        data = artifact.file.read()
        assert hashlib.sha256(data).hexdigest() == artifact.sha256 and len(data) == artifact.size
    assert artifacts["model"].is_directory
    with zipfile.ZipFile(artifacts["model"].file.path) as archive:
        assert "weights.json" in archive.namelist()
    version = AlgorithmVersion.objects.get(job=job)
    assert version.publication == "draft"
    assert version.metrics == job.metrics and version.model_artifact == artifacts["model"]
    assert version.administration == kenya_dataset.administration
    assert not list(tiny_engines.BACUDA_MODEL_JOB_WORK_DIR.iterdir())  # the working folder was removed


def test_a_job_is_reproducible_from_its_parameters_and_seed(tiny_engines, kenya_dataset, contact_point):
    first = runner.job_run(job_id=_submit(kenya_dataset, contact_point).pk, heartbeat=False)
    again = services.job_resubmit(job=first, by=contact_point)
    again = runner.job_run(job_id=again.pk, heartbeat=False)
    assert again.seed == first.seed and again.params == first.params
    assert again.metrics == first.metrics


def test_a_done_job_is_not_run_again_by_a_duplicate_message(tiny_engines, kenya_dataset, contact_point):
    job = runner.job_run(job_id=_submit(kenya_dataset, contact_point).pk, heartbeat=False)
    assert runner.job_run(job_id=job.pk, heartbeat=False) is None
    job.refresh_from_db()
    assert job.attempts == 1 and AlgorithmVersion.objects.filter(job=job).count() == 1


def test_an_engine_error_fails_the_job_with_its_reason(tiny_engines, kenya_dataset, contact_point):
    job = runner.job_run(job_id=_submit(kenya_dataset, contact_point, fail=True).pk, heartbeat=False)
    assert job.status == "failed"
    assert job.error == "The data has no fraud at all."
    assert not job.artifacts.exists() and not AlgorithmVersion.objects.exists()


def test_an_unexpected_error_fails_the_job_with_a_reason_and_the_traceback_in_the_log(
    tiny_engines, kenya_dataset, contact_point
):
    job = runner.job_run(job_id=_submit(kenya_dataset, contact_point, crash=True).pk, heartbeat=False)
    assert job.status == "failed"
    assert job.error == "Unexpected error: RuntimeError: boom"
    assert "Traceback" in job.log


def test_a_job_over_its_time_limit_fails_with_that_reason(tiny_engines, kenya_dataset, contact_point):
    tiny_engines.BACUDA_MODEL_JOB_SOFT_TIME_LIMIT = 1
    job = runner.job_run(job_id=_submit(kenya_dataset, contact_point, steps=20, sleep=0.1).pk, heartbeat=False)
    assert job.status == "failed"
    assert job.error == "The job exceeded its time limit of 1 seconds."


def test_a_queued_job_cancelled_never_runs(tiny_engines, kenya_dataset, contact_point):
    job = _submit(kenya_dataset, contact_point)
    services.job_cancel(job=job, by=contact_point)
    job.refresh_from_db()
    assert job.status == "cancelled" and job.finished_at is not None
    assert runner.job_run(job_id=job.pk, heartbeat=False) is None
    job.refresh_from_db()
    assert job.attempts == 0


def test_a_running_job_stops_at_its_next_progress_report_after_cancel(
    tiny_engines, kenya_dataset, contact_point, monkeypatch
):
    job = _submit(kenya_dataset, contact_point, steps=5)
    calls = []
    original = runner.Reporter.__call__

    def progress(self, percent, stage):
        calls.append(stage)
        if len(calls) == 3:  # the user presses cancel while the engine is on its second step
            services.job_cancel(job=ModelJob.objects.get(pk=self.job_id), by=contact_point)
        return original(self, percent, stage)

    monkeypatch.setattr(runner.Reporter, "__call__", progress)
    job = runner.job_run(job_id=job.pk, heartbeat=False)
    assert job.status == "cancelled"
    assert len(calls) == 3  # the engine did not go on
    assert "Cancel requested; stopping." in job.log
    assert not AlgorithmVersion.objects.exists()


def test_cancel_refuses_a_finished_job(tiny_engines, kenya_dataset, contact_point):
    from bacuda_portal.core.exceptions import TransitionError

    job = runner.job_run(job_id=_submit(kenya_dataset, contact_point).pk, heartbeat=False)
    with pytest.raises(TransitionError):
        services.job_cancel(job=job, by=contact_point)


def test_scoring_uses_the_trained_model_and_writes_a_ranked_csv(tiny_engines, kenya_dataset, contact_point):
    trained = runner.job_run(job_id=_submit(kenya_dataset, contact_point).pk, heartbeat=False)
    version = trained.produced_version
    job = services.job_submit(
        kind="date_score",
        administration=kenya_dataset.administration,
        dataset=kenya_dataset,
        source_version=version,
        by=contact_point,
    )
    job = runner.job_run(job_id=job.pk, heartbeat=False)
    assert job.status == "succeeded", job.log
    scores = job.artifacts.get(name="scores").file.read().decode()
    assert scores.startswith("Declaration ID,score")
    assert not hasattr(job, "produced_version") or job.produced_version is None


def test_two_jobs_on_the_same_dataset_work_in_separate_folders(tiny_engines, kenya_dataset, contact_point, monkeypatch):
    seen = []
    original = runner._call_engine

    def spy(job, workdir, progress):
        seen.append(workdir)
        return original(job, workdir, progress)

    monkeypatch.setattr(runner, "_call_engine", spy)
    first, second = _submit(kenya_dataset, contact_point), _submit(kenya_dataset, contact_point)
    assert runner.job_run(job_id=first.pk, heartbeat=False).status == "succeeded"
    assert runner.job_run(job_id=second.pk, heartbeat=False).status == "succeeded"
    assert seen[0] != seen[1]
    versions = AlgorithmVersion.objects.order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert first.pk != second.pk


def test_a_job_running_on_a_dead_worker_is_taken_over_by_a_redelivered_message(
    tiny_engines, kenya_dataset, contact_point
):
    job = _submit(kenya_dataset, contact_point)
    ModelJob.objects.filter(pk=job.pk).update(
        status="running", attempts=1, heartbeat_at=timezone.now() - timezone.timedelta(hours=1)
    )
    job = runner.job_run(job_id=job.pk, heartbeat=False)
    assert job.status == "succeeded" and job.attempts == 2


def test_a_job_running_with_a_fresh_heartbeat_is_left_to_its_worker(tiny_engines, kenya_dataset, contact_point):
    job = _submit(kenya_dataset, contact_point)
    ModelJob.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())
    assert runner.job_run(job_id=job.pk, heartbeat=False) is None


def test_an_engine_file_outside_its_folder_is_refused(tiny_engines, kenya_dataset, contact_point):
    job = runner.job_run(job_id=_submit(kenya_dataset, contact_point, outside=True).pk, heartbeat=False)
    assert job.status == "failed"
    assert job.error == "The engine's file “model” is missing or outside its folder."
    assert not job.artifacts.exists()
