"""Indicator evidence is uploaded in the Django admin and goes through the portal's one upload check: hostile files
are refused on the form with the reason and nothing is stored; a clean file is served back as an attachment."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bacuda_portal.reports.models import Indicator, IndicatorValue, Objective
from tests import upload_samples as samples

pytestmark = pytest.mark.django_db

HOSTILE = {**samples.ACTIVE_PDFS, **samples.POLYGLOT_PDFS, **samples.HOSTILE_PICTURES}


@pytest.fixture
def manual_indicator():
    objective = Objective.objects.create(code="O2", title_en="Administrations use the algorithms")
    return Indicator.objects.create(objective=objective, code="2.3", title_en="Seizures", unit="n", source="manual")


def _add_value(client, indicator, evidence: bytes, name: str):
    return client.post(
        reverse("admin:reports_indicatorvalue_add"),
        {
            "indicator": indicator.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-03-31",
            "value": "12",
            "women": "",
            "men": "",
            "region": "",
            "administration": "",
            "evidence_file": SimpleUploadedFile(name, evidence),
            "evidence_url": "",
            "note": "Minutes of the meeting",
        },
    )


def _stored_evidence(settings) -> list:
    folder = settings.PRIVATE_MEDIA_ROOT / "reports" / "evidence"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_evidence_is_refused_in_the_admin(client, project_manager, manual_indicator, settings, case):
    build, message = HOSTILE[case]
    before = _stored_evidence(settings)
    client.force_login(project_manager)
    response = _add_value(client, manual_indicator, build(), "minutes.pdf")
    assert response.status_code == 200  # the admin shows the form again with the error
    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists()
    assert _stored_evidence(settings) == before


@pytest.mark.parametrize("evidence", [samples.CLEAN_PDF, samples.CLEAN_JPEG], ids=["pdf", "jpeg"])
def test_clean_evidence_is_stored_and_served_as_an_attachment(client, project_manager, manual_indicator, evidence):
    client.force_login(project_manager)
    response = _add_value(client, manual_indicator, evidence, "minutes.html")
    assert response.status_code == 302, response.content.decode()[:3000]
    value = IndicatorValue.objects.get()
    download = client.get(reverse("reports:evidence_download", args=[value.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/octet-stream"  # the name says .html: never served as a page
    assert b"".join(download.streaming_content) == evidence
