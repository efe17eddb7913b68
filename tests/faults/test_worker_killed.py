"""kill -9 a real Celery worker in the middle of its work, start another, let the beat sweep do its job: every
certificate and every model job ends finished (or failed with a reason), and nothing is lost."""

import datetime as dt
import hashlib
import json
import os
import signal

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tests.factories import StaffFactory
from tests.worker import WorkerProcess, wait_for
from workshops import services as workshop_services
from workshops.models import Certificate

# serialized_rollback: the flush after a transactional test would otherwise delete the WCO Members that the
# data migration loaded, which the tests that run after this one need.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def kill_hard(worker: WorkerProcess) -> None:
    """SIGKILL: no warm shutdown, no acknowledgement, no chance to mark anything."""
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=30)
    worker.stop()


def test_certificates_survive_a_worker_killed_while_rendering(tmp_path):
    from tests.workshops.factories import NominationFactory, SessionFactory, WorkshopFactory

    staff = StaffFactory()
    workshop = WorkshopFactory(status="confirmed")
    session = SessionFactory(workshop=workshop)
    participants = [
        NominationFactory(workshop=workshop, status="accepted", full_name=f"Participant {n}") for n in range(4)
    ]
    workshop_services.attendance_record(
        workshop=workshop, marks={(session.pk, p.pk): "present" for p in participants}, by=staff
    )
    workshop.status = "delivered"
    workshop.save()

    (tmp_path / "first").mkdir()
    first = WorkerProcess(tmp_path / "first", queues="reports")
    with transaction.atomic():
        workshop_services.certificates_issue(workshop=workshop, by=staff)
    # The moment a rendering has started (its attempt is counted before WeasyPrint runs), kill the worker.
    wait_for(
        lambda: Certificate.objects.filter(attempts__gte=1, status="rendering").exists(),
        90,
        "a rendering in progress",
        first.process,
        first.log,
    )
    kill_hard(first)
    assert Certificate.objects.filter(status="rendering").exists(), "the kill came too late to test anything"
    interrupted = set(Certificate.objects.filter(status="rendering", attempts__gte=1).values_list("pk", flat=True))

    # A new worker starts (it purges its queue: the harshest case, nothing survives in the broker) and beat's
    # sweep, some minutes later, queues every certificate still pending or rendering again.
    (tmp_path / "second").mkdir()
    second = WorkerProcess(tmp_path / "second", queues="reports")
    try:
        requeued, failed = workshop_services.certificates_sweep(stale_after=dt.timedelta(0))
        assert failed == 0 and requeued >= len(interrupted)
        wait_for(
            lambda: Certificate.objects.filter(status="ready").count() == len(participants),
            180,
            "every certificate rendered after the restart",
            second.process,
            second.log,
        )
    finally:
        second.stop()
    for certificate in Certificate.objects.all():
        assert certificate.error == ""
        assert hashlib.sha256(certificate.file.read()).hexdigest() == certificate.checksum
        certificate.file.close()
    for pk in interrupted:
        assert Certificate.objects.get(pk=pk).attempts >= 2  # it really was rendered again


@pytest.fixture
def tiny_engine_worker_env(monkeypatch, tmp_path):
    """Workers started now run the tiny test engine (real code, real runner), with a heartbeat every second."""
    from tests.algorithms import tiny_engine

    monkeypatch.setenv("BACUDA_ALGORITHM_ENGINES", json.dumps(tiny_engine.ENGINES))
    monkeypatch.setenv("BACUDA_MODEL_JOB_WORK_DIR", str(tmp_path / "jobs"))
    monkeypatch.setenv("BACUDA_MODEL_JOB_HEARTBEAT_SECONDS", "1")


def test_a_model_job_survives_a_worker_killed_while_running(tmp_path, tiny_engine_worker_env, kenya, contact_point):
    from algorithms import services as algorithm_services
    from algorithms.models import ModelJob
    from tests.algorithms.factories import DatasetFactory

    dataset = DatasetFactory(administration=kenya, uploaded_by=contact_point, name="Kenya faults")
    (tmp_path / "first").mkdir()
    first = WorkerProcess(tmp_path / "first", queues="models")
    with transaction.atomic():
        job = algorithm_services.job_submit(
            kind="date_train",
            administration=kenya,
            dataset=dataset,
            by=contact_point,
            params={"sleep": 1, "steps": 6},
        )
    running = wait_for(
        lambda: ModelJob.objects.filter(pk=job.pk, status="running", percent__gt=0).first(),
        90,
        "the job running in the first worker",
        first.process,
        first.log,
    )
    kill_hard(first)
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1, "the kill came too late to test anything"
    assert running.worker == first.hostname

    (tmp_path / "second").mkdir()
    second = WorkerProcess(tmp_path / "second", queues="models")
    try:
        # The heartbeat stopped; once it is older than the stale period, beat's sweep queues the job again.
        later = timezone.now() + dt.timedelta(seconds=settings.BACUDA_MODEL_JOB_STALE_SECONDS + 5)
        assert algorithm_services.jobs_sweep(now=later) == (1, 0)
        finished = wait_for(
            lambda: ModelJob.objects.filter(pk=job.pk, status__in=("succeeded", "failed")).first(),
            120,
            "the job finished by the second worker",
            second.process,
            second.log,
        )
    finally:
        second.stop()
    assert finished.status == "succeeded", finished.error
    assert finished.attempts == 2
    assert finished.worker == second.hostname
    assert finished.artifacts.exists()


def test_a_report_survives_a_worker_killed_while_rendering(tmp_path):
    from bacuda_portal.reports import services as report_services
    from bacuda_portal.reports.models import Report
    from tests.reports.factories import framework

    staff = StaffFactory()
    framework(2025)
    (tmp_path / "first").mkdir()
    first = WorkerProcess(tmp_path / "first", queues="reports")
    with transaction.atomic():
        report, created = report_services.report_request(
            kind="progress",
            language="en",
            by=staff,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
        )
    assert created
    wait_for(
        lambda: Report.objects.filter(pk=report.pk, status="rendering").exists(),
        90,
        "the report rendering in the first worker",
        first.process,
        first.log,
    )
    kill_hard(first)
    report.refresh_from_db()
    assert report.status == "rendering" and report.attempts == 1, "the kill came too late to test anything"

    (tmp_path / "second").mkdir()
    second = WorkerProcess(tmp_path / "second", queues="reports")
    try:
        later = timezone.now() + report_services.STALE_AFTER + dt.timedelta(seconds=5)
        assert report_services.reports_sweep(now=later) == (1, 0)
        finished = wait_for(
            lambda: Report.objects.filter(pk=report.pk, status__in=("ready", "failed")).first(),
            180,
            "the report rendered by the second worker",
            second.process,
            second.log,
        )
    finally:
        second.stop()
    assert finished.status == "ready", finished.error
    assert finished.attempts == 2
    assert hashlib.sha256(finished.file.read()).hexdigest() == finished.checksum
    finished.file.close()
