"""Receipts go through the portal's one upload check: a PDF without active content or a single whole picture;
hostile files are refused on the claim page with the reason, and nothing is stored."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import upload_samples as samples
from workshops.missions.models import Claim, ClaimLine

HOSTILE = {
    **samples.ACTIVE_PDFS,
    **samples.POLYGLOT_PDFS,
    **samples.HOSTILE_PICTURES,
    "encrypted pdf": (samples.pdf_encrypted, "This PDF is protected by a password"),
}


def _post_line(client, mission, receipt: bytes, name: str):
    return client.post(
        reverse("missions:claim_line_add", args=[mission.pk]),
        {
            "date": (mission.start_date + dt.timedelta(days=1)).isoformat(),
            "category": "local_transport",
            "description": "Taxi from the airport",
            "amount": "45.00",
            "currency": "EUR",
            "exchange_rate": "",
            "receipt": SimpleUploadedFile(name, receipt),
        },
    )


def _stored_receipts(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file() and "receipt" in str(path.relative_to(root))]


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_receipt_is_refused_with_its_reason_and_not_stored(
    client_as, expert, approved_request, settings, case
):
    build, message = HOSTILE[case]
    before = _stored_receipts(settings)
    name = "receipt.png" if case in samples.HOSTILE_PICTURES else "receipt.pdf"
    response = _post_line(client_as(expert), approved_request.mission, build(), name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Claim.objects.exists() and not ClaimLine.objects.exists()
    assert _stored_receipts(settings) == before


@pytest.mark.parametrize(
    ("receipt", "name"),
    [(samples.CLEAN_PDF, "taxi.png"), (samples.CLEAN_PNG, "taxi.png"), (samples.CLEAN_JPEG, "photo")],
    ids=["pdf named .png", "png", "jpeg without an extension"],
)
def test_clean_receipts_are_accepted_and_served_back_as_attachments(client_as, expert, approved_request, receipt, name):
    client = client_as(expert)
    assert _post_line(client, approved_request.mission, receipt, name).status_code == 302
    line = ClaimLine.objects.get()
    response = client.get(reverse("missions:claim_line_receipt", args=[line.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    content_type = {b"%PDF": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff\xe0": "image/jpeg"}[receipt[:4]]
    assert response["Content-Type"] == content_type
    assert b"".join(response.streaming_content) == receipt
