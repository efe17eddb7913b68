"""A certificate rendered by a real Celery worker process (queue ``reports``), checked for its code."""

import pytest
from django.db import transaction

from tests.factories import StaffFactory
from tests.worker import WorkerProcess, wait_for
from workshops import services
from workshops.models import Certificate

from .factories import NominationFactory, SessionFactory, WorkshopFactory
from .test_certificates import pdf_text

# serialized_rollback: the flush after a transactional test would otherwise delete the WCO Members that the
# data migration loaded, which the tests that run after this one need.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_renders_the_certificate_pdf(tmp_path):
    worker = WorkerProcess(tmp_path, queues="reports")
    try:
        staff = StaffFactory()
        workshop = WorkshopFactory(status="confirmed")
        session = SessionFactory(workshop=workshop)
        participant = NominationFactory(workshop=workshop, status="accepted", full_name="Grace Njeri")
        services.attendance_record(workshop=workshop, marks={(session.pk, participant.pk): "present"}, by=staff)
        workshop.status = "delivered"
        workshop.save()
        with transaction.atomic():
            services.certificates_issue(workshop=workshop, by=staff)
        certificate = wait_for(
            lambda: Certificate.objects.filter(status="ready").first(),
            90,
            "the rendered certificate",
            worker.process,
            worker.log,
        )
        text = pdf_text(certificate.file)
        assert certificate.verification_code in text
        assert "Grace Njeri" in text
        assert certificate.attempts == 1
    finally:
        worker.stop()
