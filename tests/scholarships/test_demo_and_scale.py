"""The demo data of ``make run`` and the large data set of ``seed_demo --scale large`` (scaled down here)."""

import random

from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from scholarships.enums import ReviewStatus
from scholarships.models import Application, Call, Decision, Endorsement, Review
from scholarships.scale import seed_large_scholarships


def test_demo_gives_an_open_call_and_a_call_in_review(db, client_as):
    call_command("seed_demo", quiet=True)
    call_command("seed_demo", quiet=True)  # idempotent
    assert Call.objects.filter(programme__name_en__startswith="[Demo]").count() == 2
    closed = Call.objects.get(cohort_name="Cohort 2026", programme__name_en__startswith="[Demo]")
    assert Review.objects.filter(call=closed).count() == 16
    assert Review.objects.filter(call=closed, status=ReviewStatus.SUBMITTED).count() == 8
    from bacuda_portal.members.models import User

    reviewer = User.objects.get(email="reviewer@example.org")
    content = client_as(reviewer).get(reverse("scholarships:review_list")).content.decode()
    assert content.count("Demo Applicant") == 8
    staff = User.objects.get(email="officer@example.org")
    assert client_as(staff).get(reverse("scholarships:ranking", args=[closed.pk])).status_code == 200


def test_the_large_data_set_shape(db):
    seed_large_scholarships(rng=random.Random(1), applications_per_call=40, reviewer_count=12)
    assert Application.objects.count() == 160
    assert Review.objects.count() == 480
    # Never a reviewer from the applicant's administration, never twice on one application.
    assert not Review.objects.filter(reviewer__administration=F("application__administration")).exists()
    assert Review.objects.values("application", "reviewer").distinct().count() == 480
    # Endorsements within the quota; the three past calls decided and released.
    assert Endorsement.objects.filter(rank__gt=2).count() == 0
    assert Decision.objects.filter(outcome="selected").count() == 3 * 25
    assert set(Decision.objects.values_list("status", flat=True)) == {"released"}
