"""The beat sweep: jobs lost with a dead worker or a lost message are re-queued, then failed with a reason."""

import datetime as dt

import pytest
from django.utils import timezone

from algorithms import runner, services
from algorithms.models import ModelJob
from tests.algorithms.factories import ModelJobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The run_job messages the sweep sends (on commit), captured at the broker's door."""
    from algorithms import tasks

    messages = []

    class Result:
        id = "task-id"

    monkeypatch.setattr(tasks.run_job, "apply_async", lambda kwargs: messages.append(kwargs["job_id"]) or Result())
    return messages


def _lost(dataset, attempts=1, minutes=10, **fields):
    job = ModelJobFactory(dataset=dataset, administration=dataset.administration, **fields)
    ModelJob.objects.filter(pk=job.pk).update(
        status="running",
        attempts=attempts,
        started_at=timezone.now() - dt.timedelta(minutes=minutes),
        heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes),
        worker="dead@host",
    )
    return job


def test_a_job_whose_worker_stopped_answering_is_queued_again(kenya_dataset, sent, django_capture_on_commit_callbacks):
    job = _lost(kenya_dataset)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.jobs_sweep() == (1, 0)
    job.refresh_from_db()
    assert job.status == "queued" and job.attempts == 1
    assert "stopped answering (dead@host); queued again" in job.log
    assert sent == [job.pk]


def test_a_job_lost_too_often_is_failed_with_a_reason(
    kenya_dataset, sent, django_capture_on_commit_callbacks, settings
):
    settings.BACUDA_MODEL_JOB_MAX_ATTEMPTS = 3
    job = _lost(kenya_dataset, attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.jobs_sweep() == (0, 1)
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert job.error == "The worker running this job stopped answering; the job was given up after 3 attempts."
    assert sent == []


def test_a_job_running_past_its_hard_time_limit_is_failed(kenya_dataset, sent, settings):
    settings.BACUDA_MODEL_JOB_SOFT_TIME_LIMIT = 60
    settings.BACUDA_MODEL_JOB_TIME_LIMIT = 120
    job = _lost(kenya_dataset, minutes=3)
    ModelJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())  # still beating, but far too long
    services.jobs_sweep()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "The job exceeded its time limit of 60 seconds."


def test_a_healthy_running_job_and_a_fresh_queued_job_are_left_alone(kenya_dataset, sent):
    running = _lost(kenya_dataset)
    ModelJob.objects.filter(pk=running.pk).update(heartbeat_at=timezone.now())
    queued = ModelJobFactory(dataset=kenya_dataset, queued_at=timezone.now())
    assert services.jobs_sweep() == (0, 0)
    running.refresh_from_db()
    queued.refresh_from_db()
    assert (running.status, queued.status) == ("running", "queued")


def test_a_queued_job_whose_message_was_lost_is_sent_again(kenya_dataset, sent, django_capture_on_commit_callbacks):
    job = ModelJobFactory(dataset=kenya_dataset, queued_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.jobs_sweep() == (1, 0)
    assert sent == [job.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.jobs_sweep() == (0, 0)  # not again until another stale period passes


def test_a_cancel_requested_on_a_dead_workers_job_ends_it_cancelled(kenya_dataset, sent):
    job = _lost(kenya_dataset, cancel_requested=True)
    services.jobs_sweep()
    job.refresh_from_db()
    assert job.status == "cancelled"


def test_a_requeued_job_then_runs_to_success(tiny_engines, kenya_dataset, sent, django_capture_on_commit_callbacks):
    job = _lost(kenya_dataset)
    with django_capture_on_commit_callbacks(execute=True):
        services.jobs_sweep()
    job = runner.job_run(job_id=job.pk, heartbeat=False)
    assert job.status == "succeeded" and job.attempts == 2
