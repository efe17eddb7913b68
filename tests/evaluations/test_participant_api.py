"""Participants answer through the API with their personal link's token (issue 16, part 6), under the pages' rules:
a draft keeps what is valid, a second answer is refused politely (409), an expired or revoked link says so (410),
an unknown one is not found (404), and another workshop's questionnaire opens nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.workshops.factories import NominationFactory, WorkshopFactory
from workshops.evaluations import services
from workshops.evaluations.models import AnswerReceipt, Response
from workshops.models import ParticipantLink
from workshops.services import participants as workshop_services

from .conftest import knowledge_answers, open_questionnaire, reaction_answers

pytestmark = pytest.mark.django_db


def _token(nomination, by=None) -> str:
    return workshop_services.participant_link_new(nomination=nomination, by=by).rstrip("/").rsplit("/", 1)[-1]


def _url(token, questionnaire=None, step="") -> str:
    url = f"/api/v1/participant/{token}/questionnaires/"
    if questionnaire is not None:
        url += f"{questionnaire.pk}/"
    return url + (f"{step}/" if step else "")


def _post(client, url, answers):
    return client.post(url, {"answers": answers}, content_type="application/json")


@pytest.fixture
def token(participants, staff):
    return _token(participants[0], staff)


def test_the_participant_lists_their_questionnaires_and_reads_one_without_the_correct_answers(
    client, token, knowledge_tests, reaction_survey, staff, delivered_workshop, knowledge_questions
):
    pre, post = knowledge_tests
    services.questionnaire_close(questionnaire=post, by=staff)
    rows = {row["id"]: row for row in client.get(_url(token)).json()}
    assert rows[pre.pk]["state"] == "open" and rows[post.pk]["state"] == "closed"
    assert rows[reaction_survey.pk]["anonymous"] is True and rows[pre.pk]["title"] == "Knowledge pre-test"
    data = client.get(_url(token, pre)).json()
    assert data["refusal"] == "" and data["draft"] is None
    assert [item["question"] for item in data["questions"]] == [q.pk for q in knowledge_questions]
    assert all(set(option) == {"id", "text_en", "text_fr"} for q in data["questions"] for option in q["options"])
    closed = client.get(_url(token, post)).json()
    assert closed["refusal"] == "This questionnaire is closed: answers are no longer accepted."


def test_draft_then_submit_and_a_second_answer_is_refused_politely(
    client, token, participants, reaction_survey, reaction_questions
):
    answers = reaction_answers(reaction_questions)
    rating = str(reaction_questions[0].pk)
    response = _post(client, _url(token, reaction_survey, "draft"), {rating: 5})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "draft" and response.json()["answers"] == {rating: 5}
    assert client.get(_url(token, reaction_survey)).json()["draft"] == {rating: 5}
    # An invalid answer: refused, nothing lost; a missing one on submission: refused, the rest kept as a draft.
    refused = _post(client, _url(token, reaction_survey, "draft"), {rating: 9})
    assert refused.status_code == 400 and refused.json()[f"q{rating}"] == ["Choose a rating from 1 to 5."]
    incomplete = {key: value for key, value in answers.items() if key != rating}
    refused = _post(client, _url(token, reaction_survey, "submit"), incomplete)
    assert refused.status_code == 400 and refused.json()[f"q{rating}"] == ["Please answer this question."]
    assert "kept as a draft" in refused.json()["detail"]
    assert set(client.get(_url(token, reaction_survey)).json()["draft"]) == set(incomplete)
    response = _post(client, _url(token, reaction_survey, "submit"), answers)
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert AnswerReceipt.objects.filter(nomination=participants[0], questionnaire=reaction_survey).exists()
    assert Response.objects.get(questionnaire=reaction_survey).nomination is None  # anonymous
    again = _post(client, _url(token, reaction_survey, "submit"), answers)
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "You have already answered this questionnaire: your answers were recorded. Thank you!"
    )
    assert _post(client, _url(token, reaction_survey, "draft"), answers).status_code == 409
    assert client.get(_url(token)).json()[0]["state"] == "answered"
    assert Response.objects.filter(questionnaire=reaction_survey).count() == 1


def test_a_knowledge_test_is_scored_on_submission(client, token, participants, knowledge_tests, knowledge_questions):
    pre, _post_test = knowledge_tests
    response = _post(client, _url(token, pre, "submit"), knowledge_answers(knowledge_questions, 3))
    assert response.status_code == 200
    assert Response.objects.get(questionnaire=pre, nomination=participants[0]).score == 3


def test_revoked_expired_and_unknown_links_say_so(client, staff, participants, reaction_survey, reaction_questions):
    revoked, expired = _token(participants[1], staff), _token(participants[2], staff)
    workshop_services.participant_links_revoke(nomination=participants[1], by=staff)
    ParticipantLink.objects.filter(nomination=participants[2]).update(expires_at=timezone.now() - dt.timedelta(days=1))
    answers = reaction_answers(reaction_questions)
    for token, status, state in (
        (revoked, 410, "revoked"),
        (expired, 410, "expired"),
        ("no-such-token", 404, "unknown"),
    ):
        for response in (
            client.get(_url(token)),
            client.get(_url(token, reaction_survey)),
            _post(client, _url(token, reaction_survey, "draft"), answers),
            _post(client, _url(token, reaction_survey, "submit"), answers),
        ):
            assert response.status_code == status, (state, response.content)
            assert response.json()["state"] == state and response.json()["detail"]
    assert client.get(_url(revoked)).json()["detail"] == "This link has been revoked"
    assert not Response.objects.exists() and not AnswerReceipt.objects.exists()


def test_another_workshops_questionnaire_and_one_being_prepared_open_nothing(
    client, token, staff, knowledge_questions, reaction_questions, delivered_workshop
):
    elsewhere = WorkshopFactory(status="delivered")
    foreign = open_questionnaire(elsewhere, "pre_test", knowledge_questions, staff)
    stranger = _token(NominationFactory(workshop=elsewhere, status="accepted"), staff)
    being_prepared = services.questionnaire_create(
        workshop=delivered_workshop, kind="reaction", questions=reaction_questions, by=staff
    )
    answers = knowledge_answers(knowledge_questions, 5)
    for questionnaire in (foreign, being_prepared):
        assert client.get(_url(token, questionnaire)).status_code == 404
        assert _post(client, _url(token, questionnaire, "submit"), answers).status_code == 404
    assert [row["id"] for row in client.get(_url(stranger)).json()] == [foreign.pk]
    assert client.get(f"{_url(token)}abc/").status_code == 404
    assert client.get(f"{_url(token)}99999999999999999999/").status_code == 404
    assert not Response.objects.exists()


def test_a_signed_in_user_gains_nothing_without_the_token(client_as, staff, contact_point, reaction_survey):
    for user in (staff, contact_point, None):
        assert client_as(user).get(_url("not-a-token", reaction_survey)).status_code == 404


def test_the_answers_must_be_an_object(client, token, reaction_survey):
    for body in ({"answers": [1, 2]}, {"answers": "yes"}, {}):
        response = client.post(_url(token, reaction_survey, "draft"), body, content_type="application/json")
        assert response.status_code == 400 and "answers" in response.json()
