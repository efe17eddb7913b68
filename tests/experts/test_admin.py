"""The experts registry in the Django admin: lists load, stay cheap, and the accreditation is read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from workshops.experts.models import AccreditationChange, AvailabilityWindow, Expert, ExpertiseArea, ExpertLanguage

from .factories import AvailabilityWindowFactory, ExpertFactory, ExpertiseAreaFactory, ExpertLanguageFactory


def _full_expert(n):
    expert = ExpertFactory(expertise_areas=[ExpertiseAreaFactory(code=f"admin-area-{n % 3}")])
    ExpertLanguageFactory(expert=expert, language="en")
    ExpertLanguageFactory(expert=expert, language="fr")
    AvailabilityWindowFactory(expert=expert)
    return expert


ROW_MAKERS = {Expert: _full_expert, ExpertiseArea: lambda n: ExpertiseAreaFactory()}


def _changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", list(ROW_MAKERS), ids=lambda model: model._meta.label)
def test_admin_list_query_count_does_not_grow(client_as, staff, model):
    client = client_as(staff)
    make = ROW_MAKERS[model]
    make(0)
    client.get(_changelist_url(model))  # warm caches (content types, sites)
    with CaptureQueriesContext(connection) as few:
        client.get(_changelist_url(model))
    for n in range(1, 31):
        make(n)
    with CaptureQueriesContext(connection) as many:
        assert client.get(_changelist_url(model)).status_code == 200
    assert len(many) <= len(few), [query["sql"] for query in many.captured_queries]


def test_admin_search_and_filters(client_as, staff, senegal):
    ExpertFactory(full_name="Amina Wanjiru", accreditation_status="accredited")
    moussa = ExpertFactory(full_name="Moussa Diop", administration=senegal)
    ExpertLanguageFactory(expert=moussa, language="fr")
    client = client_as(staff)
    content = client.get("/admin/experts/expert/?q=wanjiru").content.decode()
    assert "Amina Wanjiru" in content and "Moussa Diop" not in content
    content = client.get("/admin/experts/expert/?accreditation_status__exact=accredited").content.decode()
    assert "Amina Wanjiru" in content and "Moussa Diop" not in content
    content = client.get("/admin/experts/expert/?languages__language__exact=fr").content.decode()
    assert "Moussa Diop" in content and "Amina Wanjiru" not in content


def test_admin_change_page_shows_the_accreditation_without_letting_it_be_edited(client_as, staff):
    expert = ExpertFactory(accreditation_status="pre_accredited")
    AccreditationChange.objects.create(expert=expert, from_status="none", to_status="pre_accredited", on="2025-01-01")
    client = client_as(staff)
    url = reverse("admin:experts_expert_change", args=[expert.pk])
    content = client.get(url).content.decode()
    assert 'name="accreditation_status"' not in content
    assert reverse("experts:accreditation", args=[expert.pk]) in content
    assert 'name="cv"' not in content  # private files are uploaded through the access-checked page only
    data = {
        "full_name": expert.full_name,
        "email": expert.email,
        "phone": "+1 555",
        "is_active": "on",
        "administration": expert.administration_id,
        "nationality": expert.nationality_id,
        "accreditation_status": "recognised",
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": "es",
        "languages-0-level": "B2",
        "availability_windows-TOTAL_FORMS": "0",
        "availability_windows-INITIAL_FORMS": "0",
        "accreditation_history-TOTAL_FORMS": "1",
        "accreditation_history-INITIAL_FORMS": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    expert.refresh_from_db()
    assert expert.phone == "+1 555"
    assert expert.accreditation_status == "pre_accredited"
    assert ExpertLanguage.objects.get(expert=expert).language == "es"
    assert AuditEntry.objects.filter(action="admin.experts.expert.changed", actor=staff).exists()


def test_admin_refuses_an_availability_window_ending_before_it_starts(client_as, staff):
    expert = ExpertFactory()
    data = {
        "full_name": expert.full_name,
        "email": expert.email,
        "is_active": "on",
        "languages-TOTAL_FORMS": "0",
        "languages-INITIAL_FORMS": "0",
        "availability_windows-TOTAL_FORMS": "1",
        "availability_windows-INITIAL_FORMS": "0",
        "availability_windows-0-start_date": "2030-06-30",
        "availability_windows-0-end_date": "2030-06-01",
        "accreditation_history-TOTAL_FORMS": "0",
        "accreditation_history-INITIAL_FORMS": "0",
    }
    response = client_as(staff).post(reverse("admin:experts_expert_change", args=[expert.pk]), data)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not AvailabilityWindow.objects.exists()


def test_staff_extend_the_expertise_areas(client_as, staff):
    response = client_as(staff).post(
        "/admin/experts/expertisearea/add/",
        {"code": "nlp", "name_en": "Natural language processing", "name_fr": "Traitement automatique des langues"},
    )
    assert response.status_code == 302
    assert ExpertiseArea.objects.get(code="nlp").name_fr == "Traitement automatique des langues"
