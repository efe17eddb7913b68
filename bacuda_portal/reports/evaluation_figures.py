"""The evaluation part of the donor progress report: the three evaluation indicators of the period, and per
delivered workshop its reaction-survey response rate, mean satisfaction, knowledge gain and application at
follow-up. A fixed number of queries whatever the number of workshops and answers."""

from dataclasses import dataclass
from decimal import Decimal

from workshops.evaluations import selectors as evaluation_selectors
from workshops.evaluations.enums import QuestionnaireKind

from . import indicators

EVALUATION_KEYS = ("mean_satisfaction", "share_with_knowledge_gain", "share_applying_learning")


@dataclass
class WorkshopEvaluationRow:
    workshop: object
    reaction_answers: int
    satisfaction: Decimal | None
    gain_share: Decimal | None
    applying_share: Decimal | None

    @property
    def response_rate(self) -> Decimal | None:
        return indicators._percent(self.reaction_answers, self.workshop.participants)

    @property
    def has_any(self) -> bool:
        return bool(self.reaction_answers) or any(
            value is not None for value in (self.satisfaction, self.gain_share, self.applying_share)
        )


def _by_workshop(answers) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for answer in answers:
        grouped.setdefault(answer.workshop_id, []).append(answer)
    return grouped


def _share(answers, counts) -> Decimal | None:
    return indicators._percent(sum(1 for answer in answers if counts(answer)), len(answers))


def period_evaluation(period_start, period_end, workshops: list, *, sex_label, region_names: dict) -> dict:
    """``workshops``: the period's delivered workshops with their ``participants`` (accepted) count;
    ``sex_label`` and ``region_names`` name the disaggregations."""
    results = {key: indicators.compute(key, period_start, period_end) for key in EVALUATION_KEYS}
    satisfaction = _by_workshop(evaluation_selectors.satisfaction_ratings(period_start, period_end))
    knowledge = _by_workshop(evaluation_selectors.knowledge_scores(period_start, period_end))
    application = _by_workshop(evaluation_selectors.application_ratings(period_start, period_end))
    submitted = evaluation_selectors.submitted_counts([workshop.pk for workshop in workshops])
    threshold = evaluation_selectors.APPLYING_RATING
    rows = []
    for workshop in workshops:
        ratings = [rating for answer in satisfaction.get(workshop.pk, []) for rating in answer.values]
        rows.append(
            WorkshopEvaluationRow(
                workshop=workshop,
                reaction_answers=submitted.get((workshop.pk, QuestionnaireKind.REACTION), 0),
                satisfaction=indicators._mean(ratings),
                gain_share=_share(knowledge.get(workshop.pk, []), lambda a: a.values[1] > a.values[0]),
                applying_share=_share(
                    application.get(workshop.pk, []), lambda a: sum(a.values) >= threshold * len(a.values)
                ),
            )
        )
    evaluated = [row for row in rows if row.has_any]
    return {
        "results": [
            {
                "indicator": indicators.REGISTRY[key],
                "percent": indicators.REGISTRY[key].unit == "%",
                "result": results[key],
                "sex_rows": [(sex_label(code), value) for code, value in (results[key].by_sex or {}).items()],
                "region_rows": [
                    (region_names.get(code, code or "–"), value)
                    for code, value in (results[key].by_region or {}).items()
                ],
            }
            for key in EVALUATION_KEYS
        ],
        "rows": evaluated,
        "collected": bool(evaluated),
    }
