"""Dataset validation: columns, types, dates, codes, binary garbage, empty and oversized files."""

import hashlib

import pytest

from algorithms import services
from algorithms.models import Dataset
from algorithms.validation import validate_csv
from tests.algorithms.conftest import csv_upload
from tests.algorithms.factories import sample_csv

pytestmark = pytest.mark.django_db
HEADER = sample_csv(0).decode()


def _check(content: bytes, kind="declarations", max_megabytes=200, max_problems=20):
    return validate_csv(csv_upload(content), kind=kind, max_megabytes=max_megabytes, max_problems=max_problems)


def _row(**changes) -> str:
    """The first sample row with some cells changed, as a CSV line."""
    header = HEADER.strip().split(",")
    values = sample_csv(1).decode().splitlines()[1].split(",")
    row = dict(zip(header, values, strict=True))
    row.update(changes)
    return ",".join(row[column] for column in header) + "\n"


def test_the_shipped_sample_is_accepted_and_described():
    content = sample_csv(None)
    report = _check(content)
    assert report.ok, report.problems
    assert report.row_count == 3000
    assert (str(report.date_from), str(report.date_to)) == ("2020-01-01", "2021-06-30")
    assert report.has_labels
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.size == len(content)


def test_a_scoring_file_without_the_label_columns_is_accepted_without_labels():
    lines = sample_csv(5).decode().splitlines()
    content = "\n".join(",".join(line.split(",")[:-2]) for line in lines) + "\n"
    report = _check(content.encode())
    assert report.ok and not report.has_labels and report.row_count == 5


def test_wrong_columns_are_named():
    content = b"Declaration ID,Date,Colour\n1,2020-01-01,red\n"
    report = _check(content)
    assert not report.ok
    messages = " ".join(problem.message for problem in report.problems)
    assert "Missing columns: Office ID" in messages
    assert "Unexpected columns: Colour." in messages
    assert report.problems[0].row == 1


def test_wrong_types_bad_dates_and_codes_are_reported_by_row_and_column():
    content = (
        HEADER
        + _row()
        + _row(Date="2020-02-30")
        + _row(**{"Net Mass": "heavy"})
        + _row(**{"HS6 Code": "7108"})  # too short (a five-digit one is restored: test_tariff_codes)
        + _row(Fraud="yes")
        + _row(**{"Country of Origin": "Korea"})
        + _row(**{"Item Price": "-5"})
    ).encode()
    report = _check(content)
    found = [(problem.row, problem.column) for problem in report.problems]
    assert found == [
        (3, "Date"),
        (4, "Net Mass"),
        (5, "HS6 Code"),
        (6, "Fraud"),
        (7, "Country of Origin"),
        (8, "Item Price"),
    ]
    assert report.problems[0].message == "“2020-02-30” is not a date in the form YYYY-MM-DD."
    assert report.problems[1].message == "“heavy” is not a number."


def test_only_the_first_problems_are_kept():
    content = (HEADER + _row(Date="yesterday") * 50).encode()
    report = _check(content, max_problems=5)
    assert len(report.problems) == 5 and report.more_problems
    assert [problem.row for problem in report.problems] == [2, 3, 4, 5, 6]


def test_a_row_with_a_missing_cell_is_reported():
    content = (HEADER + _row().rsplit(",", 1)[0] + "\n").encode()
    report = _check(content)
    assert report.problems[0].row == 2
    assert "has 21 cells; the header has 22" in report.problems[0].message


def test_binary_garbage_is_refused():
    report = _check(b"GARBAGE\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    assert [problem.message for problem in report.problems] == [
        "This is not a text CSV file (it contains binary data)."
    ]


def test_a_picture_is_refused_saying_what_it_is():
    report = _check(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    assert [problem.message for problem in report.problems] == ["This is a picture, not a CSV text file."]


def test_text_that_is_not_utf8_is_refused():
    report = _check(HEADER.encode() + "é".encode("latin-1") * 10)
    assert report.problems[0].message == "This is not a UTF-8 text CSV file."


def test_an_empty_file_is_refused():
    assert _check(b"").problems[0].message == "The file is empty."
    assert _check(b"\n\n").problems[0].message == "The file is empty."
    assert _check(HEADER.encode()).problems[0].message == "The file has a header but no rows."


def test_an_oversized_file_is_refused_before_it_is_read():
    class Huge:
        size = 201 * 1024 * 1024
        name = "huge.csv"

        def read(self, *args):
            raise AssertionError("read an oversized file")

        def seek(self, *args):
            raise AssertionError("read an oversized file")

    report = validate_csv(Huge(), kind="declarations", max_megabytes=200, max_problems=20)
    assert report.problems[0].message == "The file is too large (201.0 MB); the limit is 200 MB."


def test_labelled_descriptions_need_a_description_and_an_hs_code():
    good = b"description,hs_code,note\nRoasted coffee beans,0901.21,x\nFrozen peas,0710100000,\n"
    assert _check(good, kind="hs_labelled").ok
    bad = b"description,hs_code\n,090121\nFrozen peas,71\n"
    report = _check(bad, kind="hs_labelled")
    assert [(p.row, p.column) for p in report.problems] == [(2, "description"), (3, "hs_code")]
    wrong = _check(b"text,code\na,1\n", kind="hs_labelled")
    assert "Missing columns: description, hs_code." in wrong.problems[0].message


def test_the_upload_service_stores_an_accepted_file_and_refuses_a_bad_one(kenya, contact_point, settings):
    dataset = services.dataset_upload(
        administration=kenya, kind="declarations", name="Sample", uploaded=csv_upload(sample_csv(100)), by=contact_point
    )
    assert dataset.row_count == 100 and dataset.file.read() == sample_csv(100)
    with pytest.raises(services.DatasetRejected) as rejected:
        services.dataset_upload(
            administration=kenya, kind="declarations", name="Bad", uploaded=csv_upload(b"a,b\n1,2\n"), by=contact_point
        )
    assert rejected.value.report.problems
    settings.BACUDA_DATASET_MAX_MEGABYTES = 0
    with pytest.raises(services.DatasetRejected) as rejected:
        services.dataset_upload(
            administration=kenya, kind="declarations", name="Big", uploaded=csv_upload(sample_csv(10)), by=contact_point
        )
    assert "the limit is 0 MB" in rejected.value.report.problems[0].message
    assert Dataset.objects.count() == 1
