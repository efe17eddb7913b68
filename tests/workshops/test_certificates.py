"""Certificates of attendance: issued to eligible participants, rendered to PDF by a worker, verifiable."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bacuda_portal.core.exceptions import TransitionError
from tests.reports.test_reports import pdf_language
from workshops import services
from workshops.models import Certificate

from .factories import NominationFactory, SessionFactory, WorkshopFactory


def pdf_text(field_file) -> str:
    with field_file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def delivered_workshop(kenya, senegal, staff):
    """Delivered, two sessions; Kenyan Alice attended both, Kenyan Bob one, Senegalese Awa both."""
    workshop = WorkshopFactory(title="Machine learning for Customs", kind="regional", status="confirmed",
                               beneficiaries=[(kenya, 5), (senegal, 5)])  # fmt: skip
    sessions = [SessionFactory(workshop=workshop, topic=f"Day {n}") for n in (1, 2)]
    alice = NominationFactory(workshop=workshop, administration=kenya, status="accepted", full_name="Alice Wanjiru")
    bob = NominationFactory(workshop=workshop, administration=kenya, status="accepted", full_name="Bob Kiprop")
    awa = NominationFactory(
        workshop=workshop, administration=senegal, status="accepted", full_name="Awa Sarr", language="fr"
    )
    marks = {(s.pk, alice.pk): "present" for s in sessions}
    marks |= {(s.pk, awa.pk): "late" for s in sessions}
    marks[(sessions[0].pk, bob.pk)] = "present"
    services.attendance_record(workshop=workshop, marks=marks, by=staff)
    workshop.status = "delivered"
    workshop.save()
    return workshop


@pytest.fixture
def issued(delivered_workshop, staff, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.certificates_issue(workshop=delivered_workshop, by=staff)
    return {c.nomination.full_name: c for c in Certificate.objects.select_related("nomination")}


def test_only_eligible_participants_get_a_rendered_certificate(issued):
    assert set(issued) == {"Alice Wanjiru", "Awa Sarr"}
    alice = issued["Alice Wanjiru"]
    assert alice.status == "ready" and len(alice.checksum) == 64
    text = pdf_text(alice.file)
    assert "Alice Wanjiru" in text
    assert alice.verification_code in text
    assert "Machine learning for Customs" in text
    assert "Certificate of attendance" in text
    assert "Attestation de participation" in pdf_text(issued["Awa Sarr"].file)  # in the participant's language
    assert (pdf_language(alice.file), pdf_language(issued["Awa Sarr"].file)) == ("en", "fr")


def test_issuing_twice_adds_nothing(issued, delivered_workshop, staff):
    assert services.certificates_issue(workshop=delivered_workshop, by=staff) == 0


def test_certificates_wait_for_delivery(client_as, staff, workshop):
    response = client_as(staff).post(reverse("workshops:certificates_issue", args=[workshop.pk]), follow=True)
    assert "once the workshop has been delivered" in response.content.decode()
    assert not Certificate.objects.exists()


def test_verification_page_is_public(client, issued):
    certificate = issued["Alice Wanjiru"]
    response = client.get(certificate.get_verification_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "This certificate is genuine." in content and "Alice Wanjiru" in content
    lowercase = client.get(reverse("workshops:certificate_lookup") + f"?code={certificate.verification_code.lower()}")
    assert lowercase.status_code == 200
    unknown = client.get(reverse("workshops:certificate_verify", args=["AAAA-BBBB-CCCC"]))
    assert unknown.status_code == 404 and "No valid certificate" in unknown.content.decode()


@pytest.mark.parametrize(
    ("role", "certificate", "expected"),
    [
        ("staff", "Awa Sarr", 200),
        ("contact_point", "Alice Wanjiru", 200),
        ("contact_point", "Awa Sarr", 404),
        ("other_contact_point", "Awa Sarr", 200),
        ("other_contact_point", "Alice Wanjiru", 404),
        ("expert", "Alice Wanjiru", 404),
    ],
)
def test_certificate_download_access(client_as, cast, issued, role, certificate, expected):
    response = client_as(cast[role]).get(reverse("workshops:certificate_download", args=[issued[certificate].pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_anonymous_cannot_download(client, issued):
    response = client.get(reverse("workshops:certificate_download", args=[issued["Alice Wanjiru"].pk]))
    assert response.status_code == 302


def test_zip_holds_what_the_user_may_see(client_as, staff, contact_point, issued, delivered_workshop):
    def names(user):
        response = client_as(user).get(reverse("workshops:certificates_zip", args=[delivered_workshop.pk]))
        return sorted(zipfile.ZipFile(io.BytesIO(response.content)).namelist())

    assert len(names(staff)) == 2
    assert [name.split("-")[0] for name in names(contact_point)] == ["alice"]


def test_certificate_pdf_is_not_under_a_public_url(issued, settings):
    path = issued["Alice Wanjiru"].file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))


def _age(certificate, minutes):
    Certificate.objects.filter(pk=certificate.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_sweep_requeues_a_certificate_whose_message_was_lost(
    delivered_workshop, eager_tasks, django_capture_on_commit_callbacks
):
    nomination = delivered_workshop.nominations.get(full_name="Alice Wanjiru")
    lost = Certificate.objects.create(nomination=nomination, issued_on=delivered_workshop.end_date)
    fresh = Certificate.objects.create(
        nomination=delivered_workshop.nominations.get(full_name="Awa Sarr"), issued_on=delivered_workshop.end_date
    )
    _age(lost, 30)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificates_sweep() == (1, 0)
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == "ready" and lost.attempts == 1
    assert fresh.status == "pending"  # not stale yet


def test_sweep_gives_up_after_three_attempts_and_staff_can_retry(
    client_as, staff, delivered_workshop, eager_tasks, django_capture_on_commit_callbacks
):
    nomination = delivered_workshop.nominations.get(full_name="Alice Wanjiru")
    stuck = Certificate.objects.create(nomination=nomination, issued_on=delivered_workshop.end_date, attempts=3)
    _age(stuck, 30)
    assert services.certificates_sweep() == (0, 1)
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "3 attempts" in stuck.error
    page = client_as(staff).get(delivered_workshop.get_absolute_url()).content.decode()
    assert "Render again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(reverse("workshops:certificate_retry", args=[delivered_workshop.pk, stuck.pk]))
    stuck.refresh_from_db()
    assert stuck.status == "ready"
    with pytest.raises(TransitionError):
        services.certificate_retry(certificate=stuck, by=staff)


def test_a_certificate_is_issued_on_the_day_it_is_issued_not_the_workshops_last_day(client, issued, delivered_workshop):
    """Issue 20: "Issued on" is the day staff issued it (the portal's local date), on the page and on the PDF."""
    from django.utils import formats, translation

    alice = issued["Alice Wanjiru"]
    today = timezone.localdate()
    assert alice.issued_on == today != delivered_workshop.end_date
    with translation.override("en"):
        shown, last_day = (
            formats.date_format(today, "DATE_FORMAT"),
            formats.date_format(alice.nomination.workshop.end_date, "DATE_FORMAT"),
        )
    page = client.get(alice.get_verification_url()).content.decode()
    assert f"<dd>{shown}</dd>" in page and f"<dd>{last_day}</dd>" not in page
    assert f"Issued on {shown}." in pdf_text(alice.file)


def _pending_certificate(workshop, name="Alice Wanjiru"):
    nomination = workshop.nominations.get(full_name=name)
    return Certificate.objects.create(nomination=nomination, issued_on=timezone.localdate())


def test_a_failed_rendering_is_tried_again_then_fails_with_its_reason(delivered_workshop, monkeypatch):
    from bacuda_portal.core import pdf

    def broken(**kwargs):
        raise OSError("font cache unreadable")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    certificate = _pending_certificate(delivered_workshop)
    for attempt in (1, 2):
        with pytest.raises(OSError):  # raised for the task's own retry
            services.certificate_render(certificate=certificate)
        certificate.refresh_from_db()
        assert (certificate.status, certificate.attempts) == ("pending", attempt)
        assert certificate.error == "OSError: font cache unreadable"
    certificate = services.certificate_render(certificate=certificate)  # the last attempt: no retry
    assert (certificate.status, certificate.attempts) == ("failed", services.MAX_RENDER_ATTEMPTS)
    assert certificate.error == "OSError: font cache unreadable" and certificate.finished_at is not None
    assert not certificate.file


def test_a_duplicate_message_does_not_render_a_certificate_being_rendered(delivered_workshop, monkeypatch):
    from bacuda_portal.core import pdf

    certificate = _pending_certificate(delivered_workshop)
    Certificate.objects.filter(pk=certificate.pk).update(status="rendering", attempts=1)
    monkeypatch.setattr(pdf, "render_pdf", lambda **kwargs: pytest.fail("rendered twice"))
    services.certificate_render(certificate=certificate)
    certificate.refresh_from_db()
    assert (certificate.status, certificate.attempts) == ("rendering", 1)


def test_the_sweep_requeues_a_certificate_whose_worker_died_while_rendering(
    delivered_workshop, eager_tasks, django_capture_on_commit_callbacks
):
    certificate = _pending_certificate(delivered_workshop)
    Certificate.objects.filter(pk=certificate.pk).update(status="rendering", attempts=1)
    _age(certificate, 30)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificates_sweep() == (1, 0)
    certificate.refresh_from_db()
    assert (certificate.status, certificate.attempts) == ("ready", 2)


# --- Issuing for many workshops at once (issue 19, bulk actions) ----------------------------------------------
def test_staff_issue_and_email_the_certificates_of_several_workshops_at_once(
    client_as, staff, delivered_workshop, workshop, eager_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    """One transaction per workshop: the delivered one is certified and its participants emailed; the planned one
    is named with its reason; nothing of it is written."""
    client = client_as(staff)
    list_page = client.get(reverse("workshops:list")).content.decode()
    assert f'name="rows" value="{delivered_workshop.pk}"' in list_page  # only delivered workshops can be ticked
    assert f'name="rows" value="{workshop.pk}"' not in list_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workshops:certificates_issue_many"),
            {"action": "issue", "rows": [delivered_workshop.pk, workshop.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert "Certificates are being prepared for 1 workshop" in page
    assert "Risk analytics for Kenya Revenue Authority: Certificates are issued once the workshop has been" in page
    certified = Certificate.objects.filter(nomination__workshop=delivered_workshop)
    assert sorted(certified.values_list("nomination__full_name", flat=True)) == ["Alice Wanjiru", "Awa Sarr"]
    assert {c.status for c in certified} == {"ready"}
    assert not Certificate.objects.filter(nomination__workshop=workshop).exists()
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        certified.values_list("nomination__email", flat=True)
    )


def test_a_workshop_with_nobody_left_to_certify_is_named(client_as, staff, issued, delivered_workshop):
    response = client_as(staff).post(
        reverse("workshops:certificates_issue_many"), {"action": "issue", "rows": [delivered_workshop.pk]}, follow=True
    )
    assert "Every eligible participant already has a certificate." in response.content.decode()
    assert Certificate.objects.count() == 2


def test_nothing_ticked_is_refused_with_a_message(client_as, staff):
    response = client_as(staff).post(reverse("workshops:certificates_issue_many"), {"action": "issue"}, follow=True)
    assert "Tick at least one row." in response.content.decode()


@pytest.mark.parametrize("role", ["contact_point", "other_contact_point", "expert", "applicant"])
def test_only_staff_issue_certificates_in_bulk(client_as, cast, role, delivered_workshop):
    url = reverse("workshops:certificates_issue_many")
    assert client_as(cast[role]).post(url, {"action": "issue", "rows": [delivered_workshop.pk]}).status_code == 404
    assert not Certificate.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, delivered_workshop):
    response = client.post(reverse("workshops:certificates_issue_many"), {"action": "issue", "rows": [1]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Certificate.objects.exists()
