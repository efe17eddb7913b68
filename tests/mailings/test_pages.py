"""The staff mailing pages through Django's test client: write, preview, confirm, follow; templates; refusals
that keep what was typed; query counts that do not grow with the rows; staff only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.mailings import services
from bacuda_portal.mailings.models import Mailing, MailingRecipient, MailingTemplate

from .conftest import TEXTS, draft_for_workshop

pytestmark = pytest.mark.django_db


def form_data(for_workshop, **changes):
    return {"audience": "workshop_accepted", "workshop": for_workshop.pk, **TEXTS} | changes


def test_staff_write_a_mailing_and_see_its_preview(client, staff, workshop):
    client.force_login(staff)
    assert client.get(reverse("mailings:mailing_create")).status_code == 200
    response = client.post(reverse("mailings:mailing_create"), form_data(workshop))
    mailing = Mailing.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "mailings:mailing_preview", args=[mailing.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "2 recipients" in page
    assert "achieng@kra.example" in page and "awa@douanes.example" in page
    assert "brian@kra.example" not in page  # only nominated, not accepted
    assert "News for Achieng Otieno" in page and "Dear Achieng Otieno," in page  # English, as Achieng gets it
    assert "Nouvelles pour Awa Diop" in page and "Des nouvelles de Risk analytics for customs." in page
    assert 'name="expected_count" value="2"' in page and "Send to 2 recipients" in page


def test_the_preview_says_when_french_speakers_get_the_english(client, staff, workshop):
    mailing = draft_for_workshop(workshop, staff, audience="workshop_accepted", subject_fr="", body_fr="")
    client.force_login(staff)
    page = client.get(reverse("mailings:mailing_preview", args=[mailing.pk])).content.decode()
    assert "This mailing has no French text: French speakers get the English text." in page
    assert "News for Awa Diop" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"audience": ""}, "audience", "This field is required."),
        ({"workshop": ""}, "workshop", "Choose the workshop."),
        ({"audience": "administration_contact_points"}, "administrations", "Choose at least one administration."),
        ({"subject_en": ""}, "subject_en", "The English subject and text are required."),
        ({"body_fr": ""}, "body_fr", "Give both the French subject and the French text, or neither"),
        ({"body_en": "Dear {{ nmae }}"}, "body_en", "Unknown placeholder: {{ nmae }}."),
        ({"body_en": "About {{ call }}"}, "body_en", "This audience has no value for {{ call }}."),
        ({"body_en": "Dear {{ name }"}, "body_en", "some braces open or close no placeholder"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_text_kept(client, staff, workshop, changes, field, message):
    client.force_login(staff)
    data = form_data(workshop, **changes)
    response = client.post(reverse("mailings:mailing_create"), data)
    assert response.status_code == 400
    assert not Mailing.objects.exists()
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert 'value="Nouvelles pour {{ name }}"' in page  # what was typed is kept
    assert data["body_en"].split("\n")[0] in page


def test_sending_needs_the_confirm_tick_and_queues_the_mailing(client, staff, workshop):
    mailing = draft_for_workshop(workshop, staff, audience="workshop_accepted")
    client.force_login(staff)
    send = reverse("mailings:mailing_send", args=[mailing.pk])
    response = client.post(send, {"expected_count": 2})
    assert response.status_code == 400 and not MailingRecipient.objects.exists()
    response = client.post(send, {"expected_count": 2, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == mailing.get_absolute_url()
    mailing.refresh_from_db()
    assert mailing.status == "queued" and mailing.sent_by == staff
    assert sorted(mailing.recipients.values_list("email", "language")) == [
        ("achieng@kra.example", "en"),
        ("awa@douanes.example", "fr"),
    ]
    # A second confirm (another tab, a double click) sends nothing more.
    client.post(send, {"expected_count": 2, "confirm": "on"})
    assert mailing.recipients.count() == 2


def test_a_changed_audience_sends_back_to_the_preview(client, staff, workshop):
    mailing = draft_for_workshop(workshop, staff, audience="workshop_accepted")
    client.force_login(staff)
    response = client.post(reverse("mailings:mailing_send", args=[mailing.pk]), {"expected_count": 5, "confirm": "on"})
    assert response.status_code == 409
    assert "The audience changed since the preview" in response.content.decode()
    assert Mailing.objects.get(pk=mailing.pk).status == "draft"


def test_the_mailing_page_shows_progress_failures_and_retry(client, staff, workshop):
    mailing = draft_for_workshop(workshop, staff, audience="workshop_accepted")
    services.mailing_confirm(mailing=mailing, by=staff, expected_count=2)
    client.force_login(staff)
    url = mailing.get_absolute_url()
    page = client.get(url).content.decode()
    assert "js/mailings.js" in page and "Waiting for a worker" in page
    status = client.get(reverse("mailings:mailing_status", args=[mailing.pk])).json()
    assert status == {"id": mailing.pk, "status": "queued", "status_label": "Waiting for a worker", "pending": True,
                      "total": 2, "sent": 0, "failed": 0, "queued": 2}  # fmt: skip
    from django.test import override_settings

    with override_settings(EMAIL_BACKEND="tests.mailings.backends.RefusingBackend"):
        services.mailing_send(mailing_id=mailing.pk)
    page = client.get(url).content.decode()
    assert "Sent, with failures" in page and "SMTPRecipientsRefused" in page and "Mailbox unknown" in page
    assert "js/mailings.js" not in page and "Retry the failed recipients" in page
    failed_only = client.get(url, {"status": "failed"}).content.decode()
    assert "awa@douanes.example" in failed_only and "achieng@kra.example" not in failed_only
    response = client.post(reverse("mailings:mailing_retry", args=[mailing.pk]))
    assert response.status_code == 302
    assert MailingRecipient.objects.get(email="awa@douanes.example").status == "queued"
    assert Mailing.objects.get(pk=mailing.pk).status == "queued"
    assert AuditEntry.objects.filter(action="mailings.mailing.retried", actor=staff).exists()


def test_the_recipient_list_exports_as_csv_and_excel(client, staff, workshop):
    mailing = draft_for_workshop(workshop, staff, audience="workshop_accepted")
    services.mailing_confirm(mailing=mailing, by=staff, expected_count=2)
    client.force_login(staff)
    response = client.get(mailing.get_absolute_url(), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Email address,Name" in text.splitlines()[0]
    assert "awa@douanes.example,Awa Diop,Senegal,fr,fr,Queued" in text
    assert AuditEntry.objects.filter(action="mailings.recipients.exported", actor=staff).exists()
    workbook = client.get(mailing.get_absolute_url(), {"format": "xlsx"})
    assert workbook.status_code == 200 and b"".join(workbook.streaming_content)[:2] == b"PK"


def test_the_list_searches_and_filters(client, staff, workshop):
    draft_for_workshop(workshop, staff, subject_en="Practical information for {{ name }}")
    sent = draft_for_workshop(workshop, staff, subject_en="Welcome pack")
    services.mailing_confirm(mailing=sent, by=staff, expected_count=4)
    client.force_login(staff)
    url = reverse("mailings:mailing_list")
    assert "Welcome pack" not in client.get(url, {"q": "practical"}).content.decode()
    queued = client.get(url, {"status": "queued"}).content.decode()
    assert "Welcome pack" in queued and "Practical information" not in queued
    text = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "Welcome pack" in text and "Practical information" in text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_list_query_count_does_not_grow_with_the_mailings(client, staff, workshop, esa, call):
    client.force_login(staff)
    url = reverse("mailings:mailing_list")
    draft_for_workshop(workshop, staff)
    few = _queries(client, url)
    for n in range(12):
        mailing = draft_for_workshop(workshop, staff, subject_en=f"Mailing {n}")
        services.mailing_confirm(mailing=mailing, by=staff, expected_count=4)
    services.mailing_create(audience="region_contact_points", region=esa, by=staff, subject_en="R", body_en="R")
    services.mailing_create(audience="call_applicants", call=call, by=staff, subject_en="C", body_en="C {{ call }}")
    assert _queries(client, url) == few


def test_recipient_list_query_count_does_not_grow_with_the_recipients(client, staff, workshop, kenya):
    from tests.workshops.factories import NominationFactory

    small = draft_for_workshop(workshop, staff)
    services.mailing_confirm(mailing=small, by=staff, expected_count=4)
    for n in range(60):
        NominationFactory(workshop=workshop, status="accepted", email=f"extra{n}@kra.example", administration=kenya)
    large = draft_for_workshop(workshop, staff)
    services.mailing_confirm(mailing=large, by=staff, expected_count=64)
    MailingRecipient.objects.filter(mailing=large, pk__in=large.recipients.values("pk")[:5]).update(
        status="failed", error="SMTPRecipientsRefused"
    )
    client.force_login(staff)
    assert _queries(client, large.get_absolute_url()) == _queries(client, small.get_absolute_url())


def test_templates_are_listed_created_edited_and_start_a_mailing(client, staff, workshop):
    client.force_login(staff)
    data = {"name": "Welcome", "subject_en": "Welcome {{ name }}", "body_en": "See you at {{ workshop }}.",
            "subject_fr": "Bienvenue {{ name }}", "body_fr": "À bientôt à {{ workshop }}."}  # fmt: skip
    response = client.post(reverse("mailings:template_create"), data)
    assert response.status_code == 302
    template = MailingTemplate.objects.get()
    assert template.created_by == staff
    bad = client.post(reverse("mailings:template_edit", args=[template.pk]), {**data, "body_en": "{{ nobody }}"})
    assert bad.status_code == 400 and "Unknown placeholder: {{ nobody }}." in bad.content.decode()
    assert "{{ nobody }}" in bad.content.decode()
    ok = client.post(reverse("mailings:template_edit", args=[template.pk]), {**data, "name": "Welcome pack"})
    assert ok.status_code == 302 and MailingTemplate.objects.get().name == "Welcome pack"
    assert "Welcome pack" in client.get(reverse("mailings:template_list")).content.decode()
    page = client.get(reverse("mailings:mailing_create"), {"template": template.pk}).content.decode()
    assert "À bientôt à {{ workshop }}." in page and f'name="template" value="{template.pk}"' in page
    chosen = {"audience": "workshop_accepted", "workshop": workshop.pk, "template": template.pk}
    client.post(reverse("mailings:mailing_create"), {**chosen, **data})
    assert Mailing.objects.get().template == template
    assert set(AuditEntry.objects.filter(action__startswith="mailings.template").values_list("action", flat=True)) == {
        "mailings.template.created",
        "mailings.template.updated",
    }


def test_a_sent_mailing_can_no_longer_be_edited(client, staff, workshop):
    mailing = draft_for_workshop(workshop, staff)
    services.mailing_confirm(mailing=mailing, by=staff, expected_count=4)
    client.force_login(staff)
    response = client.post(reverse("mailings:mailing_edit", args=[mailing.pk]), form_data(workshop, subject_en="X"))
    assert response.status_code == 302
    assert Mailing.objects.get(pk=mailing.pk).subject_en == TEXTS["subject_en"]


@pytest.mark.parametrize("name", ["mailing_list", "mailing_create", "template_list", "template_create"])
def test_only_staff_reach_the_pages(client_as, cast, name):
    url = reverse(f"mailings:{name}")
    assert client_as(cast["staff"]).get(url).status_code == 200
    for role in ("contact_point", "other_contact_point", "expert", "applicant"):
        assert client_as(cast[role]).get(url).status_code == 404, role
    assert "/accounts/login/" in client_as(None).get(url)["Location"]


def test_only_staff_reach_a_mailing(client_as, cast, workshop):
    mailing = draft_for_workshop(workshop, cast["staff"])
    for name in ("mailing_detail", "mailing_preview", "mailing_edit", "mailing_status"):
        url = reverse(f"mailings:{name}", args=[mailing.pk])
        assert client_as(cast["staff"]).get(url).status_code == 200
        for role in ("contact_point", "other_contact_point", "expert", "applicant"):
            assert client_as(cast[role]).get(url).status_code == 404, (name, role)
        assert "/accounts/login/" in client_as(None).get(url)["Location"]
    send = reverse("mailings:mailing_send", args=[mailing.pk])
    assert client_as(cast["contact_point"]).post(send, {"expected_count": 4, "confirm": "on"}).status_code == 404
    assert Mailing.objects.get(pk=mailing.pk).status == "draft"
