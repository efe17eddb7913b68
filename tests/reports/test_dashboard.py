"""The KPI dashboard: figures against targets, access by role, filters, CSV export, bounded queries."""

import datetime as dt

import pytest
from django.urls import reverse

from .factories import delivered_workshop, framework, participant

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


@pytest.fixture
def activity(kenya, senegal):
    """2025: Kenya trains three officials (two women), Senegal one man; every indicator has a target of 10."""
    framework(2025)
    kenyan = delivered_workshop(dt.date(2025, 4, 11), administrations=[kenya], title="Risk analytics Nairobi")
    senegalese = delivered_workshop(dt.date(2025, 6, 13), administrations=[senegal], title="Analyse Dakar")
    participant(kenyan, email="k1@kra.go.ke", attended=5)
    participant(kenyan, email="k2@kra.go.ke", attended=5)
    participant(kenyan, email="k3@kra.go.ke", attended=5, gender="male")
    participant(senegalese, email="s1@douanes.sn", attended=5, gender="male", administration=senegal)
    return {"kenyan": kenyan, "senegalese": senegalese}


def officials_row(response):
    return next(row for row in response.context["rows"] if row.indicator.computed_key == "officials_trained")


def test_staff_see_every_administration_against_targets(client, staff, activity):
    client.force_login(staff)
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 200
    row = officials_row(response)
    assert row.result.value == 4
    assert row.target == 10
    assert row.progress == 40
    content = response.content.decode()
    assert "<svg" in content and "<script" not in content.split("</header>", 1)[1]
    assert 'style="' not in content


def test_staff_filter_by_administration_and_region(client, staff, activity, kenya, senegal):
    client.force_login(staff)
    response = client.get(URL, {"year": 2025, "administration": senegal.pk})
    assert officials_row(response).result.value == 1
    assert officials_row(response).target is None  # targets are project-wide
    response = client.get(URL, {"year": 2025, "region": kenya.region.code})
    assert officials_row(response).result.value == 3


def test_a_quarter_of_the_year(client, staff, activity):
    client.force_login(staff)
    response = client.get(URL, {"year": 2025, "part": "q2"})
    assert officials_row(response).result.value == 4
    response = client.get(URL, {"year": 2025, "part": "q3"})
    assert officials_row(response).result.value == 0


def test_a_contact_point_sees_only_their_administration(client, contact_point, activity, kenya):
    client.force_login(contact_point)
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 200
    assert response.context["administration"] == kenya
    assert officials_row(response).result.value == 3
    assert officials_row(response).result.by_region == {kenya.region.code: 3}
    # A region filter is not theirs to use: it is ignored, their administration stays.
    response = client.get(URL, {"year": 2025, "region": "WCA"})
    assert officials_row(response).result.value == 3
    assert b"Analyse Dakar" not in response.content


def test_a_contact_point_asking_for_another_administration_gets_404(client, contact_point, activity, senegal, kenya):
    client.force_login(contact_point)
    assert client.get(URL, {"year": 2025, "administration": senegal.pk}).status_code == 404
    assert client.get(URL, {"year": 2025, "administration": "nonsense"}).status_code == 404
    assert client.get(URL, {"year": 2025, "administration": kenya.pk}).status_code == 200


def test_other_roles_and_anonymous(client, applicant, activity):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(applicant)
    assert client.get(URL).status_code == 404


def test_csv_export_of_the_contact_points_figures(client, contact_point, activity):
    client.force_login(contact_point)
    response = client.get(URL, {"year": 2025, "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    lines = text.splitlines()
    officials = next(line for line in lines if line.startswith("O1,1.1,"))
    assert ",3," in officials
    assert "WCA" not in text


def test_query_count_does_not_grow_with_the_data(client, staff, kenya, django_assert_max_num_queries):
    framework(2025)
    client.force_login(staff)
    for n in range(2):
        workshop = delivered_workshop(dt.date(2025, 3, 7) + dt.timedelta(days=n * 7))
        participant(workshop, email=f"a{n}@kra.go.ke", attended=5)
    with django_assert_max_num_queries(45) as small:
        client.get(URL, {"year": 2025})
    for n in range(2, 12):
        workshop = delivered_workshop(dt.date(2025, 3, 7) + dt.timedelta(days=n * 7))
        for m in range(3):
            participant(workshop, email=f"a{n}-{m}@kra.go.ke", attended=5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL, {"year": 2025})
    assert officials_row(response).result.value == 32


def test_cached_figures_follow_every_service_change(client, staff, activity, kenya):
    from workshops import services as workshop_services
    from workshops.models import Workshop

    Workshop.objects.filter(pk=activity["kenyan"].pk).update(status="delivered")
    activity["kenyan"].refresh_from_db()
    client.force_login(staff)
    assert officials_row(client.get(URL, {"year": 2025})).result.value == 4
    assert officials_row(client.get(URL, {"year": 2025})).result.value == 4  # from the cache
    late = participant(activity["kenyan"], email="late@kra.go.ke", attended=0)
    sessions = list(activity["kenyan"].sessions.all())
    workshop_services.attendance_record(
        workshop=activity["kenyan"], marks={(s.pk, late.pk): "present" for s in sessions}, by=staff
    )
    assert officials_row(client.get(URL, {"year": 2025})).result.value == 5


def test_the_cache_can_be_switched_off(client, staff, activity, settings):
    settings.BACUDA_DASHBOARD_CACHE_SECONDS = 0
    client.force_login(staff)
    assert officials_row(client.get(URL, {"year": 2025})).result.value == 4


def test_cached_dashboard_follows_the_results_framework(client, staff, activity, kenya):
    """The dashboard is cached whole: a change of a target, an entered value or an indicator shows at once."""
    from bacuda_portal.reports.models import Indicator, IndicatorTarget, IndicatorValue

    client.force_login(staff)
    assert officials_row(client.get(URL, {"year": 2025})).target == 10
    target = IndicatorTarget.objects.get(indicator__computed_key="officials_trained", period_start__year=2025)
    target.value = 12
    target.save()
    assert officials_row(client.get(URL, {"year": 2025})).target == 12
    manual = Indicator.objects.get(code="9.1")
    IndicatorValue.objects.create(
        indicator=manual,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 3, 31),
        value=7,
        administration=kenya,
        evidence_url="https://example.org/seizures",
    )
    rows = client.get(URL, {"year": 2025}).context["rows"]
    assert next(row for row in rows if row.indicator.code == "9.1").result.value == 7
    manual.title_en = "Seizures of the year"
    manual.save()
    assert b"Seizures of the year" in client.get(URL, {"year": 2025}).content


def test_reading_personal_data_does_not_empty_the_dashboard_cache(staff):
    """Staff list views and exports write audit entries; they change no figure, so the cached dashboard stays."""
    from bacuda_portal.core.services import audit_record
    from bacuda_portal.reports import caching

    version = caching.data_version()
    reads = [
        "scholarships.applications.listed",
        "scholarships.application.viewed",
        "workshops.workshops.exported",
        "experts.cv.downloaded",
    ]
    for action in reads:
        audit_record(actor=staff, action=action)
        assert caching.data_version() == version, action
    audit_record(actor=staff, action="workshops.workshop.cancelled")
    assert caching.data_version() != version


def test_the_administration_menu_names_countries_in_the_pages_language(client, staff, senegal):
    client.force_login(staff)
    french = client.get("/fr/reports/dashboard/").content.decode()
    english = client.get("/en/reports/dashboard/").content.decode()
    assert f"SEN – {senegal.name_fr}" in french and f"SEN – {senegal.name_en}" in english
    assert senegal.name_fr != senegal.name_en  # Sénégal / Senegal
