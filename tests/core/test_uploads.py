import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bacuda_portal.core.uploads import RECEIPT_TYPES, UploadValidator, private_storage


def _file(content: bytes, name="f.pdf"):
    return SimpleUploadedFile(name, content)


def test_accepts_a_pdf_by_its_content():
    UploadValidator()(_file(b"%PDF-1.7 rest", name="cv.bin"))


@pytest.mark.parametrize("content", [b"MZ\x90\x00 an exe", b"<html>", b""])
def test_refuses_other_content_even_with_a_pdf_name(content):
    with pytest.raises(ValidationError, match="not accepted"):
        UploadValidator()(_file(content, name="cv.pdf"))


def test_refuses_a_file_over_the_limit():
    with pytest.raises(ValidationError, match="too large"):
        UploadValidator(max_megabytes=1)(_file(b"%PDF-" + b"0" * (1024 * 1024)))


def test_receipts_may_be_images():
    UploadValidator(kinds=RECEIPT_TYPES)(_file(b"\x89PNG\r\n\x1a\nrest", name="r.png"))
    UploadValidator(kinds=RECEIPT_TYPES)(_file(b"\xff\xd8\xff\xe0rest", name="r.jpg"))


def test_private_storage_has_no_public_url(settings):
    assert str(private_storage.location) == str(settings.PRIVATE_MEDIA_ROOT)
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT))
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
