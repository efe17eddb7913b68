"""Four cohorts of the scholarship for ``seed_demo --scale large``: 20,000 applicants and applications (5,000 per
call), 150 reviewers, 60,000 submitted reviews (three per application), endorsements within the quota, and the
released decisions of the three past calls. Repeatable (seeded random); written with ``bulk_create``.

Per-criterion scores are not generated (the ranking reads the weighted score stored on each review)."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bacuda_portal.members.models import Administration, User

CALLS, APPLICATIONS_PER_CALL, REVIEWS_PER_APPLICATION, REVIEWERS = 4, 5000, 3, 150
APPLICATIONS = CALLS * APPLICATIONS_PER_CALL
REVIEWS = APPLICATIONS * REVIEWS_PER_APPLICATION


@transaction.atomic
def seed_large_scholarships(
    *, rng: random.Random, applications_per_call: int = APPLICATIONS_PER_CALL, reviewer_count: int = REVIEWERS
) -> None:
    from .models import (
        Application,
        Call,
        Decision,
        Endorsement,
        Programme,
        Review,
        Reviewer,
        ReviewPhase,
        RubricCriterion,
    )

    now = timezone.now()
    administrations = list(Administration.objects.members().only("pk"))
    programme = Programme.objects.create(
        name_en="BACUDA data analytics scholarship (ten-year history)",
        name_fr="Bourse BACUDA d'analyse de données (historique)",
        partner_institution="Korea Customs Service",
    )
    calls = []
    for index in range(CALLS):
        closes = now - dt.timedelta(days=365 * (CALLS - 1 - index) + 30)
        calls.append(
            Call.objects.create(
                programme=programme, cohort_name=f"Scale cohort {2023 + index}",
                partner_university="Sungkyunkwan University", seats=25, opens_at=closes - dt.timedelta(days=60),
                closes_at=closes, is_published=True, min_years_of_service=2, required_language_level="B2",
                quota_per_administration=2, consent_text_en="The WCO processes your personal data to select scholars.",
                retention_days=3650,
            )
        )  # fmt: skip
    for call in calls:
        RubricCriterion.objects.bulk_create(
            RubricCriterion(call=call, name=name, weight=weight, order=order)
            for order, (name, weight) in enumerate(
                [("Analytical background", Decimal(2)), ("Motivation", Decimal(1)), ("Impact at work", Decimal(1))]
            )
        )
        ReviewPhase.objects.create(
            call=call, name="Review", opens_at=call.closes_at, closes_at=call.closes_at + dt.timedelta(days=30)
        )
    reviewer_users = User.objects.bulk_create(
        User(email=f"reviewer{n}@scale.example.org", full_name=f"Reviewer {n}", role="reviewer", password="!")
        for n in range(reviewer_count)
    )
    reviewers = Reviewer.objects.bulk_create(
        Reviewer(user=user, administration=rng.choice(administrations) if n % 3 else None)
        for n, user in enumerate(reviewer_users)
    )
    through = Reviewer.calls.through
    through.objects.bulk_create(through(reviewer_id=r.pk, call_id=c.pk) for r in reviewers for c in calls)
    applicants = User.objects.bulk_create(
        (User(email=f"applicant{n}@scale.example.org", full_name=f"Applicant {n}", role="applicant", password="!")
         for n in range(CALLS * applications_per_call)),
        batch_size=2000,
    )  # fmt: skip
    genders = ["female", "male", "female", "male", "other", "undisclosed"]
    applications = Application.objects.bulk_create(
        (
            Application(
                call=calls[n // applications_per_call], applicant=user, administration=rng.choice(administrations),
                full_name=user.full_name, gender=rng.choice(genders),
                date_of_birth=dt.date(1975 + n % 25, 1 + n % 12, 1 + n % 28),
                nationality="–", position="Customs officer", years_of_service=rng.randint(1, 25),
                education_level=rng.choice(["bachelor", "master", "doctorate"]), education_details="Degree",
                language_level=rng.choice(["B1", "B2", "C1", "C2"]), motivation="Data analytics for risk management.",
                status="submitted",
                submitted_at=calls[n // applications_per_call].closes_at - dt.timedelta(days=n % 50 + 1),
                consent_given_at=now, consent_text="The WCO processes your personal data to select scholars.",
                consent_version="1", endorsement_status="pending",
                eligibility_result="eligible" if rng.random() < 0.9 else "ineligible",
            )
            for n, user in enumerate(applicants)
        ),
        batch_size=2000,
    )  # fmt: skip
    # Endorsements: each administration endorses up to its quota per call, ranked.
    endorsements, endorsed_ids, counts = [], [], {}
    for application in applications:
        key = (application.call_id, application.administration_id)
        if counts.get(key, 0) < 2:
            counts[key] = counts.get(key, 0) + 1
            endorsed_ids.append(application.pk)
            endorsements.append(
                Endorsement(application=application, call_id=application.call_id, decision="endorsed",
                            administration_id=application.administration_id, rank=counts[key],
                            decided_by=application.applicant)
            )  # fmt: skip
    Endorsement.objects.bulk_create(endorsements, batch_size=2000)
    Application.objects.filter(pk__in=endorsed_ids).update(endorsement_status="endorsed")
    # Reviews: three different reviewers each, never from the applicant's administration.
    reviews = []
    for application in applications:
        chosen = 0
        while chosen < REVIEWS_PER_APPLICATION:
            picks = rng.sample(reviewers, REVIEWS_PER_APPLICATION + 2)
            picks = [r for r in picks if r.administration_id != application.administration_id][:REVIEWS_PER_APPLICATION]
            chosen = len(picks)
        quality = rng.uniform(3, 9)
        for reviewer in picks:
            score = Decimal(min(10.0, max(0.0, rng.gauss(quality, 1.2)))).quantize(Decimal("0.01"))
            reviews.append(
                Review(call_id=application.call_id, application=application, reviewer=reviewer, status="submitted",
                       recommendation="yes" if score >= 7 else "maybe" if score >= 5 else "no",
                       weighted_score=score, submitted_at=application.call.closes_at + dt.timedelta(days=5))
            )  # fmt: skip
    Review.objects.bulk_create(reviews, batch_size=5000)
    # The past calls' decisions, released: the 25 best selected (offers accepted), the next 10 on the reserve list.
    from .selectors import ranking_candidates, ranking_order

    decisions = []
    for call in calls[:-1]:
        for position, application_id in enumerate(
            row["pk"] for row in ranking_order(ranking_candidates(call=call), call=call)[:35]
        ):
            selected = position < call.seats
            decisions.append(
                Decision(application_id=application_id, call=call, outcome="selected" if selected else "reserve",
                         reserve_rank=None if selected else position - call.seats + 1, status="released",
                         released_at=call.closes_at + dt.timedelta(days=40),
                         offer_status="accepted" if selected else "")
            )  # fmt: skip
    Decision.objects.bulk_create(decisions)
