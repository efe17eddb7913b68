"""Model cards: catalogue, sanitised Markdown, French fallback, the publication gate, aliases.

The card's PDF is a report of the reports app: see tests/reports/test_model_card.py."""

import pytest
from django.urls import reverse
from django.utils import translation

from algorithms import services
from algorithms.models import AlgorithmVersion, VersionAlias
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from tests.algorithms.factories import AlgorithmFactory, AlgorithmVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(project_manager):
    return AlgorithmFactory(slug="date", kind="date", data_owner=project_manager)


def test_only_published_cards_are_in_the_public_catalogue(client, draft, staff):
    AlgorithmFactory(slug="aihs", kind="aihs", name_en="AI-HS", publication="published")
    page = client.get(reverse("algorithms:catalogue")).content.decode()
    assert "AI-HS" in page and draft.name_en not in page
    assert client.get(reverse("algorithms:card", args=["date"])).status_code == 404
    client.force_login(staff)
    assert draft.name_en in client.get(reverse("algorithms:catalogue")).content.decode()
    assert client.get(reverse("algorithms:card", args=["date"])).status_code == 200


def test_card_markdown_is_rendered_sanitised(client, staff, draft):
    draft.card.details_en = "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"
    draft.card.save()
    client.force_login(staff)
    page = client.get(reverse("algorithms:card", args=["date"])).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page and "javascript:alert" not in page


def test_card_falls_back_to_english_where_french_is_empty(draft):
    draft.card.intended_use_fr = ""
    draft.card.save()
    with translation.override("fr"):
        sections = {key: text for key, _title, text in draft.card.sections()}
    assert sections["details"] == "Un modèle à **arbres**."
    assert sections["intended_use"] == "Ranking declarations for inspection."


def test_staff_edit_the_card(client, staff, draft):
    client.force_login(staff)
    data = {
        "algorithm-name_en": "DATE",
        "algorithm-name_fr": "DATE",
        "algorithm-summary_en": "Fraud",
        "algorithm-summary_fr": "",
        "algorithm-data_owner": draft.data_owner.pk,
        "card-details_en": "New details",
    }
    response = client.post(reverse("algorithms:card_edit", args=["date"]), data)
    assert response.status_code == 302
    draft.card.refresh_from_db()
    assert draft.card.details_en == "New details"
    assert AuditEntry.objects.filter(action="algorithms.card.updated").exists()


def test_publication_needs_the_data_owners_approval(client, staff, project_manager, contact_point, draft):
    client.force_login(staff)
    client.post(reverse("algorithms:card_publication", args=["date", "request"]))
    draft.refresh_from_db()
    assert draft.publication == "awaiting_approval"
    # staff who are not the data owner cannot approve
    with pytest.raises(TransitionError):
        services.publication_approve(obj=draft, by=staff)
    client.post(reverse("algorithms:card_publication", args=["date", "approve"]))
    draft.refresh_from_db()
    assert draft.publication == "awaiting_approval"
    client.force_login(project_manager)  # the data owner
    client.post(reverse("algorithms:card_publication", args=["date", "approve"]))
    draft.refresh_from_db()
    assert draft.publication == "published" and draft.approved_by == project_manager
    assert AuditEntry.objects.filter(action="algorithms.publication.approved", actor=project_manager).exists()
    client.logout()
    assert client.get(reverse("algorithms:card", args=["date"])).status_code == 200


def test_publication_request_needs_a_data_owner(staff):
    algorithm = AlgorithmFactory(slug="image", kind="image")
    with pytest.raises(TransitionError, match="data owner"):
        services.publication_request(obj=algorithm, by=staff)


def test_a_version_is_public_only_when_published_and_its_card_too(client, staff, project_manager, draft):
    version = AlgorithmVersionFactory(algorithm=draft)
    url = reverse("algorithms:version_detail", args=[version.pk])
    assert client.get(url).status_code == 404
    services.publication_request(obj=version, by=staff)
    services.publication_approve(obj=version, by=project_manager)
    assert client.get(url).status_code == 404  # the card itself is still a draft
    services.publication_request(obj=draft, by=staff)
    services.publication_approve(obj=draft, by=project_manager)
    page = client.get(url).content.decode()
    assert "precision_at_5" in page


def test_a_contact_point_sees_the_versions_trained_on_their_data_only(
    client, contact_point, other_contact_point, kenya, draft
):
    version = AlgorithmVersionFactory(algorithm=draft, administration=kenya)
    url = reverse("algorithms:version_detail", args=[version.pk])
    client.force_login(contact_point)
    assert client.get(url).status_code == 200
    client.force_login(other_contact_point)
    assert client.get(url).status_code == 404


def test_moving_an_alias_takes_it_from_the_previous_version(client, staff, draft):
    first = AlgorithmVersionFactory(algorithm=draft)
    second = AlgorithmVersionFactory(algorithm=draft)
    client.force_login(staff)
    client.post(reverse("algorithms:version_alias", args=[first.pk]), {"name": "champion"})
    client.post(reverse("algorithms:version_alias", args=[second.pk]), {"name": "champion"})
    client.post(reverse("algorithms:version_alias", args=[first.pk]), {"name": "challenger"})
    aliases = {alias.name: alias.version_id for alias in VersionAlias.objects.filter(algorithm=draft)}
    assert aliases == {"champion": second.pk, "challenger": first.pk}
    entry = AuditEntry.objects.filter(action="algorithms.alias.moved").order_by("id")[1]
    assert entry.data == {"alias": "champion", "previous_version": first.pk}


def test_aliases_are_per_administration(staff, draft, kenya, senegal):
    ken = AlgorithmVersionFactory(algorithm=draft, administration=kenya)
    sen = AlgorithmVersionFactory(algorithm=draft, administration=senegal)
    services.alias_move(version=ken, name="champion", by=staff)
    services.alias_move(version=sen, name="champion", by=staff)
    assert VersionAlias.objects.filter(name="champion").count() == 2


def test_catalogue_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(15):
        AlgorithmFactory(slug=f"algo-{n}", publication="published")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("algorithms:catalogue")).status_code == 200


def test_versions_can_be_created_without_a_job(draft):
    assert AlgorithmVersion.objects.create(algorithm=draft, number=1).job is None


def test_the_ai_hs_card_shows_the_reliability_diagram_of_a_version_measured_on_real_data(client, monkeypatch):
    from algorithms.engines.aihs import recorded

    monkeypatch.setattr(recorded, "RECORD_FILE", recorded.RECORD_FILE.with_name("no-such-record.json"))
    algorithm = AlgorithmFactory(slug="ai-hs-card", kind="aihs", publication="published")
    reliability = {
        "edges": [0.0, 0.5, 1.0],
        "counts": [30, 10],
        "mean_confidence": [0.2, 0.7],
        "accuracy": [0.1, 0.6],
        "mean_top1_confidence": 0.325,
        "top1_accuracy": 0.225,
        "ece": 0.1,
    }
    written = {"real_data": False, "reliability": reliability}
    AlgorithmVersionFactory(algorithm=algorithm, number=1, publication="published", metrics=written)
    page = client.get(algorithm.get_absolute_url()).content.decode()
    assert "<svg" not in page  # figures on text we wrote are never drawn as the card's reliability
    real = {"real_data": True, "real_sources": ["hmrc-atar"], "reliability": reliability}
    AlgorithmVersionFactory(algorithm=algorithm, number=2, publication="published", metrics=real)
    page = client.get(algorithm.get_absolute_url()).content.decode()
    assert page.count("<svg") == 1 and "hmrc-atar" in page and "32.5 %" in page and "22.5 %" in page


def test_without_a_version_measured_on_real_data_the_ai_hs_card_shows_the_recorded_measurement(client):
    """The benchmark's measurement of the nomenclature-only model, naming its real sources and its date."""
    from algorithms.engines.aihs import recorded

    record = recorded.recorded()
    algorithm = AlgorithmFactory(slug="ai-hs-recorded", kind="aihs", publication="published")
    AlgorithmVersionFactory(algorithm=algorithm, number=1, publication="published", metrics={"real_data": False})
    page = client.get(algorithm.get_absolute_url()).content.decode()
    assert page.count("<svg") == 1 and "6 December 2026" in page and record["measured_on"] == "2026-12-06"
    assert all(source in page for source in record["metrics"]["real_sources"])
    count = sum(record["metrics"]["reliability"]["counts"])
    assert count >= 1000 and f"on {count:,} real held-out descriptions" in page  # read as a number, not "1347"
