"""Every kind of report rendered by a real Celery worker process (queue ``reports``), checked for its figures."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from bacuda_portal.members.models import Administration
from bacuda_portal.reports import services
from bacuda_portal.reports.models import BudgetLine, Report
from tests.factories import StaffFactory
from tests.worker import WorkerProcess, wait_for
from tests.workshops.factories import AssignmentFactory, ExpertFactory

from .factories import delivered_workshop, framework, participant
from .test_reports import pdf_text

# serialized_rollback: the flush after a transactional test would otherwise delete the WCO Members that the
# data migration loaded, which the tests that run after this one need.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def selection_call(kenya, senegal):
    from scholarships.models import Decision
    from tests.scholarships.factories import CallFactory, SubmittedApplicationFactory

    call = CallFactory(cohort_name="Cohort Hanyang 2025", seats=2)
    released = timezone.make_aware(dt.datetime(2025, 6, 1, 10))
    people = [
        ("Amina Wanjiru", kenya, "female", "selected"),
        ("Moussa Diop", senegal, "male", "selected"),
        ("Lucy Achieng", kenya, "female", "reserve"),
        ("Ibrahima Fall", senegal, "male", "not_selected"),
    ]
    for name, administration, gender, outcome in people:
        application = SubmittedApplicationFactory(call=call, full_name=name, administration=administration,
                                                  gender=gender)  # fmt: skip
        Decision.objects.create(application=application, call=call, outcome=outcome, status="released",
                                reserve_rank=1 if outcome == "reserve" else None, released_at=released)  # fmt: skip
    return call


def test_a_real_worker_renders_each_kind_of_report(tmp_path):
    worker = WorkerProcess(tmp_path, queues="reports")
    try:
        staff = StaffFactory()
        kenya, senegal = Administration.objects.get(code="KEN"), Administration.objects.get(code="SEN")
        framework(2025)
        workshop = delivered_workshop(dt.date(2025, 4, 11), administrations=[kenya, senegal], kind="regional",
                                      title="Machine learning for risk targeting")  # fmt: skip
        for n in range(7):
            participant(workshop, email=f"k{n}@kra.go.ke", attended=5 if n else 2, gender="female" if n % 2 else "male")
        participant(workshop, email="awa@douanes.sn", attended=5, administration=senegal, gender="female")
        AssignmentFactory(workshop=workshop, expert=ExpertFactory(full_name="Elena Rossi"), status="confirmed",
                          role="lead_trainer")  # fmt: skip
        BudgetLine.objects.create(code="B2", title_en="Experts and missions", planned=100000, actual=118000,
                                  variance_explanation="Additional missions to West Africa.",
                                  period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))  # fmt: skip
        call = selection_call(kenya, senegal)
        from algorithms.models import Algorithm, AlgorithmVersion, ModelCard

        algorithm = Algorithm.objects.create(slug="date", kind="date", name_en="DATE fraud detection")
        ModelCard.objects.create(algorithm=algorithm, intended_use_en="Ranking import declarations for inspection.")
        AlgorithmVersion.objects.create(
            algorithm=algorithm,
            number=3,
            administration=kenya,
            publication="published",
            published_at=timezone.now(),
            release_notes_en="Trained on KRA 2024 data.",
        )
        year = {"period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 12, 31)}
        with transaction.atomic():
            progress, _ = services.report_request(kind="progress", language="en", by=staff, **year)
            workshop_report, _ = services.report_request(kind="workshop", language="en", by=staff,
                                                         parameters={"workshop": workshop.pk})  # fmt: skip
            selection, _ = services.report_request(kind="selection", language="en", by=staff,
                                                   parameters={"call": call.pk})  # fmt: skip
            card, _ = services.report_request(kind="model_card", language="en", by=staff,
                                              parameters={"algorithm": algorithm.pk})  # fmt: skip
        ids = [progress.pk, workshop_report.pk, selection.pk, card.pk]
        wait_for(
            lambda: Report.objects.filter(pk__in=ids, status__in=("ready", "failed")).count() == 4,
            240,
            "the four reports",
            worker.process,
            worker.log,
        )
        reports = {report.kind: report for report in Report.objects.filter(pk__in=ids)}
        for report in reports.values():
            assert report.status == "ready", report.error
            assert report.attempts == 1 and len(report.checksum) == 64

        text = pdf_text(reports["progress"])
        # 7 of 8 participants attended enough (one came to 2 of 5 sessions); 4 women of 7 (57.1 %).
        assert "7 distinct officials were trained" in text
        assert "57.1 %" in text
        assert "Machine learning for risk targeting" in text
        budget = text.rsplit("10. Budget against actual", 2)[-2]
        assert "18.0 %" in budget and "(!)" in budget and "Additional missions to West" in budget
        assert "Candidates selected in the period: 2." in text

        text = pdf_text(reports["workshop"])
        assert "Elena Rossi" in text and "Lead trainer" in text
        assert "2 / 5" in text and "5 / 5" in text
        assert "Not collected" in text

        text = pdf_text(reports["selection"])
        assert "Cohort Hanyang 2025" in text
        for name in ("Amina Wanjiru", "Moussa Diop", "Lucy Achieng", "Ibrahima Fall"):
            assert name in text
        assert "Selected: 2" in text and "Reserve list: 1" in text

        text = pdf_text(reports["model_card"])
        assert "DATE fraud detection" in text
        assert "Ranking import declarations for inspection." in text
        assert "Trained on KRA 2024 data." in text
    finally:
        worker.stop()
