"""The evaluation services: the bank's rules, questionnaires, drafts and submissions, scoring."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from tests.workshops.factories import NominationFactory, WorkshopFactory
from workshops.evaluations import services
from workshops.evaluations.models import AnswerReceipt, Questionnaire, Response

from .conftest import knowledge_answers, open_questionnaire, reaction_answers
from .factories import QuestionFactory, choice_question

pytestmark = pytest.mark.django_db


# --- The bank ------------------------------------------------------------------------------------------
def test_a_scored_question_needs_a_correct_option(staff):
    with pytest.raises(ValidationError) as error:
        choice_question("Which is a tree model?", ["XGBoost", "k-means"], points=2, by=staff)
    assert "A scored question needs at least one correct option." in error.value.message_dict["options"]


def test_a_single_choice_question_has_one_correct_option(staff):
    with pytest.raises(ValidationError) as error:
        choice_question("Pick one", ["a", "b"], correct=["a", "b"], points=1, by=staff)
    assert "exactly one correct option" in str(error.value)


def test_correct_options_without_points_are_refused(staff):
    with pytest.raises(ValidationError) as error:
        choice_question("Pick one", ["a", "b"], correct=["a"], points=0, by=staff)
    assert "points" in error.value.message_dict


def test_a_free_text_question_cannot_be_scored_nor_have_options(staff):
    with pytest.raises(ValidationError) as error:
        services.question_create(
            by=staff, text_en="Comments", kind="text", points=1, options=[services.OptionInput("a")]
        )
    assert set(error.value.message_dict) == {"options", "points"}


def test_question_creation_is_audited(staff):
    question = choice_question("Pick one", ["a", "b"], by=staff)
    assert AuditEntry.objects.filter(action="evaluations.question.created", target_id=str(question.pk)).exists()
    assert [option.text_fr for option in question.options.all()] == ["a (FR)", "b (FR)"]


def test_an_answered_question_keeps_its_meaning_but_its_wording_can_change(
    staff, knowledge_tests, knowledge_questions, participants
):
    pre, _post = knowledge_tests
    services.save_draft(nomination=participants[0], questionnaire=pre, answers={})
    question = knowledge_questions[0]
    options = [services.OptionInput(o.text_en, o.text_fr, o.is_correct) for o in question.options.all()]
    flipped = [services.OptionInput(o.text_en, o.text_fr, not o.is_correct) for o in options]
    with pytest.raises(ValidationError, match="only its wording can change"):
        services.question_update(question=question, by=staff, options=[*flipped[:2], options[2]])
    with pytest.raises(ValidationError, match="only its wording can change"):
        services.question_update(question=question, by=staff, options=options, points=3)
    ids = [o.pk for o in question.options.all()]
    reworded = [services.OptionInput(f"{o.text_en}!", o.text_fr, o.is_correct) for o in options]
    services.question_update(question=question, by=staff, options=reworded, text_en="Reworded")
    question.refresh_from_db()
    assert question.text_en == "Reworded"
    assert [o.pk for o in question.options.all()] == ids  # the answers' option ids still hold
    assert [o.text_en for o in question.options.all()] == ["yes!", "no!", "maybe!"]


# --- Questionnaires ------------------------------------------------------------------------------------
def test_the_reaction_survey_is_anonymous_by_default_and_the_others_named(delivered_workshop, staff):
    question = QuestionFactory()
    reaction = services.questionnaire_create(
        workshop=delivered_workshop, kind="reaction", questions=[question], by=staff
    )
    follow_up = services.questionnaire_create(
        workshop=delivered_workshop, kind="follow_up", questions=[question], by=staff
    )
    assert reaction.anonymous is True
    assert follow_up.anonymous is False
    assert follow_up.follow_up_months == 3


def test_one_questionnaire_of_each_kind_per_workshop(delivered_workshop, staff):
    question = QuestionFactory()
    services.questionnaire_create(workshop=delivered_workshop, kind="reaction", questions=[question], by=staff)
    with pytest.raises(ValidationError, match="already has a questionnaire of this kind: Reaction survey"):
        services.questionnaire_create(workshop=delivered_workshop, kind="reaction", questions=[question], by=staff)


def test_knowledge_tests_are_named_and_scored_only(delivered_workshop, staff, knowledge_questions):
    with pytest.raises(ValidationError, match="Knowledge tests are named"):
        services.questionnaire_create(
            workshop=delivered_workshop, kind="pre_test", questions=knowledge_questions, by=staff, anonymous=True
        )
    with pytest.raises(ValidationError, match="scored questions only"):
        services.questionnaire_create(
            workshop=delivered_workshop, kind="pre_test", questions=[QuestionFactory()], by=staff
        )


def test_the_post_test_is_made_from_the_pre_test(delivered_workshop, staff, knowledge_questions):
    with pytest.raises(ValidationError, match="Create the knowledge pre-test first"):
        services.questionnaire_create(workshop=delivered_workshop, kind="post_test", by=staff)
    pre = services.questionnaire_create(
        workshop=delivered_workshop, kind="pre_test", questions=knowledge_questions, by=staff
    )
    post = services.questionnaire_create(
        workshop=delivered_workshop, kind="post_test", questions=knowledge_questions[:1], by=staff
    )
    assert [i.question_id for i in post.items.all()] == [q.pk for q in knowledge_questions]

    # Reordering the pre-test reorders the post-test; the post-test is never changed on its own.
    reordered = [(question, True) for question in reversed(knowledge_questions[1:])]
    services.questionnaire_set_items(questionnaire=pre, by=staff, items=reordered)
    assert [i.question_id for i in post.items.all()] == [q.pk for q in reversed(knowledge_questions[1:])]
    with pytest.raises(TransitionError, match="change the pre-test instead"):
        services.questionnaire_set_items(questionnaire=post, by=staff, items=reordered)


def test_questions_are_fixed_once_answering_started(knowledge_tests, knowledge_questions, participants, staff):
    pre, post = knowledge_tests
    services.save_draft(nomination=participants[0], questionnaire=post, answers={})
    with pytest.raises(TransitionError, match="started answering"):
        services.questionnaire_set_items(questionnaire=pre, by=staff, items=[(knowledge_questions[0], True)])


def test_open_and_close(delivered_workshop, staff):
    questionnaire = services.questionnaire_create(
        workshop=delivered_workshop, kind="reaction", questions=[QuestionFactory()], by=staff
    )
    assert not services.is_accepting_answers(questionnaire)
    services.questionnaire_open(questionnaire=questionnaire, by=staff)
    assert services.is_accepting_answers(questionnaire)
    with pytest.raises(TransitionError, match="already open"):
        services.questionnaire_open(questionnaire=questionnaire, by=staff)
    services.questionnaire_close(questionnaire=questionnaire, by=staff)
    assert questionnaire.status == "closed" and not services.is_accepting_answers(questionnaire)
    with pytest.raises(TransitionError, match="Only an open questionnaire"):
        services.questionnaire_close(questionnaire=questionnaire, by=staff)
    assert AuditEntry.objects.filter(action="evaluations.questionnaire.closed").count() == 1


def test_a_questionnaire_opening_later_does_not_take_answers_yet(delivered_workshop, staff, participants):
    questionnaire = services.questionnaire_create(
        workshop=delivered_workshop,
        kind="reaction",
        questions=[QuestionFactory()],
        by=staff,
        opens_at=timezone.now() + dt.timedelta(days=2),
    )
    services.questionnaire_open(questionnaire=questionnaire, by=staff)
    with pytest.raises(TransitionError, match="not open yet"):
        services.save_draft(nomination=participants[0], questionnaire=questionnaire, answers={})


def test_copy_from_another_workshop(delivered_workshop, knowledge_tests, reaction_survey, staff):
    target = WorkshopFactory()
    services.questionnaire_create(workshop=target, kind="reaction", questions=[QuestionFactory()], by=staff)
    copies = services.questionnaires_copy(source=delivered_workshop, workshop=target, by=staff)
    assert sorted(copy.kind for copy in copies) == ["post_test", "pre_test"]  # its own reaction survey stays
    pre, _post = knowledge_tests
    for copy in copies:
        assert copy.status == "draft" and copy.opens_at is None and not copy.anonymous
        assert [i.question_id for i in copy.items.all()] == [i.question_id for i in pre.items.all()]
    with pytest.raises(ValidationError, match="no questionnaire that this one does not already have"):
        services.questionnaires_copy(source=delivered_workshop, workshop=target, by=staff)


# --- Answers -------------------------------------------------------------------------------------------
def test_draft_then_submit_then_a_second_submission_is_refused(knowledge_tests, knowledge_questions, participants):
    pre, _post = knowledge_tests
    achieng = participants[0]
    half = dict(list(knowledge_answers(knowledge_questions, right=2).items())[:2])
    draft = services.save_draft(nomination=achieng, questionnaire=pre, answers=half)
    assert (
        draft.status == "draft"
        and draft.nomination == achieng
        and draft.answers == {key: int(value) for key, value in half.items()}
    )

    response = services.submit(
        nomination=achieng, questionnaire=pre, answers=knowledge_answers(knowledge_questions, right=2)
    )
    assert response.pk == draft.pk and response.status == "submitted"
    assert (response.score, response.max_score) == (2, 5)
    assert AnswerReceipt.objects.filter(questionnaire=pre, nomination=achieng).count() == 1

    with pytest.raises(services.AlreadyAnswered, match="already answered this questionnaire"):
        services.submit(nomination=achieng, questionnaire=pre, answers=knowledge_answers(knowledge_questions, right=5))
    with pytest.raises(services.AlreadyAnswered):
        services.save_draft(nomination=achieng, questionnaire=pre, answers={})
    assert Response.objects.get(pk=response.pk).score == 2


def test_an_incomplete_submission_is_kept_as_a_draft(reaction_survey, reaction_questions, participants):
    answers = reaction_answers(reaction_questions)
    text_key = str(reaction_questions[3].pk)
    rating_key = str(reaction_questions[0].pk)
    answers[text_key] = "   "
    answers[rating_key] = 9  # out of the scale
    with pytest.raises(ValidationError) as error:
        services.submit(nomination=participants[0], questionnaire=reaction_survey, answers=answers)
    assert error.value.message_dict == {
        f"q{text_key}": ["Please answer this question."],
        f"q{rating_key}": ["Choose a rating from 1 to 5."],
    }
    draft = services.find_draft(reaction_survey, participants[0])
    assert draft is not None and draft.status == "draft"
    assert set(draft.answers) == {str(reaction_questions[1].pk), str(reaction_questions[2].pk)}
    assert not AnswerReceipt.objects.exists()


def test_answers_to_options_of_another_question_are_refused(reaction_survey, reaction_questions, participants):
    other = choice_question("Unrelated", ["x", "y"])
    answers = reaction_answers(reaction_questions)
    answers[str(reaction_questions[1].pk)] = other.options.first().pk
    with pytest.raises(ValidationError, match="Choose one of the options"):
        services.save_draft(nomination=participants[0], questionnaire=reaction_survey, answers=answers)
    assert not Response.objects.exists()


def test_only_accepted_participants_of_the_workshop_answer(reaction_survey, reaction_questions, participants):
    nominated = NominationFactory(workshop=reaction_survey.workshop, status="nominated")
    stranger = NominationFactory(status="accepted")
    for nomination in (nominated, stranger):
        with pytest.raises(TransitionError, match="accepted participants"):
            services.submit(
                nomination=nomination, questionnaire=reaction_survey, answers=reaction_answers(reaction_questions)
            )


def test_a_closed_questionnaire_takes_no_answers(reaction_survey, reaction_questions, participants, staff):
    services.questionnaire_close(questionnaire=reaction_survey, by=staff)
    with pytest.raises(TransitionError, match="closed"):
        services.submit(
            nomination=participants[0], questionnaire=reaction_survey, answers=reaction_answers(reaction_questions)
        )


def test_multiple_choice_scores_only_the_exact_set(delivered_workshop, staff, participants):
    question = choice_question(
        "Which are supervised?",
        ["XGBoost", "k-means", "logistic regression"],
        correct=["XGBoost", "logistic regression"],
        points=2,
        kind="multiple",
        by=staff,
    )
    pre = open_questionnaire(delivered_workshop, "pre_test", [question], staff)
    ids = {o.text_en: o.pk for o in question.options.all()}
    partial = services.submit(
        nomination=participants[0], questionnaire=pre, answers={str(question.pk): [ids["XGBoost"]]}
    )
    exact = services.submit(
        nomination=participants[1],
        questionnaire=pre,
        answers={str(question.pk): [ids["logistic regression"], ids["XGBoost"]]},
    )
    assert (partial.score, partial.max_score) == (0, 2)
    assert (exact.score, exact.max_score) == (2, 2)


def test_the_questionnaire_kinds_are_unique_in_the_database(delivered_workshop):
    Questionnaire.objects.create(workshop=delivered_workshop, kind="reaction")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Questionnaire.objects.create(workshop=delivered_workshop, kind="reaction")
