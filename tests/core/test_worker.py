"""Tasks go through a real Celery worker process: the broker (filesystem, or Redis when REDIS_URL is set),
the worker's heartbeat, the email task and the beat tick, all seen from the database and the health page."""

import pytest
from django.db import transaction
from django.urls import reverse

from bacuda_portal.core import tasks
from bacuda_portal.core.models import WorkerHeartbeat
from bacuda_portal.members import services
from bacuda_portal.members.models import Administration
from tests.factories import StaffFactory
from tests.worker import WorkerProcess, wait_for

# serialized_rollback: the flush after a transactional test would otherwise delete the WCO Members that the
# data migration loaded, which the tests that run after this one need.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def worker(tmp_path):
    process = WorkerProcess(tmp_path)
    yield process
    process.stop()


def test_invitation_email_is_sent_by_a_real_worker(worker):
    staff = StaffFactory()
    with transaction.atomic():
        services.invitation_create(
            email="via.worker@example.org", administration=Administration.objects.get(code="KEN"), by=staff
        )
    mails = wait_for(worker.mails, 60, "the invitation email written by the worker", worker.process, worker.log)
    assert "To: via.worker@example.org" in mails[0]
    assert "/en/invitation/" in mails[0]
    assert "Kenya" in mails[0]


def test_health_page_sees_the_worker_and_beat(client, worker):
    staff = StaffFactory()
    client.force_login(staff)
    response = client.get(reverse("health"))
    assert response.status_code == 503  # a worker but no beat tick yet
    assert worker.hostname in response.content.decode()

    tasks.beat_tick.delay()
    wait_for(
        lambda: WorkerHeartbeat.objects.filter(kind="beat").exists(), 60, "the beat tick", worker.process, worker.log
    )
    response = client.get(reverse("health"))
    assert response.status_code == 200, response.content.decode()
    assert "All systems working" in response.content.decode()


def test_a_stopped_worker_says_so(worker):
    assert worker.stop() == 0
    heartbeat = WorkerHeartbeat.objects.get(hostname=worker.hostname)
    assert heartbeat.stopped_at is not None
