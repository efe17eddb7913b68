"""Documents go through the portal's one upload check (a parsed PDF, no active content, no polyglot): a refused
file saves nothing, and the rest of the form keeps its values."""

import pytest
from django.urls import reverse

from scholarships.models import Application
from tests import upload_samples as samples

from .factories import PDF_BYTES, ApplicationFactory, pdf_file

REFUSED = {
    "renamed executable": (b"MZ\x90\x00\x03" + b"\x00" * 200, "This file type is not accepted. Accepted: PDF."),
    "oversize": (PDF_BYTES[:-7] + b" " * (5 * 1024 * 1024) + b"%%EOF\n", "The file is too large"),
    "broken": (PDF_BYTES[: len(PDF_BYTES) // 2], "This PDF seems damaged or incomplete"),
    "encrypted": (samples.pdf_encrypted(), "This PDF is protected by a password"),
    **{case: (build(), message) for case, (build, message) in samples.ACTIVE_PDFS.items()},
    **{case: (build(), message) for case, (build, message) in samples.POLYGLOT_PDFS.items()},
}


@pytest.fixture
def empty_draft(call, applicant):
    return ApplicationFactory(call=call, applicant=applicant, cv="", motivation_letter="", supervisor_endorsement="")


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_upload_saves_nothing(client_as, applicant, empty_draft, case):
    content, message = REFUSED[case]
    response = client_as(applicant).post(
        reverse("scholarships:application_step", args=[empty_draft.pk, "documents"]),
        {"cv": pdf_file("cv.pdf"), "motivation_letter": pdf_file("letter.pdf", content),
         "supervisor_endorsement": pdf_file("endorsement.pdf")},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Nothing was saved. Your entries are kept below, but choose the files again." in page
    saved = Application.objects.get(pk=empty_draft.pk)
    assert not saved.cv and not saved.motivation_letter and not saved.supervisor_endorsement


def test_refused_upload_writes_no_file(client_as, applicant, empty_draft, settings):
    root = settings.PRIVATE_MEDIA_ROOT / "scholarships"
    before = set(root.rglob("*")) if root.exists() else set()
    client_as(applicant).post(
        reverse("scholarships:application_step", args=[empty_draft.pk, "documents"]),
        {"cv": pdf_file(), "motivation_letter": pdf_file(content=REFUSED["broken"][0]),
         "supervisor_endorsement": pdf_file()},
    )  # fmt: skip
    after = set(root.rglob("*")) if root.exists() else set()
    assert after == before


def test_a_word_like_javascript_in_text_is_not_refused(client_as, applicant, empty_draft):
    writer = samples.pdf_writer()
    writer.add_metadata({"/Title": "Learn /JSON and /JSX and JavaScript"})
    content = samples.pdf_bytes(writer)
    response = client_as(applicant).post(
        reverse("scholarships:application_step", args=[empty_draft.pk, "documents"]),
        {"cv": pdf_file(content=content), "motivation_letter": pdf_file(), "supervisor_endorsement": pdf_file()},
    )
    assert response.status_code == 302


def test_uploaded_files_are_kept_when_the_step_is_saved_again_without_new_files(client_as, applicant, draft):
    before = draft.cv.name
    response = client_as(applicant).post(reverse("scholarships:application_step", args=[draft.pk, "documents"]), {})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.cv.name == before
