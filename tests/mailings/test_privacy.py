"""Mailing recipients in the data-protection register: found by address, exported, erased on request or after
the retention period (name and address pseudonymised, the delivery outcome kept)."""

import datetime as dt

import pytest
from django.utils import timezone

from bacuda_portal.core import privacy, privacy_services
from bacuda_portal.mailings import services
from bacuda_portal.mailings.models import Mailing, MailingRecipient
from tests.factories import ContactPointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_mailing(staff, senegal):
    person = ContactPointFactory(administration=senegal, user__email="fatou@douanes.example",
                                 user__full_name="Fatou Sarr").user  # fmt: skip
    mailing = services.mailing_create(audience="administration_contact_points", administrations=[senegal], by=staff,
                                      subject_en="Network news", body_en="Dear {{ name }}")  # fmt: skip
    services.mailing_confirm(mailing=mailing, by=staff, expected_count=1)
    services.mailing_send(mailing_id=mailing.pk)
    return person, mailing


def test_recipients_fall_due_after_the_retention_period(sent_mailing):
    category = privacy.get("mailings.recipients")
    assert "24 months" in category.retention()
    assert not category.due(timezone.now() + dt.timedelta(days=700)).exists()
    counts = privacy_services.retention_run(now=timezone.now() + dt.timedelta(days=740))
    assert counts["mailings.recipients"] == 1
    recipient = MailingRecipient.objects.get()
    assert privacy.is_erased_email(recipient.email) and privacy.is_pseudonym(recipient.name)
    assert recipient.status == "sent"  # the mailing's counts stay true
    assert privacy_services.retention_run(now=timezone.now() + dt.timedelta(days=740))["mailings.recipients"] == 0


def test_a_persons_erasure_and_export_cover_their_mailings(sent_mailing, staff):
    person, mailing = sent_mailing
    data, _files = privacy_services.person_data(privacy.DataSubject.for_user(person))
    assert data["categories"]["mailings.recipients"]["records"][0]["subject"] == "Network news"
    request = privacy_services.erasure_request(user=person)
    privacy_services.erasure_carry_out(request=request, by=staff)
    recipient = MailingRecipient.objects.get(mailing=mailing)
    assert "fatou" not in recipient.email and "Fatou" not in recipient.name
    assert Mailing.objects.get(pk=mailing.pk).status == "sent"
