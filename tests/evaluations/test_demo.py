"""`seed_demo` answers the past demo workshop's questionnaires, so the results framework's evaluation indicators
and the dashboard show real figures (and a second run adds nothing)."""

import datetime as dt
from decimal import Decimal

from django.core.management import call_command

from bacuda_portal.members.models import User
from bacuda_portal.reports import indicators
from workshops.evaluations.models import AnswerReceipt, Questionnaire
from workshops.models import Workshop


def test_seed_demo_gives_the_evaluation_indicators_figures(db, client):
    call_command("seed_demo", quiet=True)
    call_command("seed_demo", quiet=True)
    assert Questionnaire.objects.count() == 4
    assert AnswerReceipt.objects.count() == 12  # three participants, four questionnaires
    year = Workshop.objects.get(title__startswith="[Demo] National").end_date.year  # 26 days ago: maybe last year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    # Ratings (5, 4), (4, 4), (3, 5); gains 1->3, 2->3, 2->2; application 5, 4, 2.
    assert indicators.compute("mean_satisfaction", start, end).value == Decimal("4.17")
    assert indicators.compute("share_with_knowledge_gain", start, end).value == Decimal("66.7")
    assert indicators.compute("share_applying_learning", start, end).value == Decimal("66.7")
    client.force_login(User.objects.get(email="manager@example.org"))
    page = client.get(f"/en/reports/dashboard/?year={year}").content.decode()
    assert "Mean satisfaction of participants" in page and "4.17" in page
