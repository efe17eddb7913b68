"""The model card's PDF: one of the reports (bacuda_portal.reports), requested by staff from the card's page with
the reports' dedup, rendered and archived like every report, and downloadable by anybody once the card is
published (only the rendering of the card as it is published now)."""

import pytest
from django.urls import reverse

from algorithms import services as algorithm_services
from bacuda_portal.reports import services
from bacuda_portal.reports.models import Report
from tests.algorithms.factories import AlgorithmFactory, AlgorithmVersionFactory

from .test_reports import pdf_language, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a service queues on commit (the rendering task; eager here) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def algorithm():
    algorithm = AlgorithmFactory(slug="date", kind="date", name_en="DATE fraud detection", publication="published")
    algorithm.card.details_en = "Gradient-boosted trees with attention."
    algorithm.card.details_fr = "Des arbres de décision avec attention."
    algorithm.card.save()
    AlgorithmVersionFactory(algorithm=algorithm, number=2, publication="published",
                            release_notes_en="Champion of 2026.")  # fmt: skip
    return algorithm


def card_url(algorithm) -> str:
    return reverse("algorithms:card", args=[algorithm.slug])


def pdf_url(algorithm, language="en") -> str:
    return reverse("reports:model_card_pdf", args=[algorithm.slug, language])


def export(client, algorithm, language="en"):
    """What the card page's "Export PDF" form posts."""
    data = {"model_card-algorithm": algorithm.pk, "model_card-language": language}
    return client.post(reverse("reports:report_request", args=["model_card"]), data)


def render(algorithm, staff, committed, language="en") -> Report:
    with committed():
        report, _created = services.report_request(
            kind="model_card", language=language, by=staff, parameters={"algorithm": algorithm.pk}
        )
    report.refresh_from_db()
    assert report.status == "ready", report.error
    return report


def test_staff_export_the_card_from_its_page_and_follow_the_report(client, staff, algorithm):
    client.force_login(staff)
    page = client.get(card_url(algorithm)).content.decode()
    assert reverse("reports:report_request", args=["model_card"]) in page
    assert f'name="model_card-algorithm" value="{algorithm.pk}"' in page
    response = export(client, algorithm, "fr")
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.kind, report.language, report.status) == ("model_card", "fr", "queued")
    assert report.parameters["algorithm"] == algorithm.pk and len(report.parameters["revision"]) == 16
    export(client, algorithm, "fr")
    assert Report.objects.count() == 1  # the second click finds the first request
    detail = client.get(report.get_absolute_url()).content.decode()
    assert card_url(algorithm) in detail and "DATE fraud detection" in detail and "data-status-url" in detail
    page = client.get(card_url(algorithm)).content.decode()
    assert report.get_absolute_url() in page and "Waiting for a worker" in page


def test_contact_points_and_the_public_cannot_export_a_card(client, algorithm, contact_point, other_contact_point):
    for user in (contact_point, other_contact_point):
        client.force_login(user)
        page = client.get(card_url(algorithm)).content.decode()
        assert "Export PDF" not in page and "model_card-algorithm" not in page
        assert export(client, algorithm).status_code == 404
    client.logout()
    assert "Export PDF" not in client.get(card_url(algorithm)).content.decode()
    response = export(client, algorithm)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Report.objects.exists()


def test_the_pdf_shows_the_cards_sections_and_published_versions(client, staff, algorithm, eager_tasks, committed):
    AlgorithmVersionFactory(algorithm=algorithm, number=3, release_notes_en="Draft of 2027.")  # not published
    client.force_login(staff)
    with committed():
        export(client, algorithm)
    report = Report.objects.get()
    assert report.status == "ready", report.error
    assert report.page_count >= 1 and len(report.checksum) == 64
    text = pdf_text(report)
    assert "DATE fraud detection" in text and "Model card" in text
    assert "Gradient-boosted trees with attention." in text
    assert "Ranking declarations for inspection." in text
    assert "Champion of 2026." in text and "Draft of 2027." not in text
    with committed():
        export(client, algorithm, "fr")
    french = Report.objects.get(language="fr")
    assert "Des arbres de décision avec attention." in pdf_text(french)
    assert (pdf_language(report.file), pdf_language(french.file)) == ("en", "fr")


def test_anybody_downloads_a_published_cards_pdf_from_its_page(client, staff, contact_point, algorithm, eager_tasks,
                                                               committed):  # fmt: skip
    report = render(algorithm, staff, committed)
    page = client.get(card_url(algorithm)).content.decode()
    assert pdf_url(algorithm) in page and pdf_url(algorithm, "fr") not in page
    assert "Export PDF" not in page
    for user in (None, contact_point):
        if user is not None:
            client.force_login(user)
        response = client.get(pdf_url(algorithm))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="model-card-date-en.pdf"'
        body = b"".join(response.streaming_content)
        with report.file.open("rb") as handle:
            assert body == handle.read()
    assert client.get(pdf_url(algorithm, "fr")).status_code == 404  # never rendered in French
    assert client.get(pdf_url(algorithm, "de")).status_code == 404


def test_an_unpublished_cards_pdf_is_not_public(client, staff, project_manager, algorithm, eager_tasks, committed):
    algorithm_services.publication_withdraw(obj=algorithm, by=project_manager)
    render(algorithm, staff, committed)  # staff may render a draft card: it stays in the archive
    assert client.get(pdf_url(algorithm)).status_code == 404
    client.force_login(staff)
    assert client.get(pdf_url(algorithm)).status_code == 404  # staff read it from the report's page
    page = client.get(card_url(algorithm)).content.decode()
    assert pdf_url(algorithm) not in page and "Export PDF" in page
    draft = AlgorithmFactory(slug="aihs", kind="aihs")
    render(draft, staff, committed)
    client.logout()
    assert client.get(pdf_url(draft)).status_code == 404
    assert client.get(reverse("reports:model_card_pdf", args=["no-such-card", "en"])).status_code == 404


def test_a_pdf_rendered_as_a_draft_is_not_served_once_the_card_is_published(
    client, staff, project_manager, algorithm, eager_tasks, committed
):
    algorithm_services.publication_withdraw(obj=algorithm, by=project_manager)
    draft_pdf = render(algorithm, staff, committed)
    algorithm.publication = "published"
    algorithm.save(update_fields=["publication"])
    assert client.get(pdf_url(algorithm)).status_code == 404  # it says "Draft": it is not the published card
    published_pdf = render(algorithm, staff, committed)
    assert published_pdf.pk != draft_pdf.pk
    assert client.get(pdf_url(algorithm)).status_code == 200


def test_an_edited_card_is_rendered_again_and_its_old_pdf_is_no_longer_public(
    client, staff, algorithm, eager_tasks, committed
):
    first = render(algorithm, staff, committed)
    again, created = services.report_request(kind="model_card", language="en", by=staff,
                                             parameters={"algorithm": algorithm.pk})  # fmt: skip
    assert not created and again.pk == first.pk  # an unchanged card: the archived PDF
    algorithm_services.card_update(algorithm=algorithm, by=staff, details_en="Now with HS-code embeddings.")
    assert client.get(pdf_url(algorithm)).status_code == 404  # the PDF no longer matches the card
    second = render(algorithm, staff, committed)
    assert second.pk != first.pk and second.parameters["revision"] != first.parameters["revision"]
    assert "Now with HS-code embeddings." in pdf_text(second)
    response = client.get(pdf_url(algorithm))
    with second.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_the_api_requests_a_model_card_once_for_staff_only(client, staff, contact_point, algorithm):
    url = reverse("v1:report-list")
    client.force_login(contact_point)
    assert client.post(url, {"kind": "model_card", "language": "en", "algorithm": algorithm.pk}).status_code == 403
    client.force_login(staff)
    response = client.post(url, {"kind": "model_card", "language": "en", "algorithm": algorithm.pk})
    assert response.status_code == 201 and response.json()["parameters"]["algorithm"] == algorithm.pk
    assert client.post(url, {"kind": "model_card", "language": "en", "algorithm": algorithm.pk}).status_code == 200
    assert client.post(url, {"kind": "model_card", "language": "en", "algorithm": 0}).status_code == 400
    assert Report.objects.count() == 1
