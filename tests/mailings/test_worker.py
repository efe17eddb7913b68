"""A confirmed mailing is sent by a real Celery worker process (queue ``default``): one email per recipient, in
their language, each recipient marked sent; a recipient already marked sent is not mailed again."""

import email
import email.policy

import pytest
from django.db import transaction

from bacuda_portal.mailings import services
from bacuda_portal.mailings.models import Mailing, MailingRecipient
from tests.factories import StaffFactory
from tests.worker import WorkerProcess, wait_for
from tests.workshops.factories import NominationFactory, WorkshopFactory

# serialized_rollback: the flush after a transactional test would otherwise delete the WCO Members that the
# data migration loaded, which the tests that run after this one need.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def parsed(text: str):
    """One message the file backend wrote (it ends each with a line of dashes), headers decoded."""
    raw = text.rstrip().removesuffix("-" * 79).encode()
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_a_real_worker_sends_the_mailing_once_per_recipient_in_their_language(tmp_path):
    worker = WorkerProcess(tmp_path, queues="default")
    try:
        staff = StaffFactory()
        workshop = WorkshopFactory(title="Risk analytics for customs")
        for name, email, language in (("Achieng Otieno", "achieng@kra.example", "en"),
                                      ("Awa Diop", "awa@douanes.example", "fr"),
                                      ("Brian Kamau", "brian@kra.example", "en")):  # fmt: skip
            NominationFactory(workshop=workshop, full_name=name, email=email, language=language, status="accepted")
        mailing = services.mailing_create(
            audience="workshop_accepted", workshop=workshop, by=staff,
            subject_en="Your place at {{ workshop }}", body_en="Dear {{ name }}, see you in Nairobi.",
            subject_fr="Votre place à {{ workshop }}", body_fr="Madame, Monsieur {{ name }}, à bientôt à Nairobi.",
        )  # fmt: skip
        with transaction.atomic():
            services.mailing_confirm(mailing=mailing, by=staff, expected_count=3)
            # Brian's message went out in an earlier run that was cut short: never again.
            MailingRecipient.objects.filter(mailing=mailing, email="brian@kra.example").update(status="sent")
        done = wait_for(
            lambda: Mailing.objects.filter(pk=mailing.pk, status="sent").first(), 90, "the sent mailing",
            worker.process, worker.log,
        )  # fmt: skip
        assert done.finished_at is not None
        mails = wait_for(lambda: len(worker.mails()) >= 2 and worker.mails(), 30, "the mail files",
                         worker.process, worker.log)  # fmt: skip
        assert len(mails) == 2
        messages = {message["To"]: message for message in map(parsed, mails)}
        assert set(messages) == {"achieng@kra.example", "awa@douanes.example"}  # not Brian
        achieng, awa = messages["achieng@kra.example"], messages["awa@douanes.example"]
        assert achieng["Subject"].endswith("Your place at Risk analytics for customs")
        assert "Dear Achieng Otieno, see you in Nairobi." in achieng.get_content()
        assert awa["Subject"].endswith("Votre place à Risk analytics for customs")
        assert "Madame, Monsieur Awa Diop, à bientôt à Nairobi." in awa.get_content()
        statuses = dict(MailingRecipient.objects.filter(mailing=mailing).values_list("email", "status"))
        assert statuses == {"achieng@kra.example": "sent", "awa@douanes.example": "sent", "brian@kra.example": "sent"}
        assert MailingRecipient.objects.get(mailing=mailing, email="awa@douanes.example").sent_at is not None
    finally:
        worker.stop()
