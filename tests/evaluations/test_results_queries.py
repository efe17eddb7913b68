"""The results page and the workshop report's evaluation read a fixed number of queries whatever the number of
participants and answers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bacuda_portal.reports import selectors as report_selectors
from tests.workshops.factories import NominationFactory
from workshops.evaluations import services

from .conftest import knowledge_answers, open_questionnaire, reaction_answers
from .factories import QuestionFactory


def _answer_all(people, reaction_survey, reaction_questions, knowledge_tests, knowledge_questions, follow_up, rating):
    pre, post = knowledge_tests
    for index, person in enumerate(people):
        services.submit(nomination=person, questionnaire=reaction_survey, answers=reaction_answers(reaction_questions))
        services.submit(nomination=person, questionnaire=pre, answers=knowledge_answers(knowledge_questions, 1))
        right = 1 + index % 4
        services.submit(nomination=person, questionnaire=post, answers=knowledge_answers(knowledge_questions, right))
        services.submit(nomination=person, questionnaire=follow_up, answers={str(rating.pk): 4})


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_results_page_and_report_queries_do_not_grow_with_participants(
    client, staff, delivered_workshop, participants, reaction_survey, reaction_questions, knowledge_tests,
    knowledge_questions,
):  # fmt: skip
    rating = QuestionFactory(text_en="I apply it", measures_application=True)
    follow_up = open_questionnaire(delivered_workshop, "follow_up", [rating], staff)
    answer = (reaction_survey, reaction_questions, knowledge_tests, knowledge_questions, follow_up, rating)
    _answer_all(participants, *answer)
    client.force_login(staff)
    url = reverse("evaluations:workshop_results", kwargs={"pk": delivered_workshop.pk})
    few_page = _queries(client, url)
    with CaptureQueriesContext(connection) as few_report:
        report_selectors.workshop_report(delivered_workshop.pk)
    more = [NominationFactory(workshop=delivered_workshop, status="accepted") for _ in range(25)]
    _answer_all(more, *answer)
    assert _queries(client, url) == few_page
    with CaptureQueriesContext(connection) as many_report:
        evaluation = report_selectors.workshop_report(delivered_workshop.pk)["evaluation"]
    assert len(many_report) == len(few_report)
    assert evaluation.results.questionnaires[0].submitted == 28 and evaluation.applying_share == 100
