"""The upload validators on arbitrary bytes (hypothesis): they accept or refuse with a ValidationError (or, for
datasets, a report of problems), and never raise anything else; a refused file is never accepted by a prefix trick."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bacuda_portal.core.uploads import RECEIPT_TYPES, SIGNATURES, UploadValidator, sniff_type
from scholarships.uploads import ApplicationDocumentValidator

FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)

# Arbitrary bytes, and arbitrary bytes behind a real signature (a renamed executable, a truncated PDF, ...).
contents = st.one_of(
    st.binary(max_size=4096),
    st.tuples(st.sampled_from([s for sigs in SIGNATURES.values() for s in sigs]), st.binary(max_size=4096)).map(
        lambda pair: pair[0] + pair[1]
    ),
    st.sampled_from([b"", b"%PDF", b"MZ\x90\x00", b"\x7fELF", b"%PDF-1.7\n/JavaScript (app.alert(1))\n%%EOF"]),
)
names = st.text(min_size=1, max_size=60).filter(lambda n: n.strip("/\\.") and "/" not in n and "\\" not in n)


def _outcome(validator, uploaded) -> bool:
    try:
        validator(uploaded)
    except ValidationError as error:
        assert error.messages and all(message for message in error.messages)
        return False
    return True


@FAST
@given(content=contents, name=names)
def test_document_and_receipt_validators(content, name):
    for validator in (UploadValidator(), UploadValidator(kinds=RECEIPT_TYPES, max_megabytes=5)):
        accepted = _outcome(validator, SimpleUploadedFile(name, content))
        assert accepted == (sniff_type(SimpleUploadedFile(name, content)) in validator.kinds)


@FAST
@given(content=contents, name=names)
def test_application_document_validator(content, name):
    accepted = _outcome(ApplicationDocumentValidator(), SimpleUploadedFile(name, content))
    if accepted:
        assert content.startswith(b"%PDF-")  # only a PDF that opens and has no script gets through
        assert b"/JavaScript" not in content


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
