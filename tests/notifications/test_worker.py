"""A notification made by a real service is sent by a real Celery worker process, which marks its log row sent."""

import datetime as dt

import pytest
from django.db import transaction

from bacuda_portal.members.enums import Role
from bacuda_portal.members.models import Administration
from bacuda_portal.notifications.enums import Kind, Status
from bacuda_portal.notifications.models import Notification
from tests.factories import ContactPointFactory, StaffFactory
from tests.worker import WorkerProcess, wait_for
from workshops import services as workshop_services

# serialized_rollback: the flush after a transactional test would otherwise delete the WCO Members and the seeded
# notification templates that the data migrations loaded, which the tests that run after this one need.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_sends_the_notification_in_the_recipients_language_and_marks_it_sent(tmp_path):
    worker = WorkerProcess(tmp_path, queues="default")
    try:
        StaffFactory(role=Role.PROJECT_OFFICER, email="agent@example.org", preferred_language="fr")
        kenya = Administration.objects.get(code="KEN")
        contact_point = ContactPointFactory(administration=kenya).user
        with transaction.atomic():
            workshop_services.request_submit(
                administration=kenya, by=contact_point, topic="Analyse de risque", language="fr",
                preferred_start=dt.date(2026, 9, 1), preferred_end=dt.date(2026, 9, 4), expected_participants=12,
                justification="Besoin de formation.",
            )  # fmt: skip
        sent = wait_for(
            lambda: Notification.objects.filter(
                kind=Kind.WORKSHOP_REQUESTED, email="agent@example.org", status=Status.SENT
            ).first(),
            90, "the sent notification", worker.process, worker.log,
        )  # fmt: skip
        assert sent.sent_at is not None and sent.attempts == 1 and sent.error == ""
        mails = wait_for(worker.mails, 30, "the mail file", worker.process, worker.log)
        assert any("Analyse de risque" in text and "agent@example.org" in text for text in mails)
        assert any("Examiner la demande" in text for text in mails)  # the French template
    finally:
        worker.stop()
