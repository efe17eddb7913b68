"""Demo evaluations for ``seed_demo``: a small question bank, and the past demo workshop's four questionnaires
answered by its participants (made through the services), so that the results page, the workshop report and the
results framework's evaluation indicators show real figures."""

import datetime as dt

from django.utils import timezone

from bacuda_portal.members.models import User

from ..models import Nomination, Workshop
from . import services
from .models import Question, Questionnaire

RATINGS = [
    ("How useful was the workshop for your work?", "Quelle a été l'utilité de l'atelier pour votre travail ?",
     "Not useful", "Pas utile", "Very useful", "Très utile"),
    ("How satisfied are you with the trainers?", "Êtes-vous satisfait des formateurs ?",
     "Not satisfied", "Pas satisfait", "Very satisfied", "Très satisfait"),
]  # fmt: skip
KNOWLEDGE = [
    ("Which metric suits a rare-fraud selection best?", "Quelle mesure convient le mieux à une sélection de fraudes "
     "rares ?", ["Precision at 5% inspection", "Accuracy"], ["La précision à 5 % d'inspection", "L'exactitude"]),
    ("How should declarations be split for validation?", "Comment répartir les déclarations pour la validation ?",
     ["By date", "At random"], ["Par date", "Au hasard"]),
    ("What does DATE use as the query of its attention?", "Qu'utilise DATE comme requête de son attention ?",
     ["Importer and HS-code embeddings", "The declared value"],
     ["Les représentations de l'importateur et du code SH", "La valeur déclarée"]),
]  # fmt: skip
APPLICATION = ("I apply what I learnt in my daily work.", "J'applique ce que j'ai appris dans mon travail quotidien.")


def seed_question_bank(*, by: User) -> dict:
    """The bank's demo questions (idempotent, found by their English text)."""
    found = {question.text_en: question for question in Question.objects.all()}
    ratings = []
    for text_en, text_fr, low_en, low_fr, high_en, high_fr in RATINGS:
        ratings.append(
            found.get(text_en)
            or services.question_create(
                by=by, text_en=text_en, text_fr=text_fr, kind="rating", low_label_en=low_en, low_label_fr=low_fr,
                high_label_en=high_en, high_label_fr=high_fr,
            )
        )  # fmt: skip
    knowledge = [
        found.get(text_en)
        or services.question_create(
            by=by, text_en=text_en, text_fr=text_fr, kind="single", points=1,
            options=[services.OptionInput(en, fr, is_correct=i == 0) for i, (en, fr) in enumerate(zip(en_options,
                     fr_options, strict=True))],
        )
        for text_en, text_fr, en_options, fr_options in KNOWLEDGE
    ]  # fmt: skip
    application = found.get(APPLICATION[0]) or services.question_create(
        by=by, text_en=APPLICATION[0], text_fr=APPLICATION[1], kind="rating", measures_application=True,
        low_label_en="Never", low_label_fr="Jamais", high_label_en="Every day", high_label_fr="Tous les jours",
    )  # fmt: skip
    return {"ratings": ratings, "knowledge": knowledge, "application": application}


def seed_before_delivery(*, workshop: Workshop, by: User, bank: dict) -> None:
    """The reaction survey and the knowledge tests, open: staff prepare them before the workshop ends."""
    for kind, questions in (("reaction", bank["ratings"]), ("pre_test", bank["knowledge"]), ("post_test", [])):
        questionnaire = services.questionnaire_create(workshop=workshop, kind=kind, questions=questions, by=by)
        services.questionnaire_open(questionnaire=questionnaire, by=by)


def seed_answers(*, workshop: Workshop, participants: list[Nomination], by: User, bank: dict) -> None:
    """Every participant answers; the follow-up survey that delivery scheduled is opened early for the demo."""
    questionnaires = {q.kind: q for q in Questionnaire.objects.filter(workshop=workshop)}
    follow_up = questionnaires.get("follow_up")
    if follow_up is not None and follow_up.opens_at and follow_up.opens_at > timezone.now():
        services.questionnaire_update(
            questionnaire=follow_up, by=by, anonymous=follow_up.anonymous,
            opens_at=timezone.now() - dt.timedelta(hours=1), closes_at=None,
            follow_up_months=follow_up.follow_up_months,
        )  # fmt: skip
    knowledge = bank["knowledge"]

    def knowledge_answers(right: int) -> dict:
        return {
            str(q.pk): [o.pk for o in q.options.order_by("position")][0 if i < right else 1]
            for i, q in enumerate(knowledge)
        }

    for person, (ratings, pre, post, applies) in zip(
        participants, [((5, 4), 1, 3, 5), ((4, 4), 2, 3, 4), ((3, 5), 2, 2, 2)], strict=False
    ):
        services.submit(
            nomination=person,
            questionnaire=questionnaires["reaction"],
            answers={str(q.pk): value for q, value in zip(bank["ratings"], ratings, strict=True)},
        )
        services.submit(nomination=person, questionnaire=questionnaires["pre_test"], answers=knowledge_answers(pre))
        services.submit(nomination=person, questionnaire=questionnaires["post_test"], answers=knowledge_answers(post))
        if follow_up is not None:
            services.submit(nomination=person, questionnaire=follow_up, answers={str(bank["application"].pk): applies})
