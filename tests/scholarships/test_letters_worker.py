"""A decision letter approved by staff is sent by a real Celery worker process listening on ``default`` only."""

import pytest
from django.db import transaction

from scholarships import services
from scholarships.models import Letter
from tests.factories import StaffFactory
from tests.worker import WorkerProcess, wait_for

from .factories import SubmittedApplicationFactory

# serialized_rollback: the flush after a transactional test would otherwise delete the WCO Members that the
# data migration loaded, which the tests that run after this one need.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_sends_the_approved_letter(tmp_path):
    worker = WorkerProcess(tmp_path, queues="default")
    try:
        staff = StaffFactory()
        application = SubmittedApplicationFactory(full_name="Awa Diop")
        letter = Letter.objects.create(
            application=application, call=application.call, outcome="selected", to="awa.diop@example.org",
            language="en", subject="Your BACUDA scholarship", body="Dear Awa Diop, you are selected.",
        )  # fmt: skip
        with transaction.atomic():
            services.letter_approve(letter=letter, by=staff)
        sent = wait_for(
            lambda: Letter.objects.filter(pk=letter.pk, status="sent").first(), 90, "the sent letter",
            worker.process, worker.log,
        )  # fmt: skip
        assert sent.sent_at is not None
        mails = wait_for(worker.mails, 30, "the mail file", worker.process, worker.log)
        assert any("Dear Awa Diop, you are selected." in text and "awa.diop@example.org" in text for text in mails)
    finally:
        worker.stop()
