"""Demo data of the reports app: a results framework with targets, budget lines and a narrative (idempotent)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from .enums import IndicatorSource
from .models import BudgetLine, Indicator, IndicatorTarget, IndicatorValue, Objective, ReportNarrative

OBJECTIVES = [
    ("O1", "Customs officials are trained in data analytics and AI", "Les fonctionnaires des douanes sont formés"
     " à l'analyse de données et à l'IA"),
    ("O2", "Administrations use BACUDA algorithms on their own data", "Les administrations utilisent les algorithmes"
     " BACUDA sur leurs propres données"),
    ("O3", "A community of Customs data scientists is built", "Une communauté de scientifiques des données"
     " douaniers est constituée"),
]  # fmt: skip

# (objective, code, title EN, title FR, unit, computed key or "", yearly target, by sex, by region)
INDICATORS = [
    ("O1", "1.1", "Officials trained", "Fonctionnaires formés", "officials", "officials_trained", 600, True, True),
    ("O1", "1.2", "Share of women among the officials trained", "Part des femmes parmi les fonctionnaires formés",
     "%", "share_of_women_trained", 40, False, True),
    ("O1", "1.3", "Workshops delivered", "Ateliers réalisés", "workshops", "workshops_delivered", 30, False, True),
    ("O1", "1.4", "Administrations reached", "Administrations touchées", "administrations",
     "administrations_reached", 40, False, True),
    ("O1", "1.5", "Experts deployed", "Experts déployés", "experts", "experts_deployed", 25, False, True),
    ("O1", "1.6", "E-learning courses published", "Cours en ligne publiés", "courses", "courses_published", 2,
     False, False),
    ("O1", "1.7", "Mean satisfaction of participants", "Satisfaction moyenne des participants", "out of 5",
     "mean_satisfaction", 4, True, True),
    ("O1", "1.8", "Share of participants with a positive knowledge gain", "Part des participants dont les "
     "connaissances progressent", "%", "share_with_knowledge_gain", 80, True, True),
    ("O1", "1.9", "Share of participants applying the learning at follow-up", "Part des participants qui "
     "appliquent les acquis au suivi", "%", "share_applying_learning", 60, True, True),
    ("O2", "2.1", "Model jobs run", "Tâches de modèles exécutées", "jobs", "model_jobs_run", 50, False, True),
    ("O2", "2.2", "Algorithm versions deployed", "Versions d'algorithmes déployées", "versions",
     "algorithm_versions_deployed", 5, False, False),
    ("O2", "2.3", "Administrations reporting a seizure found with BACUDA", "Administrations signalant une saisie "
     "grâce à BACUDA", "administrations", "", 5, False, True),
    ("O3", "3.1", "Scholarship candidates selected", "Candidats boursiers sélectionnés", "candidates",
     "scholars_selected", 10, True, True),
    ("O3", "3.2", "Scholarship candidates graduated", "Candidats boursiers diplômés", "graduates",
     "scholars_graduated", 8, True, True),
]  # fmt: skip

FRENCH_UNITS = {
    "officials": "fonctionnaires",
    "workshops": "ateliers",
    "administrations": "administrations",
    "experts": "experts",
    "courses": "cours",
    "jobs": "tâches",
    "versions": "versions",
    "candidates": "candidats",
    "graduates": "diplômés",
    "out of 5": "sur 5",
    "%": "%",
}

BUDGET = [
    ("B1", "Workshops and training", "Ateliers et formation", Decimal("420000"), Decimal("0.95")),
    ("B2", "Experts and missions", "Experts et missions", Decimal("180000"), Decimal("1.18")),
    ("B3", "Scholarships", "Bourses", Decimal("250000"), Decimal("0.82")),
    ("B4", "Algorithms and computing", "Algorithmes et calcul", Decimal("120000"), Decimal("1.04")),
    ("B5", "Project management", "Gestion du projet", Decimal("90000"), Decimal("1.00")),
]
EXPLANATIONS = {
    "B2": "Additional missions were needed to support the regional workshops in AP and WCA.",
    "B3": "The second cohort started later than planned; tuition fees move to the next year.",
}


def seed_reports(*, manager, first_year: int = 2016) -> None:
    objectives = {}
    for order, (code, title_en, title_fr) in enumerate(OBJECTIVES):
        objectives[code], _ = Objective.objects.get_or_create(
            code=code, defaults={"title_en": title_en, "title_fr": title_fr, "order": order}
        )
    this_year = timezone.localdate().year
    years = range(first_year, this_year + 2)
    for order, (objective, code, title_en, title_fr, unit, key, target, by_sex, by_region) in enumerate(INDICATORS):
        indicator, created = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "objective": objectives[objective],
                "title_en": title_en,
                "title_fr": title_fr,
                "unit": unit,
                "unit_fr": FRENCH_UNITS.get(unit, ""),
                "source": IndicatorSource.COMPUTED if key else IndicatorSource.MANUAL,
                "computed_key": key,
                "baseline": Decimal(0),
                "baseline_year": first_year,
                "means_of_verification": "BACUDA Portal records" if key else "Reports from the administrations",
                "disaggregate_by_sex": by_sex,
                "disaggregate_by_region": by_region,
                "order": order,
            },
        )
        if not created:
            continue
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(
                indicator=indicator, period_start=dt.date(y, 1, 1), period_end=dt.date(y, 12, 31), value=target
            )
            for y in years
        )
        if not key:
            IndicatorValue.objects.create(
                indicator=indicator,
                period_start=dt.date(this_year, 1, 1),
                period_end=dt.date(this_year, 3, 31),
                value=Decimal(3),
                evidence_url="https://www.wcoomd.org/",
                note="Kenya, Senegal and Morocco reported seizures found by DATE.",
                entered_by=manager,
            )
    if not BudgetLine.objects.exists():
        BudgetLine.objects.bulk_create(
            BudgetLine(
                code=code,
                title_en=title_en,
                title_fr=title_fr,
                period_start=dt.date(y, 1, 1),
                period_end=dt.date(y, 12, 31),
                planned=planned,
                actual=(planned * ratio).quantize(Decimal("1")) if y <= this_year else Decimal(0),
                variance_explanation=EXPLANATIONS.get(code, "") if y <= this_year else "",
            )
            for y in years
            for code, title_en, title_fr, planned, ratio in BUDGET
        )
    ReportNarrative.objects.get_or_create(
        period_start=dt.date(this_year, 1, 1),
        period_end=dt.date(this_year, 12, 31),
        language="en",
        defaults={
            "executive_summary": (
                "BACUDA continued to build data-analytics capacity in Member administrations this year.\n\n"
                "- National and regional workshops trained officials in every region.\n"
                "- The DATE fraud-detection model was trained on several administrations' own data.\n"
            ),
            "planned_activities": "Next semester: two regional workshops and the launch of the second cohort.",
            "updated_by": manager,
        },
    )
