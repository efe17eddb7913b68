"""Sending in-process (the services the worker calls): one email per recipient in their language, each delivery
recorded; a failure recorded with its reason and retried; never twice to the same recipient. The real worker:
test_worker.py."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.mailings import services
from bacuda_portal.mailings.models import Mailing, MailingRecipient

from .conftest import draft_for_workshop

pytestmark = pytest.mark.django_db


def confirmed(mailing, staff):
    return services.mailing_confirm(mailing=mailing, by=staff, expected_count=mailing_count(mailing))


def mailing_count(mailing):
    from bacuda_portal.mailings import selectors

    return len(selectors.mailing_recipients_now(mailing))


def by_address():
    return {message.to[0]: message for message in mail.outbox}


def test_each_recipient_gets_one_email_in_their_language(workshop, staff):
    mailing = confirmed(draft_for_workshop(workshop, staff, audience="workshop_accepted"), staff)
    assert mailing.status == "queued"
    services.mailing_send(mailing_id=mailing.pk)
    sent = by_address()
    assert len(mail.outbox) == 2
    assert sent["achieng@kra.example"].subject.endswith("News for Achieng Otieno")
    assert "News about Risk analytics for customs." in sent["achieng@kra.example"].body
    assert sent["awa@douanes.example"].subject.endswith("Nouvelles pour Awa Diop")
    assert "Des nouvelles de Risk analytics for customs." in sent["awa@douanes.example"].body
    mailing.refresh_from_db()
    assert mailing.status == "sent" and mailing.finished_at is not None and mailing.attempts == 1
    assert set(mailing.recipients.values_list("status", "attempts")) == {("sent", 1)}
    assert all(recipient.sent_at for recipient in mailing.recipients.all())


def test_without_french_text_french_speakers_get_the_english_marked_as_such(workshop, staff):
    mailing = confirmed(
        draft_for_workshop(workshop, staff, audience="workshop_accepted", subject_fr="", body_fr=""), staff
    )
    awa = mailing.recipients.get(email="awa@douanes.example")
    assert (awa.preferred_language, awa.language, awa.in_fallback_language) == ("fr", "en", True)
    services.mailing_send(mailing_id=mailing.pk)
    assert by_address()["awa@douanes.example"].subject.endswith("News for Awa Diop")


@override_settings(EMAIL_BACKEND="tests.mailings.backends.RefusingBackend")
def test_a_failure_is_recorded_with_its_reason_and_the_others_still_go_out(workshop, staff):
    mailing = confirmed(draft_for_workshop(workshop, staff, audience="workshop_accepted"), staff)
    services.mailing_send(mailing_id=mailing.pk)
    assert list(by_address()) == ["achieng@kra.example"]
    awa = MailingRecipient.objects.get(mailing=mailing, email="awa@douanes.example")
    assert awa.status == "failed" and "SMTPRecipientsRefused" in awa.error and "Mailbox unknown" in awa.error
    mailing.refresh_from_db()
    assert mailing.status == "partly_sent"


def test_retry_sends_to_the_failed_recipients_only(workshop, staff):
    mailing = confirmed(draft_for_workshop(workshop, staff, audience="workshop_accepted"), staff)
    with override_settings(EMAIL_BACKEND="tests.mailings.backends.RefusingBackend"):
        services.mailing_send(mailing_id=mailing.pk)
    assert len(mail.outbox) == 1
    assert services.mailing_retry_failed(mailing=mailing, by=staff) == 1
    services.mailing_send(mailing_id=mailing.pk)
    assert [message.to for message in mail.outbox] == [["achieng@kra.example"], ["awa@douanes.example"]]
    awa = MailingRecipient.objects.get(mailing=mailing, email="awa@douanes.example")
    assert (awa.status, awa.error, awa.attempts) == ("sent", "", 2)
    mailing.refresh_from_db()
    assert mailing.status == "sent"
    with pytest.raises(TransitionError):
        services.mailing_retry_failed(mailing=mailing, by=staff)


def test_a_second_run_of_the_task_sends_nothing_again(workshop, staff):
    mailing = confirmed(draft_for_workshop(workshop, staff), staff)
    services.mailing_send(mailing_id=mailing.pk)
    count = len(mail.outbox)
    assert count == 4
    services.mailing_send(mailing_id=mailing.pk)  # a duplicate message: the mailing is no longer queued
    Mailing.objects.filter(pk=mailing.pk).update(status="queued")  # even if it were queued again by mistake
    services.mailing_send(mailing_id=mailing.pk)
    assert len(mail.outbox) == count


def test_an_interrupted_run_never_sends_twice_and_says_so(workshop, staff):
    """A worker killed mid-run leaves one recipient sending (maybe sent) and the others queued; the sweep
    re-queues the mailing; the next run sends to the queued ones only and marks the uncertain one failed."""
    mailing = confirmed(draft_for_workshop(workshop, staff), staff)
    first, second, *_rest = mailing.recipients.order_by("pk")
    MailingRecipient.objects.filter(pk=first.pk).update(status="sent", attempts=1, sent_at=timezone.now())
    MailingRecipient.objects.filter(pk=second.pk).update(status="sending", attempts=1)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Mailing.objects.filter(pk=mailing.pk).update(status="sending", attempts=1, updated_at=long_ago)
    assert services.mailings_sweep() == (1, 0)
    services.mailing_send(mailing_id=mailing.pk)
    addresses = sorted(message.to[0] for message in mail.outbox)
    assert first.email not in addresses and second.email not in addresses and len(addresses) == 2
    second.refresh_from_db()
    assert second.status == "failed" and second.error == services.INTERRUPTED
    mailing.refresh_from_db()
    assert mailing.status == "partly_sent"


def test_confirm_fixes_the_recipients_and_refuses_a_changed_audience(workshop, staff):
    from tests.workshops.factories import NominationFactory

    mailing = draft_for_workshop(workshop, staff, audience="workshop_accepted")
    NominationFactory(workshop=workshop, status="accepted", email="late@kra.example")
    with pytest.raises(TransitionError, match="changed since the preview"):
        services.mailing_confirm(mailing=mailing, by=staff, expected_count=2)
    assert not mailing.recipients.exists()
    confirmed(mailing, staff)
    assert mailing.recipients.count() == 3
    with pytest.raises(TransitionError):
        services.mailing_confirm(mailing=mailing, by=staff, expected_count=3)


def test_an_empty_audience_is_not_sent(other_contact_point, staff, esa):
    mailing = services.mailing_create(audience="region_contact_points", region=esa, by=staff,
                                      subject_en="Hello", body_en="Hello {{ name }}")  # fmt: skip
    with pytest.raises(TransitionError, match="nobody"):
        services.mailing_confirm(mailing=mailing, by=staff, expected_count=0)


def test_sending_is_audited(workshop, staff):
    from bacuda_portal.core.models import AuditEntry

    mailing = confirmed(draft_for_workshop(workshop, staff, audience="workshop_accepted"), staff)
    services.mailing_send(mailing_id=mailing.pk)
    actions = list(AuditEntry.objects.filter(target_id=str(mailing.pk), action__startswith="mailings.")
                   .order_by("pk").values_list("action", flat=True))  # fmt: skip
    assert actions == ["mailings.mailing.created", "mailings.mailing.confirmed", "mailings.mailing.sent"]
