"""The upload check on arbitrary bytes (hypothesis): it accepts or refuses with a ValidationError (or, for datasets,
a report of problems), and never raises anything else; what it accepts is a file of the kind it claims to be, with
no active content."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bacuda_portal.core.uploads import DATASET_TYPES, IMAGE_TYPES, RECEIPT_TYPES, UploadValidator
from bacuda_portal.core.uploads.signatures import JPEG_HEADER, PDF_HEADER, PNG_HEADER
from tests import upload_samples as samples

FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
VALIDATORS = (
    UploadValidator(),
    UploadValidator(kinds=RECEIPT_TYPES, max_megabytes=5),
    UploadValidator(kinds=IMAGE_TYPES),
    UploadValidator(kinds=DATASET_TYPES),
)
CLEAN_FILES = (samples.CLEAN_PDF, samples.CLEAN_PNG, samples.CLEAN_JPEG, samples.CLEAN_CSV)
HOSTILE_FILES = tuple(build() for build, _message in samples.ACTIVE_PDFS.values()) + tuple(
    build() for build, _message in samples.POLYGLOT_PDFS.values()
)


def _mutated(base: bytes, data) -> bytes:
    """A clean or hostile file with a slice replaced, cut short, or with bytes inserted: the near misses."""
    position = data.draw(st.integers(0, len(base)))
    how = data.draw(st.sampled_from(["replace", "truncate", "insert"]))
    if how == "truncate":
        return base[:position]
    noise = data.draw(st.binary(min_size=1, max_size=64))
    return base[:position] + noise + base[position + (len(noise) if how == "replace" else 0) :]


contents = st.one_of(
    st.binary(max_size=4096),
    st.tuples(st.sampled_from([PDF_HEADER, PNG_HEADER, JPEG_HEADER]), st.binary(max_size=4096)).map(
        lambda pair: pair[0] + pair[1]
    ),
    st.sampled_from([b"", b"%PDF", b"MZ\x90\x00", b"\x7fELF", b"%PDF-1.7\n/JavaScript (app.alert(1))\n%%EOF\n"]),
)
names = st.text(min_size=1, max_size=60).filter(lambda n: n.strip("/\\.") and "/" not in n and "\\" not in n)


def _outcome(validator, content: bytes, name: str = "upload") -> bool:
    try:
        validator(SimpleUploadedFile(name, content))
    except ValidationError as error:
        assert error.messages and all(message for message in error.messages)
        return False
    return True


def _assert_accepted_file_is_what_it_claims(validator, content: bytes) -> None:
    if content.startswith(PDF_HEADER):
        unescaped = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), content)
        assert not re.search(rb"/(JavaScript|JS|Launch|EmbeddedFiles|XFA)(?![A-Za-z0-9])", unescaped)
    elif content.startswith((PNG_HEADER, JPEG_HEADER)):
        assert set(validator.kinds) & {"png", "jpeg"}
    else:
        assert validator.kinds == DATASET_TYPES
        content.decode("utf-8-sig")
        assert b"\x00" not in content


@FAST
@given(content=contents, name=names)
def test_random_bytes_raise_nothing_but_validation_error(content, name):
    for validator in VALIDATORS:
        if _outcome(validator, content, name):
            _assert_accepted_file_is_what_it_claims(validator, content)


@FAST
@given(base=st.sampled_from(CLEAN_FILES + HOSTILE_FILES), data=st.data())
def test_near_misses_of_real_files_raise_nothing_but_validation_error(base, data):
    content = _mutated(base, data)
    for validator in VALIDATORS:
        if _outcome(validator, content):
            _assert_accepted_file_is_what_it_claims(validator, content)


@pytest.mark.parametrize("content", HOSTILE_FILES, ids=[*samples.ACTIVE_PDFS, *samples.POLYGLOT_PDFS])
def test_no_validator_accepts_a_hostile_pdf(content):
    for validator in VALIDATORS:
        assert not _outcome(validator, content)


@pytest.mark.parametrize("kind", ["declarations", "hs_descriptions"])
@FAST
@example(content=b"\xc2")
@given(content=st.one_of(st.binary(max_size=4096), st.text(max_size=2000).map(lambda t: t.encode("utf-8"))))
def test_dataset_validation_reports_problems_instead_of_raising(kind, content):
    from algorithms.validation import validate_csv

    report = validate_csv(SimpleUploadedFile("data.csv", content), kind=kind, max_megabytes=1, max_problems=20)
    assert isinstance(report.problems, list)
    if not content.strip():
        assert report.problems  # an empty file is refused with a reason
    if report.ok:
        assert b"\x00" not in content
