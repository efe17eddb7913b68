"""Certificates on the participant's page: emailed when ready, downloaded by personal link; staff revoke and
reissue them with a reason, and the public verification page says when and why one was revoked."""

import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from bacuda_portal.core.models import AuditEntry
from workshops import services
from workshops.models import Certificate

from .test_certificates import delivered_workshop, pdf_text  # noqa: F401 - the fixture is used by name
from .test_participant_page import page_url, tokens_in


@pytest.fixture
def issued(delivered_workshop, staff, eager_tasks, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        services.certificates_issue(workshop=delivered_workshop, by=staff)
    return {c.nomination.full_name: c for c in Certificate.objects.select_related("nomination")}


def _message_to(mailoutbox, name):
    (message,) = [m for m in mailoutbox if name in m.body]
    return message


def test_a_ready_certificate_is_emailed_with_a_link_to_the_participants_page(client, issued, mailoutbox):
    assert len(mailoutbox) == 2  # Alice and Awa, not Bob (not eligible)
    alice = issued["Alice Wanjiru"]
    message = _message_to(mailoutbox, "Alice Wanjiru")
    assert message.to == [alice.nomination.email] and "Your certificate for the workshop" in message.subject
    assert alice.verification_code in message.body and alice.get_verification_url() in message.body
    (token,) = tokens_in(message)
    page = client.get(page_url(token)).content.decode()
    assert reverse("participant:certificate", args=[token]) in page and alice.verification_code in page
    response = client.get(reverse("participant:certificate", args=[token]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    awa = _message_to(mailoutbox, "Awa Sarr")
    assert "/fr/participant/" in awa.body  # in her language


def test_the_page_has_no_certificate_to_download_before_it_is_ready(client, delivered_workshop, staff):  # noqa: F811
    alice = delivered_workshop.nominations.get(full_name="Alice Wanjiru")
    services.certificates_issue(workshop=delivered_workshop, by=staff)  # queued, not rendered (no worker here)
    token = _link_for(alice, staff)
    assert "Your certificate is being prepared." in client.get(page_url(token)).content.decode()
    assert client.get(reverse("participant:certificate", args=[token])).status_code == 404


def _link_for(nomination, staff):
    from workshops.services.participants import participant_link_new

    return re.search(r"/participant/([^/]+)/", participant_link_new(nomination=nomination, by=staff)).group(1)


def test_staff_revoke_a_certificate_with_a_reason_and_verification_says_so(client_as, staff, issued, client):
    alice = issued["Alice Wanjiru"]
    url = reverse("workshops:certificate_revoke", args=[alice.nomination.workshop_id, alice.pk])
    refused = client_as(staff).post(url, {"reason": "  "}, follow=True)
    assert "Please give the reason." in refused.content.decode()
    alice.refresh_from_db()
    assert alice.revoked_at is None
    response = client_as(staff).post(url, {"reason": "Issued by mistake: absent on day 2."}, follow=True)
    assert f"The certificate {alice.verification_code} is revoked." in response.content.decode()
    alice.refresh_from_db()
    assert alice.revoked_at is not None and alice.revoked_by == staff
    entry = AuditEntry.objects.get(action="workshops.certificate.revoked", target_id=str(alice.pk))
    assert entry.data["reason"] == "Issued by mistake: absent on day 2."
    client.logout()
    page = client.get(alice.get_verification_url())
    assert page.status_code == 200
    shown = formats.date_format(timezone.localtime(alice.revoked_at), "DATE_FORMAT")
    content = page.content.decode()
    assert f"This certificate was revoked on {shown}: Issued by mistake: absent on day 2." in content
    assert "This certificate is genuine." not in content


def test_a_revoked_certificate_leaves_the_participants_page(client, issued, mailoutbox, staff):
    alice = issued["Alice Wanjiru"]
    (token,) = tokens_in(_message_to(mailoutbox, "Alice Wanjiru"))
    services.certificate_revoke(certificate=alice, reason="Wrong person.", by=staff)
    assert client.get(reverse("participant:certificate", args=[token])).status_code == 404
    assert "Download your certificate" not in client.get(page_url(token)).content.decode()


def test_staff_reissue_a_certificate_with_a_new_code(
    client_as, staff, issued, mailoutbox, django_capture_on_commit_callbacks, client
):
    alice = issued["Alice Wanjiru"]
    mailoutbox.clear()
    url = reverse("workshops:certificate_reissue", args=[alice.nomination.workshop_id, alice.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(staff).post(url, {"reason": "Name misspelt."}, follow=True)
    assert "its replacement is being prepared" in response.content.decode()
    alice.refresh_from_db()
    new = Certificate.objects.get(nomination=alice.nomination, revoked_at__isnull=True)
    assert alice.revoked_at is not None and alice.revocation_reason == "Name misspelt."
    assert new.verification_code != alice.verification_code and new.status == "ready"
    assert AuditEntry.objects.filter(action="workshops.certificate.revoked", target_id=str(alice.pk)).exists()
    reissued = AuditEntry.objects.get(action="workshops.certificate.reissued", target_id=str(new.pk))
    assert reissued.data == {"replaces": alice.verification_code, "reason": "Name misspelt."}
    (message,) = mailoutbox
    assert new.verification_code in message.body and alice.verification_code not in message.body
    client.logout()
    assert "This certificate is genuine." in client.get(new.get_verification_url()).content.decode()
    assert "was revoked on" in client.get(alice.get_verification_url()).content.decode()
    # The staff page lists both, the old one as revoked; reissuing it again is refused (one valid per person).
    page = client_as(staff).get(alice.nomination.workshop.get_absolute_url()).content.decode()
    assert "Revoked on" in page and new.verification_code in page
    again = client_as(staff).post(url, {"reason": "Twice."}, follow=True)
    assert "already has a valid certificate" in again.content.decode()
    assert Certificate.objects.filter(nomination=alice.nomination).count() == 2


def test_a_revoked_certificate_can_be_reissued_later(client_as, staff, issued, django_capture_on_commit_callbacks):
    alice = issued["Alice Wanjiru"]
    services.certificate_revoke(certificate=alice, reason="Attendance under review.", by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(
            reverse("workshops:certificate_reissue", args=[alice.nomination.workshop_id, alice.pk]),
            {"reason": "Review done: attendance confirmed."},
        )
    assert Certificate.objects.filter(nomination=alice.nomination, revoked_at__isnull=True, status="ready").exists()
    alice.refresh_from_db()
    assert alice.revocation_reason == "Attendance under review."  # the first reason stays


@pytest.mark.parametrize("url_name", ["workshops:certificate_revoke", "workshops:certificate_reissue"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", 302), ("contact_point", 404), ("other_contact_point", 404), ("anonymous", "login")],
)
def test_only_staff_revoke_or_reissue(client_as, cast, issued, url_name, role, expected):
    alice = issued["Alice Wanjiru"]  # a Kenyan: ``contact_point`` is her administration's
    response = client_as(cast[role]).post(
        reverse(url_name, args=[alice.nomination.workshop_id, alice.pk]), {"reason": "Because."}
    )
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected
    alice.refresh_from_db()
    assert (alice.revoked_at is not None) is (role == "staff")


def test_a_revoked_certificate_is_not_downloaded_nor_zipped(client_as, staff, contact_point, issued):
    import io
    import zipfile

    alice = issued["Alice Wanjiru"]
    services.certificate_revoke(certificate=alice, reason="Wrong person.", by=staff)
    for user in (staff, contact_point):
        assert client_as(user).get(reverse("workshops:certificate_download", args=[alice.pk])).status_code == 404
    archive = client_as(staff).get(reverse("workshops:certificates_zip", args=[alice.nomination.workshop_id]))
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert len(names) == 1 and alice.verification_code not in names[0]


def test_erasing_a_participant_revokes_their_links(client, issued, mailoutbox):
    from workshops.privacy import participant_erase

    alice = issued["Alice Wanjiru"]
    (token,) = tokens_in(_message_to(mailoutbox, "Alice Wanjiru"))
    assert client.get(page_url(token)).status_code == 200
    participant_erase(alice.nomination, now=timezone.now(), on_request=True)
    assert client.get(page_url(token)).status_code == 410
