"""Participants answer their workshop's questionnaires through their personal link (issue 16, parts 1 and 2): the
page lists what is open to them, a half-filled questionnaire is kept as a draft, a second answer is refused
politely, and a revoked link or another workshop's questionnaire opens nothing."""

import pytest

from tests.workshops.factories import WorkshopFactory
from workshops.evaluations import services
from workshops.evaluations.models import AnswerReceipt, Response
from workshops.services import participants as workshop_services

from .conftest import knowledge_answers, open_questionnaire, reaction_answers

pytestmark = pytest.mark.django_db


def answer_url(token, questionnaire, language="en"):
    return f"/{language}/participant/{token}/questionnaires/{questionnaire.pk}/"


@pytest.fixture
def achieng_token(participants, staff):
    url = workshop_services.participant_link_new(nomination=participants[0], by=staff)
    return url.rstrip("/").rsplit("/", 1)[-1]


def form_data(answers: dict, **button) -> dict:
    return {f"q{key}": value for key, value in answers.items()} | button


def test_the_participant_page_lists_the_open_questionnaires_and_what_was_answered(
    client, achieng_token, participants, knowledge_tests, knowledge_questions, staff, delivered_workshop
):
    pre, post = knowledge_tests
    services.questionnaire_close(questionnaire=post, by=staff)
    page = client.get(f"/en/participant/{achieng_token}/").content.decode()
    assert "Questionnaires" in page
    assert answer_url(achieng_token, pre) in page  # open: a link
    assert answer_url(achieng_token, post) not in page and "Closed" in page
    services.submit(nomination=participants[0], questionnaire=pre, answers=knowledge_answers(knowledge_questions, 3))
    page = client.get(f"/en/participant/{achieng_token}/").content.decode()
    assert answer_url(achieng_token, pre) not in page and "Answered: thank you" in page


def test_a_questionnaire_being_prepared_is_neither_listed_nor_opened(
    client, achieng_token, delivered_workshop, reaction_questions, staff
):
    draft = services.questionnaire_create(
        workshop=delivered_workshop, kind="reaction", questions=reaction_questions, by=staff
    )
    assert "Questionnaires" not in client.get(f"/en/participant/{achieng_token}/").content.decode()
    assert client.get(answer_url(achieng_token, draft)).status_code == 404


def test_draft_then_submit_through_the_link_and_a_second_answer_is_refused_politely(
    client, achieng_token, participants, reaction_survey, reaction_questions
):
    url = answer_url(achieng_token, reaction_survey)
    page = client.get(url)
    assert page.status_code == 200 and "Your answers are anonymous" in page.content.decode()
    assert f"/en/participant/{achieng_token}/" in page.content.decode()  # the way back to their page
    answers = reaction_answers(reaction_questions)
    first_two = dict(list(answers.items())[:2])

    assert client.post(url, form_data(first_two, draft="1")).status_code == 302
    refused = client.post(url, form_data(first_two, submit="1"))  # incomplete: kept as a draft
    assert refused.status_code == 400 and "your answers were kept as a draft" in refused.content.decode()
    assert "Your saved draft is filled in below." in client.get(url).content.decode()

    assert client.post(url, form_data(answers, submit="1")).status_code == 302
    assert AnswerReceipt.objects.filter(nomination=participants[0], questionnaire=reaction_survey).count() == 1
    (response,) = Response.objects.filter(questionnaire=reaction_survey, status="submitted")
    assert response.nomination_id is None  # anonymous: the answers name nobody

    again = client.post(url, form_data(answers, submit="1"))
    assert again.status_code == 409
    assert "You have already answered this questionnaire" in again.content.decode()
    assert Response.objects.filter(questionnaire=reaction_survey).count() == 1


def test_a_knowledge_test_through_the_link_is_scored_and_named(
    client, achieng_token, participants, knowledge_tests, knowledge_questions
):
    pre, _post = knowledge_tests
    response = client.post(
        answer_url(achieng_token, pre), form_data(knowledge_answers(knowledge_questions, 4), submit="1")
    )
    assert response.status_code == 302
    assert Response.objects.get(questionnaire=pre, nomination=participants[0]).score == 4


def test_a_closed_questionnaire_says_so_and_takes_no_answer(
    client, achieng_token, reaction_survey, reaction_questions, staff
):
    services.questionnaire_close(questionnaire=reaction_survey, by=staff)
    url = answer_url(achieng_token, reaction_survey)
    assert "This questionnaire is closed" in client.get(url).content.decode()
    response = client.post(url, form_data(reaction_answers(reaction_questions), submit="1"))
    assert response.status_code == 409
    assert not Response.objects.exists()


def test_a_revoked_or_unknown_link_opens_no_questionnaire(
    client, achieng_token, participants, reaction_survey, reaction_questions, staff
):
    assert client.get(answer_url("not-a-real-token-at-all-0000", reaction_survey)).status_code == 404
    workshop_services.participant_links_revoke(nomination=participants[0], by=staff)
    url = answer_url(achieng_token, reaction_survey)
    assert client.get(url).status_code == 410
    assert client.post(url, form_data(reaction_answers(reaction_questions), submit="1")).status_code == 410
    assert not Response.objects.exists() and not AnswerReceipt.objects.exists()


def test_another_workshops_questionnaire_is_not_found_through_the_link(
    client, achieng_token, reaction_questions, staff
):
    elsewhere = WorkshopFactory(title="Another workshop", status="delivered")
    other_survey = open_questionnaire(elsewhere, "reaction", reaction_questions, staff)
    assert client.get(answer_url(achieng_token, other_survey)).status_code == 404


def test_the_answering_page_in_french(client, achieng_token, reaction_survey):
    page = client.get(answer_url(achieng_token, reaction_survey, "fr")).content.decode()
    assert 'lang="fr"' in page and "Retour à la page de votre atelier" in page
