"""Datasets go through the portal's one upload check for text (UTF-8 CSV, no NUL byte, not another file type), on
the upload page and on ``POST /api/v1/datasets/`` with a token: a refused file is not stored, and says why."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from algorithms.models import Dataset
from tests import upload_samples as samples
from tests.algorithms.conftest import csv_upload
from tests.algorithms.factories import sample_csv

pytestmark = pytest.mark.django_db


def _nul_after_the_first_chunk() -> bytes:
    """A real declarations file with a NUL byte past the first 8 KB (where the old check stopped looking)."""
    content = sample_csv(200)
    assert len(content) > 16_384
    position = content.index(b"\n", 12_000) + 1
    return content[:position] + content[position:].replace(b",", b",\x00", 1)


REFUSED = {
    "pdf named .csv": (lambda: samples.CLEAN_PDF, "This is a PDF document, not a CSV text file."),
    "plain-text pdf named .csv": (samples.pdf_hex_escaped_javascript, "This is a PDF document, not a CSV text file."),
    "zip named .csv": (samples.zip_archive, "This is a ZIP archive or an Office document, not a CSV text file."),
    "html named .csv": (lambda: samples.HTML_PAYLOAD, "This is a web page, not a CSV text file."),
    "nul byte after 8 KB": (_nul_after_the_first_chunk, "This is not a text CSV file (it contains binary data)."),
    "latin-1": (lambda: sample_csv(5).replace(b"KR", "É".encode("latin-1"), 1), "This is not a UTF-8 text CSV file."),
}


@pytest.fixture
def token_client(contact_point):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=contact_point).key}")
    return client


def _stored_datasets(settings) -> set:
    return set((settings.PRIVATE_MEDIA_ROOT / "algorithms" / "datasets").rglob("*.csv"))


@pytest.mark.parametrize("case", list(REFUSED))
def test_the_upload_page_refuses_a_file_that_is_not_a_csv(client, contact_point, kenya, settings, case):
    build, message = REFUSED[case]
    before = _stored_datasets(settings)
    client.force_login(contact_point)
    response = client.post(
        reverse("algorithms:dataset_upload"),
        {"administration": kenya.pk, "kind": "declarations", "name": "Kept name", "file": csv_upload(build())},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="Kept name"' in page
    assert not Dataset.objects.exists()
    assert _stored_datasets(settings) == before


@pytest.mark.parametrize("case", list(REFUSED))
def test_the_api_refuses_a_file_that_is_not_a_csv(token_client, case):
    build, message = REFUSED[case]
    response = token_client.post("/api/v1/datasets/", {"name": "x", "file": csv_upload(build())}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": [message]}
    assert not Dataset.objects.exists()


def test_the_api_accepts_a_real_csv_with_a_token_and_serves_it_back_as_an_attachment(
    token_client, client, contact_point
):
    response = token_client.post(
        "/api/v1/datasets/", {"name": "API upload", "file": csv_upload(sample_csv(20))}, format="multipart"
    )
    assert response.status_code == 201, response.content
    dataset = Dataset.objects.get()
    client.force_login(contact_point)
    download = client.get(reverse("algorithms:dataset_download", args=[dataset.pk]))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == f'attachment; filename="dataset-{dataset.pk}.csv"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == sample_csv(20)
