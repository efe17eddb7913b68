"""CV upload and download: PDF only (parsed, no active content, no polyglot), 10 MB at most, stored privately,
served as an attachment after an access check."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.core.uploads import private_storage
from tests import upload_samples as samples
from workshops.experts import services

# A complete one-page PDF (header, catalogue, page tree, page, cross-reference table, trailer).
REAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
TEN_MEGABYTES = 10 * 1024 * 1024


def _upload(client, expert, content, name="cv.pdf"):
    return client.post(reverse("experts:cv_upload", args=[expert.pk]), {"cv": SimpleUploadedFile(name, content)})


def _stored_cvs() -> list[str]:
    return private_storage.listdir("experts/cv")[1] if private_storage.exists("experts/cv") else []


@pytest.fixture(autouse=True)
def _empty_private_storage():
    for name in _stored_cvs():
        private_storage.delete(f"experts/cv/{name}")


def test_expert_uploads_a_pdf_that_is_stored_privately(client_as, expert, own_profile):
    response = _upload(client_as(expert), own_profile, REAL_PDF)
    assert response.status_code == 302
    assert response["Location"] == reverse("experts:me")
    own_profile.refresh_from_db()
    assert own_profile.cv.name.startswith("experts/cv/")
    assert private_storage.open(own_profile.cv.name).read() == REAL_PDF
    assert AuditEntry.objects.filter(action="experts.cv.uploaded", actor=expert).exists()


def test_a_pdf_of_exactly_ten_megabytes_is_accepted(client_as, staff, own_profile):
    assert _upload(client_as(staff), own_profile, samples.pdf_of_size(TEN_MEGABYTES)).status_code == 302


def test_a_pdf_that_opens_at_its_first_page_is_accepted(client_as, expert, own_profile):
    assert _upload(client_as(expert), own_profile, samples.pdf_goto_open_action()).status_code == 302


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 a Windows program", "cv.pdf", "This file type is not accepted. Accepted: PDF."),
        (b"\x89PNG\r\n\x1a\n an image", "cv.png", "This file type is not accepted. Accepted: PDF."),
        (b"PK\x03\x04 a Word document", "cv.docx", "This file type is not accepted. Accepted: PDF."),
        (REAL_PDF + b"0" * TEN_MEGABYTES, "cv.pdf", "The file is too large (10.0 MB); the limit is 10 MB."),
    ],
    ids=["program named .pdf", "image", "word", "over 10 MB"],
)
def test_other_files_are_refused_with_a_message_and_nothing_is_saved(
    client_as, expert, own_profile, content, name, message
):
    response = _upload(client_as(expert), own_profile, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    own_profile.refresh_from_db()
    assert not own_profile.cv
    assert _stored_cvs() == []
    assert not AuditEntry.objects.filter(action="experts.cv.uploaded").exists()


def test_the_service_refuses_a_non_pdf_on_its_own(staff, own_profile):
    with pytest.raises(ValidationError) as error:
        services.expert_cv_upload(expert=own_profile, cv=SimpleUploadedFile("cv.pdf", b"<html>"), by=staff)
    assert "not accepted" in error.value.message_dict["cv"][0]
    assert _stored_cvs() == []


def test_a_new_cv_replaces_the_old_file(staff, own_profile, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_cv_upload(expert=own_profile, cv=SimpleUploadedFile("a.pdf", REAL_PDF), by=staff)
    first = own_profile.cv.name
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_cv_upload(expert=own_profile, cv=SimpleUploadedFile("b.pdf", samples.CLEAN_PDF), by=staff)
    assert own_profile.cv.name != first
    assert not private_storage.exists(first)
    assert _stored_cvs() == [own_profile.cv.name.rsplit("/", 1)[1]]


def test_download_is_an_attachment_named_after_the_expert(client_as, staff, own_profile):
    services.expert_cv_upload(expert=own_profile, cv=SimpleUploadedFile("x.pdf", REAL_PDF), by=staff)
    response = client_as(staff).get(reverse("experts:cv", args=[own_profile.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cv-amina-wanjiru.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == REAL_PDF


def test_download_without_a_cv_is_not_found(client_as, staff, own_profile):
    assert client_as(staff).get(reverse("experts:cv", args=[own_profile.pk])).status_code == 404


def test_the_profile_page_links_the_cv_only_when_there_is_one(client_as, staff, own_profile):
    client = client_as(staff)
    download = f'href="{reverse("experts:cv", args=[own_profile.pk])}"'
    assert download not in client.get(own_profile.get_absolute_url()).content.decode()
    services.expert_cv_upload(expert=own_profile, cv=SimpleUploadedFile("x.pdf", REAL_PDF), by=staff)
    assert download in client.get(own_profile.get_absolute_url()).content.decode()


HOSTILE = {
    **samples.ACTIVE_PDFS,
    **samples.POLYGLOT_PDFS,
    "encrypted": (samples.pdf_encrypted, "This PDF is protected by a password, so we cannot check it."),
    "truncated": (lambda: REAL_PDF[:-30], "This PDF seems damaged or incomplete."),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_pdfs_are_refused_on_the_upload_page_and_never_stored(client_as, expert, own_profile, case):
    build, message = HOSTILE[case]
    response = _upload(client_as(expert), own_profile, build())
    assert response.status_code == 400
    assert message in response.content.decode()
    own_profile.refresh_from_db()
    assert not own_profile.cv
    assert _stored_cvs() == []


def test_the_upload_is_parsed_once_although_form_and_service_both_check_it(client_as, expert, own_profile, monkeypatch):
    from bacuda_portal.core import uploads

    parses = []
    monkeypatch.setattr(uploads, "check_pdf", lambda data: parses.append(len(data)))
    assert _upload(client_as(expert), own_profile, samples.CLEAN_PDF).status_code == 302
    assert parses == [len(samples.CLEAN_PDF)]
