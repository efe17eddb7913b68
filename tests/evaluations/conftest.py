import pytest

from tests.workshops.factories import NominationFactory, WorkshopFactory
from workshops.evaluations import services

from .factories import QuestionFactory, choice_question


@pytest.fixture
def delivered_workshop(kenya):
    return WorkshopFactory(title="Risk analytics for Kenya Revenue Authority", status="delivered")


@pytest.fixture
def participants(delivered_workshop):
    """Three accepted participants (alphabetical) and one still only nominated."""
    accepted = [
        NominationFactory(workshop=delivered_workshop, status="accepted", full_name=name, email=f"{slug}@kra.example")
        for name, slug in (("Achieng Otieno", "achieng"), ("Brian Kamau", "brian"), ("Chebet Rono", "chebet"))
    ]
    NominationFactory(workshop=delivered_workshop, status="nominated", full_name="Daudi Mwangi")
    return accepted


@pytest.fixture
def knowledge_questions(staff):
    """Five scored single-choice questions of one point each; the right answer is always "yes"."""
    return [
        choice_question(f"Knowledge question {n}", ["yes", "no", "maybe"], correct=["yes"], points=1, by=staff)
        for n in range(1, 6)
    ]


@pytest.fixture
def reaction_questions(staff):
    """A rating, a single choice, a multiple choice and a free-text question."""
    return [
        QuestionFactory(text_en="How useful was the workshop?"),
        choice_question("Was the pace right?", ["Too slow", "Right", "Too fast"], by=staff),
        choice_question("Which sessions helped most?", ["DATE", "AI-HS", "AI-Synth"], kind="multiple", by=staff),
        QuestionFactory(text_en="What should we improve?", kind="text", low_label_en="", high_label_en=""),
    ]


def open_questionnaire(workshop, kind, questions, by, **kwargs):
    questionnaire = services.questionnaire_create(workshop=workshop, kind=kind, questions=questions, by=by, **kwargs)
    return services.questionnaire_open(questionnaire=questionnaire, by=by)


@pytest.fixture
def reaction_survey(delivered_workshop, reaction_questions, staff):
    """The workshop's reaction survey, open and anonymous (the default)."""
    return open_questionnaire(delivered_workshop, "reaction", reaction_questions, staff)


@pytest.fixture
def knowledge_tests(delivered_workshop, knowledge_questions, staff):
    """The pre-test and the post-test made from it, both open."""
    pre = open_questionnaire(delivered_workshop, "pre_test", knowledge_questions, staff)
    post = open_questionnaire(delivered_workshop, "post_test", [], staff)
    return pre, post


def knowledge_answers(questions, right: int) -> dict:
    """Answers with the first ``right`` questions correct and the others wrong."""
    answers = {}
    for index, question in enumerate(questions):
        options = {option.text_en: option.pk for option in question.options.all()}
        answers[str(question.pk)] = options["yes"] if index < right else options["no"]
    return answers


def reaction_answers(questions, *, rating=4, pace="Right", sessions=("DATE",), text="More exercises, please."):
    rating_question, pace_question, sessions_question, text_question = questions
    pace_options = {option.text_en: option.pk for option in pace_question.options.all()}
    session_options = {option.text_en: option.pk for option in sessions_question.options.all()}
    return {
        str(rating_question.pk): rating,
        str(pace_question.pk): pace_options[pace],
        str(sessions_question.pk): [session_options[name] for name in sessions],
        str(text_question.pk): text,
    }
