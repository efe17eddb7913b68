"""Demo scholarship data for ``seed_demo`` (``make run``): an open call to apply to, and a closed call in review
with a rubric, an open review phase, the demo reviewer in its pool and eight applications, some reviewed.
Idempotent."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from bacuda_portal.members.models import Administration, User

CONSENT = (
    "The World Customs Organization processes the personal data in this application to select the scholars of "
    "this programme, under the WCO Personal Data Protection Policy. You may download or ask to erase your data."
)

CONSENT_FR = (
    "L'Organisation mondiale des douanes traite les données personnelles de cette candidature pour sélectionner "
    "les boursiers, conformément à sa politique de protection des données personnelles."
)

# (English title, French title, hours) of each curriculum module.
CURRICULUM = (
    ("Statistics for risk management", "Statistiques pour la gestion des risques", 60),
    ("Machine learning", "Apprentissage automatique", 80),
    ("Data engineering for Customs", "Ingénierie des données pour les douanes", 40),
)
# (weight, English name, French name, English description, French description) of each rubric criterion.
RUBRIC = (
    (2, "Analytical background", "Formation analytique", "Statistics, programming, data work done so far.",
     "Statistique, programmation, travaux sur les données déjà réalisés."),
    (1, "Motivation and impact", "Motivation et impact", "What the candidate will change at work afterwards.",
     "Ce que la candidate ou le candidat changera ensuite dans son travail."),
)  # fmt: skip


def seed_scholarships(*, officer: User, reviewer_user: User) -> None:
    from . import services
    from .models import Application, Call, CurriculumModule, Programme, Review, Reviewer, ReviewPhase, RubricCriterion

    if Programme.objects.filter(name_en__startswith="[Demo]").exists():
        return
    now = timezone.now()
    programme = Programme.objects.create(
        name_en="[Demo] BACUDA data analytics scholarship",
        name_fr="[Démo] Bourse BACUDA d'analyse de données",
        partner_institution="Korea Customs Service",
        description="A one-year master's programme in data analytics for Customs officers.",
        description_fr="Un master d'un an en analyse de données pour les fonctionnaires des douanes.",
    )
    common = {"programme": programme, "partner_university": "Sungkyunkwan University", "seats": 3,
              "is_published": True, "min_years_of_service": 2, "required_language_level": "B2",
              "quota_per_administration": 2, "consent_text_en": CONSENT,
              "consent_text_fr": CONSENT_FR}  # fmt: skip
    open_call = Call.objects.create(
        cohort_name="Cohort 2027",
        cohort_name_fr="Promotion 2027",
        description="The 2027 cohort studies in Seoul from September; the programme is taught in English.",
        description_fr="La promotion 2027 étudie à Séoul dès septembre ; le programme est enseigné en anglais.",
        opens_at=now - dt.timedelta(days=7),
        closes_at=now + dt.timedelta(days=45),
        **common,
    )
    closed = Call.objects.create(
        cohort_name="Cohort 2026", cohort_name_fr="Promotion 2026", opens_at=now - dt.timedelta(days=90),
        closes_at=now - dt.timedelta(days=20),
        reviews_per_application=2, **common,
    )  # fmt: skip
    for call in (open_call, closed):
        for order, (title, title_fr, hours) in enumerate(CURRICULUM):
            CurriculumModule.objects.create(call=call, title=title, title_fr=title_fr, hours=hours, order=order)
        for order, (weight, name, name_fr, description, description_fr) in enumerate(RUBRIC, start=1):
            RubricCriterion.objects.create(call=call, name=name, name_fr=name_fr, weight=Decimal(weight), order=order,
                                           description=description, description_fr=description_fr)  # fmt: skip
    ReviewPhase.objects.create(
        call=closed, name="Review", name_fr="Évaluation", opens_at=closed.closes_at,
        closes_at=now + dt.timedelta(days=30),
    )  # fmt: skip
    demo_reviewer, _created = Reviewer.objects.get_or_create(user=reviewer_user)
    second_user, _created = User.objects.get_or_create(
        email="reviewer2@example.org", defaults={"full_name": "Second Reviewer", "role": "reviewer"}
    )
    second = Reviewer.objects.create(user=second_user, administration=Administration.objects.get(code="FRA"))
    for reviewer in (demo_reviewer, second):
        reviewer.calls.add(closed)
    codes = ["KEN", "SEN", "BRA", "IND", "MAR", "KEN", "FJI", "PER"]
    genders = ["female", "male", "female", "male", "undisclosed", "male", "female", "other"]
    criteria = list(closed.criteria.all())
    for n, (code, gender) in enumerate(zip(codes, genders, strict=True)):
        applicant, _created = User.objects.get_or_create(
            email=f"demo.applicant{n}@example.org",
            defaults={"full_name": f"Demo Applicant {n + 1}", "role": "applicant"},
        )
        Application.objects.create(
            call=closed, applicant=applicant, administration=Administration.objects.get(code=code),
            full_name=applicant.full_name, gender=gender, date_of_birth=dt.date(1985 + n, 3, 1 + n), nationality="–",
            position="Risk analyst", years_of_service=3 + n, education_level="master",
            education_details="MSc Statistics", language_level="C1",
            motivation="I want to build risk models for my administration. " * 30, status="submitted",
            submitted_at=closed.closes_at - dt.timedelta(days=n + 1), consent_given_at=closed.closes_at,
            consent_text=CONSENT, consent_version="1", endorsement_status="endorsed", eligibility_result="eligible",
        )  # fmt: skip
    services.reviews_assign_automatically(call=closed, by=officer)
    # The second reviewer has submitted theirs; the demo reviewer's are waiting for them.
    for index, review in enumerate(Review.objects.filter(call=closed, reviewer=second).order_by("pk")):
        services.review_save(
            review=review, scores={criteria[0].pk: 4 + index % 6, criteria[1].pk: 5 + index % 4},
            recommendation="yes" if index % 3 == 0 else "maybe", comment="Clear plan.", submit=True, by=second_user,
        )  # fmt: skip
