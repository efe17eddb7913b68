"""The background-row kit (core/background.py): claim, fail, sweep, requeue and enqueue-by-name, on a real model."""

import datetime as dt

import pytest
from django.utils import timezone

from bacuda_portal.core.background import Lifecycle, enqueue
from bacuda_portal.core.models import AuditEntry, ExportStatus, PersonalDataExport
from bacuda_portal.core.privacy_services import BUILDING

pytestmark = pytest.mark.django_db

KIT = Lifecycle(
    model=PersonalDataExport,
    waiting=ExportStatus.QUEUED,
    working=ExportStatus.BUILDING,
    failed=ExportStatus.FAILED,
    task="core.build_personal_export",
    id_argument="export_id",
    sweep_action="test.sweep",
    retry_action="test.retried",
    stale_after=dt.timedelta(minutes=30),
    max_attempts=2,
)


@pytest.fixture
def export(applicant):
    return PersonalDataExport.objects.create(user=applicant, queued_at=timezone.now())


def _aged(row, minutes: int):
    PersonalDataExport.objects.filter(pk=row.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_a_row_is_claimed_once(export):
    assert KIT.claim(export.pk) is True
    assert KIT.claim(export.pk) is False  # a duplicate message does nothing
    export.refresh_from_db()
    assert (export.status, export.attempts) == (ExportStatus.BUILDING, 1)
    assert export.started_at is not None


def test_a_failure_keeps_its_reason(export):
    KIT.claim(export.pk)
    KIT.fail(export.pk, ValueError("x" * 5000))
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error.startswith("ValueError: xxx") and len(export.error) == 2000
    assert export.finished_at is not None


def test_the_sweep_requeues_stale_rows_then_gives_up(export, django_capture_on_commit_callbacks):
    fresh = PersonalDataExport.objects.create(user=export.user, status=ExportStatus.READY)
    KIT.claim(export.pk)
    _aged(export, 31)
    with django_capture_on_commit_callbacks() as callbacks:
        assert KIT.sweep() == (1, 0)
    assert len(callbacks) == 1  # its task queued again
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED
    KIT.claim(export.pk)  # second attempt, lost again
    _aged(export, 31)
    assert KIT.sweep() == (0, 1)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "2 attempts" in export.error
    assert AuditEntry.objects.filter(action="test.sweep").count() == 2
    fresh.refresh_from_db()
    assert fresh.status == ExportStatus.READY  # a finished row is never touched


def test_a_row_that_is_not_stale_is_left_alone(export):
    KIT.claim(export.pk)
    _aged(export, 5)
    assert KIT.sweep() == (0, 0)
    assert not AuditEntry.objects.filter(action="test.sweep").exists()


def test_a_sweep_told_no_delay_takes_every_waiting_row(export, django_capture_on_commit_callbacks):
    """``stale_after=timedelta(0)`` means at once (the fault tests' sweep right after a restart), not the default."""
    import datetime as dt

    with django_capture_on_commit_callbacks():
        assert KIT.sweep(stale_after=dt.timedelta(0)) == (1, 0)


def test_only_a_failed_row_is_queued_again(export, staff, django_capture_on_commit_callbacks):
    assert KIT.requeue(export.pk, by=staff) is False
    KIT.claim(export.pk)
    KIT.fail(export.pk, "broken")
    with django_capture_on_commit_callbacks() as callbacks:
        assert KIT.requeue(export.pk, by=staff) is True
    assert len(callbacks) == 1
    export.refresh_from_db()
    assert (export.status, export.attempts, export.error, export.started_at) == (ExportStatus.QUEUED, 0, "", None)
    assert AuditEntry.objects.get(action="test.retried").actor == staff


def test_enqueue_runs_the_named_task_after_commit(export, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("core.build_personal_export", export_id=export.pk)
        export.refresh_from_db()
        assert export.status == ExportStatus.QUEUED  # nothing before the commit
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.file


def test_the_portals_exports_use_the_kit():
    assert BUILDING.model is PersonalDataExport and BUILDING.task == "core.build_personal_export"


def test_a_passing_failure_waits_for_another_attempt_until_the_last(export):
    KIT.claim(export.pk)
    assert KIT.fail_or_retry(export.pk, OSError("mail server down")) is True
    export.refresh_from_db()
    assert (export.status, export.attempts) == (ExportStatus.QUEUED, 1)
    assert export.error == "OSError: mail server down"
    assert KIT.claim(export.pk) is True  # the retry takes it again: attempt 2 of 2
    assert KIT.fail_or_retry(export.pk, OSError("still down")) is False
    export.refresh_from_db()
    assert (export.status, export.attempts, export.error) == (ExportStatus.FAILED, 2, "OSError: still down")
