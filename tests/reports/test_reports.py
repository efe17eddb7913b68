"""PDF report requests: one at a time (a second click, the database constraint), rendering, failure and retry,
the sweep, the pages and the API."""

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from bacuda_portal.reports import services
from bacuda_portal.reports.models import Report, ReportNarrative

from .factories import delivered_workshop, framework, participant, scholar

pytestmark = pytest.mark.django_db

Y2025 = {"period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 12, 31)}


def pdf_text(report: Report) -> str:
    with report.file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def pdf_language(field_file) -> str:
    """The document language the PDF declares (/Lang in its catalogue); tagged PDFs also have a structure tree."""
    with field_file.open("rb") as handle:
        catalogue = PdfReader(io.BytesIO(handle.read())).trailer["/Root"]
    assert "/StructTreeRoot" in catalogue, "the PDF lost its tags"
    return str(catalogue.get("/Lang", ""))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a service queues on commit (the rendering task; eager in these tests) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def request_progress(by, committed, language="en") -> tuple[Report, bool]:
    with committed():
        return services.report_request(kind="progress", language=language, by=by, **Y2025)


def test_a_second_click_returns_the_pending_report(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first, created = services.report_request(kind="progress", language="en", by=staff, **Y2025)
    assert created and len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        second, created = services.report_request(kind="progress", language="en", by=staff, **Y2025)
    assert not created and second.pk == first.pk and not callbacks
    french, created = services.report_request(kind="progress", language="fr", by=staff, **Y2025)
    assert created and french.pk != first.pk
    assert Report.objects.count() == 2


def test_the_database_refuses_a_second_active_request(staff):
    report, _ = services.report_request(kind="progress", language="en", by=staff, **Y2025)
    duplicate = {f: getattr(report, f) for f in ("kind", "period_start", "period_end", "language", "parameters_key")}
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(**duplicate)
    Report.objects.filter(pk=report.pk).update(status="failed")
    assert Report.objects.create(**duplicate).status == "queued"  # a failed one no longer blocks


def test_a_ready_report_is_returned_too(staff):
    report, _ = services.report_request(kind="progress", language="en", by=staff, **Y2025)
    Report.objects.filter(pk=report.pk).update(status="ready")
    again, created = services.report_request(kind="progress", language="en", by=staff, **Y2025)
    assert not created and again.pk == report.pk


def test_the_progress_report_renders_with_its_figures(staff, eager_tasks, committed, kenya):
    framework(2025)
    workshop = delivered_workshop(dt.date(2025, 4, 11), title="Risk analytics in Nairobi")
    for n in range(3):
        participant(workshop, email=f"k{n}@kra.go.ke", attended=5, gender="female" if n else "male")
    ReportNarrative.objects.create(language="en", executive_summary="A **remarkable** year of training.", **Y2025)
    from bacuda_portal.reports.models import BudgetLine

    BudgetLine.objects.create(code="B1", title_en="Workshops", planned=1000, actual=1200,
                              variance_explanation="Two extra regional workshops.", **Y2025)  # fmt: skip
    scholar(kenya, outcome_on=dt.date(2025, 7, 15))
    scholar(kenya, outcome_on=dt.date(2025, 8, 1), result="not_completed")
    report, _ = request_progress(staff, committed)
    report.refresh_from_db()
    assert report.status == "ready", report.error
    assert report.attempts == 1 and len(report.checksum) == 64 and report.page_count >= 5
    text = pdf_text(report)
    for expected in ("Project progress report", "Risk analytics in Nairobi", "A remarkable year of training",
                     "Two extra regional workshops", "20.0 %", "66.7 %", "Contents",
                     "Scholars graduated in the period: 1."):  # fmt: skip
        assert expected in text, expected


def test_the_same_data_gives_the_same_figures(staff, eager_tasks, committed):
    framework(2025)
    workshop = delivered_workshop(dt.date(2025, 4, 11))
    participant(workshop, email="k1@kra.go.ke", attended=5)
    first, _ = request_progress(staff, committed)
    first.refresh_from_db()
    Report.objects.filter(pk=first.pk).update(status="failed")  # let the same report be requested again
    second, created = request_progress(staff, committed)
    second.refresh_from_db()
    assert created and second.status == "ready"

    def figures(report):  # everything but the cover (its generation time and number)
        return pdf_text(report).split("Contents", 1)[1]

    assert figures(first) == figures(second)


def test_a_rendering_that_raises_ends_failed_with_the_reason_and_can_be_retried(staff, eager_tasks, committed):
    workshop = delivered_workshop(dt.date(2025, 4, 11))
    with committed():
        report, _ = services.report_request(
            kind="workshop", language="en", by=staff, parameters={"workshop": workshop.pk}
        )
    report.refresh_from_db()
    assert report.status == "ready"
    with committed():
        broken, _ = services.report_request(
            kind="workshop", language="fr", by=staff, parameters={"workshop": workshop.pk}
        )
    broken.refresh_from_db()
    assert broken.status == "ready"
    # The workshop disappears before a retry: the rendering raises, the report says why.
    Report.objects.filter(pk=broken.pk).update(status="queued")
    workshop.sessions.all().delete()
    workshop.nominations.all().delete()
    workshop.beneficiary_links.all().delete()
    workshop.delete()
    broken.refresh_from_db()
    services.report_render(report=broken)
    broken.refresh_from_db()
    assert broken.status == "failed"
    assert "DoesNotExist" in broken.error
    with committed():
        services.report_retry(report=broken, by=staff)
    broken.refresh_from_db()
    assert broken.status == "failed" and broken.attempts == 1  # rendered again by the (eager) task, failed again
    with pytest.raises(TransitionError):
        services.report_retry(report=report, by=staff)  # a ready report is not retried


def test_a_duplicate_message_does_nothing(staff, eager_tasks, committed):
    report, _ = request_progress(staff, committed)
    report.refresh_from_db()
    checksum = report.checksum
    services.report_render(report=report)
    report.refresh_from_db()
    assert report.attempts == 1 and report.checksum == checksum


def test_the_sweep_requeues_lost_reports_then_fails_them_after_three_attempts(
    staff, django_capture_on_commit_callbacks
):
    lost, _ = services.report_request(kind="progress", language="en", by=staff, **Y2025)
    stuck, _ = services.report_request(kind="progress", language="fr", by=staff, **Y2025)
    Report.objects.filter(pk=stuck.pk).update(status="rendering", attempts=3)
    fresh, _ = services.report_request(kind="progress", language="en", by=staff,
                                       period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31))  # fmt: skip
    later = timezone.now() + dt.timedelta(minutes=20)
    Report.objects.filter(pk=fresh.pk).update(updated_at=later)
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.reports_sweep(now=later) == (1, 1)
    assert len(callbacks) == 1
    lost.refresh_from_db()
    stuck.refresh_from_db()
    assert lost.status == "queued" and stuck.status == "failed" and "3 attempts" in stuck.error
    assert services.reports_sweep(now=later) == (0, 0)  # the re-queued one is fresh again


def test_the_sweep_task_is_in_the_beat_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["reports.sweep_reports"]["task"] == "reports.sweep_reports"
    from bacuda_portal.reports.tasks import render_report

    assert render_report.acks_late and render_report.name == "reports.render_report"


# --- pages ------------------------------------------------------------------------------------------------------


def test_staff_request_from_the_page_and_follow_its_progress(client, staff):
    client.force_login(staff)
    assert client.get(reverse("reports:report_list")).status_code == 200
    data = {"progress-year": 2025, "progress-part": "q1", "progress-language": "fr"}
    response = client.post(reverse("reports:report_request", args=["progress"]), data)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.period_start, report.period_end, report.language) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 3, 31),
        "fr",
    )
    client.post(reverse("reports:report_request", args=["progress"]), data)
    assert Report.objects.count() == 1  # the second click
    page = client.get(report.get_absolute_url())
    assert b"js/reports.js" in page.content and b"data-status-url" in page.content
    status = client.get(reverse("reports:report_status", args=[report.pk])).json()
    assert status["status"] == "queued" and status["download_url"] is None
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 404


def test_download_and_retry_pages(client, staff, eager_tasks, committed):
    report, _ = request_progress(staff, committed)
    client.force_login(staff)
    response = client.get(reverse("reports:report_download", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="reports.report.downloaded", actor=staff).count() == 1
    response = client.post(reverse("reports:report_retry", args=[report.pk]))
    assert response.status_code == 302  # refused with a message: it is not failed


def test_contact_points_and_others_see_no_report(client, staff, contact_point, other_contact_point):
    report, _ = services.report_request(kind="progress", language="en", by=staff, **Y2025)
    for user in (contact_point, other_contact_point):
        client.force_login(user)
        for name in ("report_detail", "report_status", "report_download"):
            assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404
        assert client.get(reverse("reports:report_list")).status_code == 404
        assert client.post(reverse("reports:report_request", args=["progress"]), {}).status_code == 404
    client.logout()
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 302


def test_the_narrative_of_a_period(client, staff):
    client.force_login(staff)
    url = reverse("reports:narrative_edit") + "?year=2025&part=h1&language=fr"
    assert client.get(url).status_code == 200
    client.post(url, {"executive_summary": "Une année riche.", "planned_activities": "Deux ateliers."})
    narrative = ReportNarrative.objects.get()
    assert (narrative.period_start, narrative.period_end, narrative.language) == (
        dt.date(2025, 1, 1), dt.date(2025, 6, 30), "fr")  # fmt: skip


# --- API --------------------------------------------------------------------------------------------------------


def test_api_request_dedup_list_and_download(client, staff, eager_tasks, committed):
    client.force_login(staff)
    url = "/api/v1/reports/"
    with committed():
        response = client.post(
            url, {"kind": "progress", "language": "en", "year": 2025}, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    again = client.post(url, {"kind": "progress", "language": "en", "year": 2025}, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    assert client.get(url).json()["count"] == 1
    detail = client.get(f"{url}{response.json()['id']}/").json()
    assert detail["status"] == "ready" and detail["download_url"].endswith("/download/")
    assert client.get(f"{url}{response.json()['id']}/download/").status_code == 200
    bad = client.post(url, {"kind": "workshop", "language": "en", "workshop": 999999}, content_type="application/json")
    assert bad.status_code == 400


def test_api_is_for_staff(client, contact_point):
    assert client.get("/api/v1/reports/").status_code == 401
    client.force_login(contact_point)
    assert client.get("/api/v1/reports/").status_code == 403
    response = client.post("/api/v1/reports/", {"kind": "progress", "language": "en", "year": 2025})
    assert response.status_code == 403


def test_api_dashboard_for_a_contact_point(client, contact_point, kenya, senegal):
    framework(2025)
    kenyan = delivered_workshop(dt.date(2025, 4, 11), administrations=[kenya])
    participant(kenyan, email="k1@kra.go.ke", attended=5)
    senegalese = delivered_workshop(dt.date(2025, 4, 11), administrations=[senegal])
    participant(senegalese, email="s1@douanes.sn", attended=5, administration=senegal)
    client.force_login(contact_point)
    data = client.get("/api/v1/dashboard/", {"year": 2025}).json()
    assert data["administration"] == "KEN"
    officials = next(row for row in data["indicators"] if row["code"] == "1.1")
    assert float(officials["value"]) == 1 and officials["target"] is None
    assert data["officials_trained_by_year"]["2025"] == 1
    assert client.get("/api/v1/dashboard/", {"administration": senegal.pk}).status_code == 404


def test_a_french_report_uses_the_french_titles(staff, eager_tasks, committed):
    indicators = framework(2025)
    indicators["officials_trained"].title_fr = "Fonctionnaires formés"
    indicators["officials_trained"].save()
    report, _ = request_progress(staff, committed, language="fr")
    report.refresh_from_db()
    assert report.status == "ready", report.error
    assert "Fonctionnaires formés" in pdf_text(report)
    assert pdf_language(report.file) == "fr"
