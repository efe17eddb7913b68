"""Results: response rate, distributions, averages, free text, knowledge gain; constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.workshops.factories import NominationFactory
from workshops.evaluations import selectors, services

from .conftest import knowledge_answers, reaction_answers

pytestmark = pytest.mark.django_db


def test_knowledge_gain_on_a_known_answer(knowledge_tests, knowledge_questions, participants):
    pre, post = knowledge_tests
    achieng, brian, chebet = participants
    services.submit(nomination=achieng, questionnaire=pre, answers=knowledge_answers(knowledge_questions, right=2))
    services.submit(nomination=achieng, questionnaire=post, answers=knowledge_answers(knowledge_questions, right=4))
    # Brian already knew everything: no gain, and no normalised gain (nothing left to learn).
    services.submit(nomination=brian, questionnaire=pre, answers=knowledge_answers(knowledge_questions, right=5))
    services.submit(nomination=brian, questionnaire=post, answers=knowledge_answers(knowledge_questions, right=5))
    # Chebet took the pre-test only.
    services.submit(nomination=chebet, questionnaire=pre, answers=knowledge_answers(knowledge_questions, right=1))

    gain = selectors.workshop_results(pre.workshop).knowledge_gain
    rows = {row.full_name: row for row in gain.rows}
    achieng_row = rows["Achieng Otieno"]
    assert (achieng_row.pre, achieng_row.post, achieng_row.maximum) == (2, 4, 5)
    assert achieng_row.gain == 2
    assert achieng_row.gain_percent == pytest.approx(40.0)
    assert achieng_row.normalised_gain == pytest.approx(2 / 3)
    assert (rows["Brian Kamau"].gain, rows["Brian Kamau"].normalised_gain) == (0, None)
    assert (rows["Chebet Rono"].pre, rows["Chebet Rono"].post, rows["Chebet Rono"].gain) == (1, None, None)

    assert gain.average_gain == pytest.approx(1.0)  # (2 + 0) / 2: those who took both tests
    assert gain.average_gain_percent == pytest.approx(20.0)
    assert gain.average_normalised_gain == pytest.approx(2 / 3)  # Brian's is undefined
    assert gain.positive_share == pytest.approx(50.0)
    assert gain.average_pre == pytest.approx(8 / 3)


def test_distributions_averages_and_response_rate(reaction_survey, reaction_questions, participants):
    achieng, brian, chebet = participants
    dan = NominationFactory(workshop=reaction_survey.workshop, status="accepted")
    for nomination, answers in (
        (achieng, {"rating": 5, "pace": "Right", "sessions": ("DATE", "AI-HS"), "text": "Good"}),
        (brian, {"rating": 2, "pace": "Too fast", "sessions": ("DATE",), "text": "Faster"}),
        (dan, {"rating": 3, "pace": "Too slow", "sessions": ("AI-Synth",), "text": "Clear"}),
    ):
        services.submit(
            nomination=nomination,
            questionnaire=reaction_survey,
            answers=reaction_answers(reaction_questions, **answers),
        )
    services.save_draft(nomination=chebet, questionnaire=reaction_survey, answers={})  # drafts do not count

    results = selectors.workshop_results(reaction_survey.workshop).questionnaires[0]
    assert (results.submitted, results.accepted, results.withheld) == (3, 4, False)
    assert results.response_rate == pytest.approx(75.0)
    rating, pace, sessions, text = results.questions
    assert rating.average == pytest.approx(10 / 3)
    assert [(b.label, b.count) for b in rating.buckets] == [
        ("1 – Not useful", 0),
        ("2", 1),
        ("3", 1),
        ("4", 0),
        ("5 – Very useful", 1),
    ]
    assert [(b.label, b.count) for b in pace.buckets] == [("Too slow", 1), ("Right", 1), ("Too fast", 1)]
    assert pace.buckets[0].share == pytest.approx(100 / 3)
    assert [(b.label, b.count) for b in sessions.buckets] == [("DATE", 2), ("AI-HS", 1), ("AI-Synth", 1)]
    assert text.texts == ["Clear", "Faster", "Good"]


def test_anonymous_answers_are_withheld_while_fewer_than_three_have_answered(
    client, staff, reaction_survey, reaction_questions, participants
):
    for nomination in participants[:2]:
        services.submit(
            nomination=nomination,
            questionnaire=reaction_survey,
            answers=reaction_answers(reaction_questions, text=f"Said by {nomination.full_name}"),
        )
    results = selectors.workshop_results(reaction_survey.workshop).questionnaires[0]
    assert results.withheld and results.submitted == 2
    assert all(q.answered == 0 and not q.texts for q in results.questions)
    client.force_login(staff)
    url = reverse("evaluations:workshop_results", kwargs={"pk": reaction_survey.workshop_id})
    page = client.get(url).content.decode()
    assert "its answers are shown once at least 3 participants have answered" in page
    assert "Said by" not in page
    export = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    assert "Answers withheld" in export and "Said by" not in export


def test_the_results_page_shows_charts_and_figures(client, staff, reaction_survey, reaction_questions, participants):
    for nomination in participants:
        services.submit(
            nomination=nomination, questionnaire=reaction_survey, answers=reaction_answers(reaction_questions)
        )
    client.force_login(staff)
    response = client.get(reverse("evaluations:workshop_results", kwargs={"pk": reaction_survey.workshop_id}))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 3  # rating, single, multiple
    assert "3 submitted out of 3 accepted participants" in content
    assert "response rate 100 %" in content
    assert "More exercises, please." in content


def test_the_results_csv(client, staff, reaction_survey, knowledge_tests, knowledge_questions, participants):
    pre, post = knowledge_tests
    services.submit(nomination=participants[0], questionnaire=pre, answers=knowledge_answers(knowledge_questions, 2))
    services.submit(nomination=participants[0], questionnaire=post, answers=knowledge_answers(knowledge_questions, 4))
    client.force_login(staff)
    url = reverse("evaluations:workshop_results", kwargs={"pk": pre.workshop_id})
    results_csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    assert "Knowledge pre-test,Response rate,,1,33.3" in results_csv
    assert "Knowledge post-test,Knowledge question 1,Answered correctly,1,100.0" in results_csv
    assert "Knowledge post-test,Knowledge question 1,yes (correct),1,100.0" in results_csv
    gain_csv = b"".join(client.get(url, {"format": "csv", "table": "gain"}).streaming_content).decode()
    assert "Achieng Otieno,Kenya,2,4,5,2,40.0,0.667" in gain_csv


def _results_queries(client, workshop) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("evaluations:workshop_results", kwargs={"pk": workshop.pk}))
    assert response.status_code == 200
    return len(queries)


def test_the_results_page_query_count_does_not_grow_with_participants(
    client, staff, reaction_survey, reaction_questions, knowledge_tests, knowledge_questions, participants
):
    pre, post = knowledge_tests
    workshop = pre.workshop

    def answer_all(nominations):
        for index, nomination in enumerate(nominations):
            services.submit(
                nomination=nomination, questionnaire=reaction_survey, answers=reaction_answers(reaction_questions)
            )
            services.submit(
                nomination=nomination, questionnaire=pre, answers=knowledge_answers(knowledge_questions, index % 5)
            )
            services.submit(
                nomination=nomination, questionnaire=post, answers=knowledge_answers(knowledge_questions, 5)
            )

    answer_all(participants[:1])
    client.force_login(staff)
    few = _results_queries(client, workshop)
    more = [NominationFactory(workshop=workshop, status="accepted") for _ in range(15)]
    answer_all(participants[1:] + more)
    many = _results_queries(client, workshop)
    assert many == few
    assert many <= 20
