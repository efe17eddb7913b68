"""The one upload check: the type is decided by parsing (pypdf, Pillow, csv), active PDFs and polyglots are refused,
clean files pass; files leave the portal as attachments that are never sniffed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.migrations.writer import MigrationWriter

from bacuda_portal.core.uploads import (
    DATASET_TYPES,
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    RECEIPT_TYPES,
    UploadValidator,
    attachment_response,
    private_file_response,
    private_storage,
)
from tests import upload_samples as samples
from tests.workshops.factories import ExpertFactory


def _file(content: bytes, name="f.pdf"):
    return SimpleUploadedFile(name, content)


def _refusal(validator, content: bytes, name="upload.bin") -> str:
    with pytest.raises(ValidationError) as error:
        validator(_file(content, name))
    return " ".join(error.value.messages)


# --- Clean files are accepted -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "validator"),
    [
        (samples.CLEAN_PDF, UploadValidator()),
        (samples.pdf_bytes(samples.pdf_writer(pages=40)), UploadValidator()),
        (samples.pdf_goto_open_action(), UploadValidator()),
        (samples.pdf_owner_password_only(), UploadValidator()),
        (samples.CLEAN_PDF, UploadValidator(kinds=RECEIPT_TYPES)),
        (samples.CLEAN_PNG, UploadValidator(kinds=RECEIPT_TYPES)),
        (samples.CLEAN_JPEG, UploadValidator(kinds=RECEIPT_TYPES)),
        (samples.picture("PNG", mode="RGBA"), UploadValidator(kinds=IMAGE_TYPES)),
        (samples.png_interlaced(), UploadValidator(kinds=IMAGE_TYPES)),
        (samples.CLEAN_JPEG + b"\r\n", UploadValidator(kinds=IMAGE_TYPES)),
        (samples.CLEAN_CSV, UploadValidator(kinds=DATASET_TYPES)),
        (b"\xef\xbb\xbfdescription,hs_code\n\xc3\xa9lectrique,850440\n", UploadValidator(kinds=DATASET_TYPES)),
    ],
    ids=[
        "pypdf document",
        "40 pages",
        "opens at a page (/OpenAction /GoTo)",
        "owner password only",
        "pdf receipt",
        "png receipt",
        "jpeg receipt",
        "png with transparency",
        "interlaced png",
        "jpeg with a trailing line break",
        "csv",
        "csv with a byte-order mark and accents",
    ],
)
def test_clean_files_are_accepted_whatever_their_name(content, validator):
    validator(_file(content, name="no-extension"))


def test_a_pdf_with_the_words_javascript_and_launch_in_its_text_is_accepted():
    writer = samples.pdf_writer()
    writer.add_metadata({"/Title": "Learn /JSON, /JSX and JavaScript; /Launch day"})
    UploadValidator()(_file(samples.pdf_bytes(writer)))


# --- PDFs with active content -------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", list(samples.ACTIVE_PDFS))
def test_pdfs_with_active_content_are_refused_naming_what_was_found(case):
    build, found = samples.ACTIVE_PDFS[case]
    message = _refusal(UploadValidator(kinds=RECEIPT_TYPES), build())
    assert message.startswith("This PDF contains ")
    assert found in message
    assert message.endswith("which we do not accept. Print it to a plain PDF and upload that.")


def test_an_open_action_that_runs_javascript_is_named_as_both():
    message = _refusal(UploadValidator(), samples.pdf_javascript_open_action())
    assert "JavaScript, an action that runs by itself when the document or a page is opened" in message


def test_the_object_graph_is_walked_not_only_the_bytes():
    """In the object-stream sample no active name is in the raw bytes: only pypdf's objects show it."""
    from bacuda_portal.core.uploads import pdf

    content = samples.pdf_javascript_in_object_stream()
    assert b"JavaScript" not in content
    assert pdf._names_in_syntax(pdf.outside_streams(content)) == set()
    assert pdf._object_features(content) >= {pdf.JAVASCRIPT, pdf.AUTOMATIC_ACTION}


@pytest.mark.parametrize("case", list(samples.POLYGLOT_PDFS))
def test_pdf_polyglots_are_refused(case):
    build, message = samples.POLYGLOT_PDFS[case]
    assert message in _refusal(UploadValidator(kinds=RECEIPT_TYPES), build())


def test_an_encrypted_pdf_is_refused_because_it_cannot_be_inspected():
    assert "protected by a password" in _refusal(UploadValidator(), samples.pdf_encrypted())


@pytest.mark.parametrize(
    "content",
    [
        samples.CLEAN_PDF[: len(samples.CLEAN_PDF) // 2],
        b"%PDF-1.7 rest",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        b"%PDF-1.7\n" + b"\xff" * 300 + b"\n%%EOF\n",
    ],
    ids=["cut in half", "a header only", "no pages", "garbage"],
)
def test_a_pdf_pypdf_cannot_read_is_refused_as_damaged(content):
    assert "This PDF seems damaged or incomplete" in _refusal(UploadValidator(), content)


def test_a_pdf_of_too_many_objects_is_refused_before_they_are_parsed():
    from bacuda_portal.core.uploads.pdf import MAX_OBJECTS

    catalog, pages, page = b"<< /Type /Catalog /Pages 2 0 R >>", *samples._PAGES
    content = samples.raw_pdf([catalog, pages, page] + [b"null"] * MAX_OBJECTS)
    message = _refusal(UploadValidator(), content)
    assert message.startswith(f"This PDF is too complex for us to check (more than {MAX_OBJECTS} objects).")


# --- Pictures -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", list(samples.HOSTILE_PICTURES))
def test_hostile_pictures_are_refused(case):
    build, message = samples.HOSTILE_PICTURES[case]
    assert message in _refusal(UploadValidator(kinds=RECEIPT_TYPES), build(), name="receipt.png")


def test_a_truncated_picture_is_refused_even_when_pillow_is_told_to_load_truncated_pictures(monkeypatch):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as WeasyPrint sets it when imported
    assert "damaged or incomplete" in _refusal(UploadValidator(kinds=IMAGE_TYPES), samples.png_truncated())


def test_a_picture_is_not_a_document_and_a_pdf_is_not_a_picture():
    assert _refusal(UploadValidator(kinds=DOCUMENT_TYPES), samples.CLEAN_PNG) == (
        "This file type is not accepted. Accepted: PDF."
    )
    assert _refusal(UploadValidator(kinds=IMAGE_TYPES), samples.CLEAN_PDF) == (
        "This file type is not accepted. Accepted: PNG, JPEG."
    )


def test_an_animated_png_is_refused():
    frames = [samples.Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:])
    assert "several pictures" in _refusal(UploadValidator(kinds=IMAGE_TYPES), buffer.getvalue())


# --- CSV datasets -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (samples.CLEAN_PDF, "This is a PDF document, not a CSV text file."),
        (samples.pdf_hex_escaped_javascript(), "This is a PDF document, not a CSV text file."),
        (samples.zip_archive(), "This is a ZIP archive or an Office document, not a CSV text file."),
        (samples.CLEAN_PNG, "This is a picture, not a CSV text file."),
        (b"<!DOCTYPE html><html><script>alert(1)</script>", "This is a web page, not a CSV text file."),
        (samples.CLEAN_CSV * 400 + b"Beef,02\x0030\n", "This is not a text CSV file (it contains binary data)."),
        ("description,hs_code\nélectrique,850440\n".encode("latin-1"), "This is not a UTF-8 text CSV file."),
        (b"a" * (1024 * 1024 + 10), "longer than 1048576 characters"),
        (b'description,hs_code\n"' + b"x" * 200_000 + b'",1\n', "The file is not a readable CSV"),
        (b"", "The file is empty."),
    ],
    ids=[
        "pdf",
        "ascii-only pdf",
        "zip",
        "png",
        "html",
        "nul after 8 KB",
        "latin-1",
        "no line break",
        "huge cell",
        "empty",
    ],
)
def test_a_dataset_must_be_utf8_csv_text(content, message):
    assert message in _refusal(UploadValidator(kinds=DATASET_TYPES, max_megabytes=5), content, name="data.csv")


# --- Size, storage, migrations ------------------------------------------------------------------------------------
class _Unreadable(SimpleUploadedFile):
    def read(self, *args):
        raise AssertionError("the file was read")


def test_the_size_is_checked_before_anything_is_read():
    big = _Unreadable("cv.pdf", b"")
    big.size = 11 * 1024 * 1024
    with pytest.raises(ValidationError, match="too large"):
        UploadValidator()(big)


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(ValidationError, match="too large"):
        UploadValidator(max_megabytes=1)(_file(samples.CLEAN_PDF + b" " * (1024 * 1024)))


@pytest.mark.django_db
def test_a_file_already_in_storage_is_not_checked_again():
    # Stored without the check (as a restore would); saving the record again must not read and refuse it.
    expert = ExpertFactory()
    expert.cv.save("cv.pdf", ContentFile(b"not a pdf"), save=True)
    expert.refresh_from_db()
    expert.phone = "+254 20 000 000"
    expert.full_clean()
    expert.cv.delete(save=False)


def test_the_validator_keeps_its_import_path_in_migrations():
    text, imports = MigrationWriter.serialize(UploadValidator(kinds=RECEIPT_TYPES, max_megabytes=5))
    assert text == "bacuda_portal.core.uploads.UploadValidator(kinds=('pdf', 'png', 'jpeg'), max_megabytes=5)"
    assert imports == {"import bacuda_portal.core.uploads"}


def test_private_storage_has_no_public_url(settings):
    assert str(private_storage.location) == str(settings.PRIVATE_MEDIA_ROOT)
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT))
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


# --- Sending files ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("cv.pdf", "application/pdf"),
        ("receipt.JPG", "image/jpeg"),
        ("data.csv", "text/csv; charset=utf-8"),
        ("chart.svg", "application/octet-stream"),
        ("page.html", "application/octet-stream"),
        ("model.joblib", "application/octet-stream"),
        ("no-extension", "application/octet-stream"),
    ],
)
def test_files_are_sent_as_attachments_with_a_type_from_the_allow_list(filename, content_type):
    for content in (b"<html>", io.BytesIO(b"<html>"), iter([b"<html>"])):
        response = attachment_response(content, filename=filename)
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_stored_file_keeps_a_safe_download_name():
    name = private_storage.save("tests/evidence.svg", ContentFile(samples.SVG_AS_PNG))
    response = private_file_response(private_storage.open(name), download_name="évidence.svg")
    response.file_to_stream.close()
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%C3%A9vidence.svg"
    private_storage.delete(name)


# Files the portal writes itself (rendered, resized, or stored by a service after its own check), never a form.
WRITTEN_BY_THE_PORTAL = {
    "algorithms.Dataset.file": "services.dataset_upload, after validate_csv (which reads through text_lines)",
    "algorithms.JobArtifact.file": "written by the model job worker",
    "core.PersonalDataExport.file": "a person's data export, zipped by a worker",
    "reports.Report.file": "rendered by WeasyPrint",
    "website.NewsPost.thumbnail": "made from the checked picture",
    "workshops.Certificate.file": "rendered by WeasyPrint",
}


def test_every_uploadable_file_field_has_the_upload_check():
    from django.apps import apps
    from django.db import models

    unchecked = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField):
                continue
            label = f"{model._meta.label}.{field.name}"
            has_check = any(isinstance(validator, UploadValidator) for validator in field.validators)
            if not has_check and label not in WRITTEN_BY_THE_PORTAL:
                unchecked.append(label)
            assert not (has_check and label in WRITTEN_BY_THE_PORTAL), label
    assert not unchecked, f"give these fields an UploadValidator: {unchecked}"
