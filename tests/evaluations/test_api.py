"""The evaluations' API for staff and contact points (issue 16, part 6): questionnaires built, changed, opened and
closed by the same services as the pages; results in full for staff (the results page's figures) and aggregated
over their own officials for a contact point, withheld below five answers; anyone else is not found."""

import pytest

from bacuda_portal.core.models import AuditEntry
from tests.workshops.factories import NominationFactory, WorkshopFactory
from workshops.evaluations import selectors, services
from workshops.evaluations.group_selectors import MINIMUM_GROUP
from workshops.evaluations.models import Questionnaire

from .conftest import knowledge_answers, open_questionnaire, reaction_answers

pytestmark = pytest.mark.django_db

LIST = "/api/v1/evaluation-questionnaires/"


def _detail(questionnaire) -> str:
    return f"{LIST}{questionnaire.pk}/"


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _options(data) -> list[dict]:
    return [option for item in data["items"] for option in item["options"]]


# --- Reading questionnaires ------------------------------------------------------------------------------------
def test_staff_list_and_read_every_questionnaire_with_its_correct_answers(client_as, staff, knowledge_tests):
    pre, post = knowledge_tests
    client = client_as(staff)
    rows = client.get(LIST).json()["results"]
    assert {row["id"] for row in rows} == {pre.pk, post.pk}
    data = client.get(_detail(pre)).json()
    assert data["kind"] == "pre_test" and data["status"] == "open" and data["anonymous"] is False
    assert [item["position"] for item in data["items"]] == [1, 2, 3, 4, 5]
    assert sum(option["is_correct"] for option in _options(data)) == 5
    assert client.get(LIST, {"kind": "post_test"}).json()["results"][0]["id"] == post.pk


def test_a_contact_point_reads_their_workshops_opened_questionnaires_without_the_correct_answers(
    client_as, contact_point, staff, knowledge_tests, delivered_workshop, reaction_questions
):
    pre, _post_test = knowledge_tests
    being_prepared = services.questionnaire_create(
        workshop=delivered_workshop, kind="reaction", questions=reaction_questions, by=staff
    )
    client = client_as(contact_point)
    ids = {row["id"] for row in client.get(LIST).json()["results"]}
    assert pre.pk in ids and being_prepared.pk not in ids
    data = client.get(_detail(pre)).json()
    assert _options(data) and all("is_correct" not in option for option in _options(data))
    assert client.get(_detail(being_prepared)).status_code == 404


def test_another_administrations_contact_point_and_anonymous_visitors_see_nothing(
    client_as, other_contact_point, knowledge_tests
):
    pre, _post_test = knowledge_tests
    client = client_as(other_contact_point)
    assert client.get(LIST).json()["results"] == []
    assert client.get(_detail(pre)).status_code == 404
    assert client.get(f"{_detail(pre)}results/").status_code == 404
    anonymous = client_as(None)
    for url in (LIST, _detail(pre), f"{_detail(pre)}results/"):
        assert anonymous.get(url).status_code == 401


# --- Writing questionnaires ------------------------------------------------------------------------------------
def test_staff_create_change_open_and_close_a_questionnaire(
    client_as, staff, delivered_workshop, knowledge_questions, reaction_questions
):
    client = client_as(staff)
    body = {"workshop": delivered_workshop.pk, "kind": "pre_test", "questions": [q.pk for q in knowledge_questions]}
    response = _post(client, LIST, body)
    assert response.status_code == 201, response.json()
    pre = Questionnaire.objects.get(pk=response.json()["id"])
    assert response.json()["status"] == "draft" and len(response.json()["items"]) == 5
    assert AuditEntry.objects.filter(action="evaluations.questionnaire.created", target_id=str(pre.pk)).exists()
    # The service's refusals come back with their reasons.
    again = _post(client, LIST, body)
    assert again.status_code == 400 and "kind" in again.json()
    unknown = _post(client, LIST, {**body, "kind": "reaction", "questions": [knowledge_questions[0].pk, 999999]})
    assert unknown.status_code == 400 and "999999" in unknown.json()["questions"][0]
    too_many = _post(client, LIST, {**body, "kind": "reaction", "questions": list(range(1, 300))})
    assert too_many.status_code == 400 and "questions" in too_many.json()
    unscored = _post(client, LIST, {**body, "kind": "post_test", "anonymous": True})
    assert unscored.status_code == 400 and "anonymous" in unscored.json()
    # The post-test asks the pre-test's questions, whatever is sent.
    post = _post(client, LIST, {"workshop": delivered_workshop.pk, "kind": "post_test"}).json()
    assert [item["question"] for item in post["items"]] == [q.pk for q in knowledge_questions]
    # Changing the dates keeps what is left out.
    response = client.patch(_detail(pre), {"closes_at": "2031-01-31T17:00:00Z"}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["closes_at"].startswith("2031-01-31") and response.json()["follow_up_months"] == 3
    bad = client.patch(_detail(pre), {"opens_at": "2031-02-01T09:00:00Z"}, content_type="application/json")
    assert bad.status_code == 400 and "closes_at" in bad.json()
    assert _post(client, f"{_detail(pre)}open/").json()["status"] == "open"
    refused = _post(client, f"{_detail(pre)}open/")
    assert refused.status_code == 409 and refused.json()["detail"] == "This questionnaire is already open."
    assert _post(client, f"{_detail(pre)}close/").json()["status"] == "closed"


def test_staff_choose_the_questions_until_someone_answers(
    client_as, staff, delivered_workshop, reaction_questions, participants
):
    survey = services.questionnaire_create(
        workshop=delivered_workshop, kind="reaction", questions=reaction_questions[:2], by=staff
    )
    client = client_as(staff)
    items = [{"question": q.pk, "required": q.kind != "text"} for q in reversed(reaction_questions)]
    response = _post(client, f"{_detail(survey)}questions/", {"items": items})
    assert response.status_code == 200, response.json()
    assert [item["question"] for item in response.json()["items"]] == [q.pk for q in reversed(reaction_questions)]
    assert response.json()["items"][0]["required"] is False
    services.questionnaire_open(questionnaire=survey, by=staff)
    services.save_draft(nomination=participants[0], questionnaire=survey, answers={})
    refused = _post(client, f"{_detail(survey)}questions/", {"items": items[:1]})
    assert refused.status_code == 409 and "started answering" in refused.json()["detail"]


def test_only_staff_write(
    client_as, contact_point, other_contact_point, delivered_workshop, knowledge_questions, staff
):
    pre = services.questionnaire_create(
        workshop=delivered_workshop, kind="pre_test", questions=knowledge_questions, by=staff
    )
    body = {"workshop": delivered_workshop.pk, "kind": "reaction", "questions": [knowledge_questions[0].pk]}
    for user in (contact_point, other_contact_point):
        client = client_as(user)
        assert _post(client, LIST, body).status_code == 404
        assert client.patch(_detail(pre), {"follow_up_months": 6}, content_type="application/json").status_code == 404
        for step in ("open", "close", "questions"):
            assert _post(client, f"{_detail(pre)}{step}/").status_code == 404
    assert _post(client_as(None), LIST, body).status_code == 401
    pre.refresh_from_db()
    assert pre.status == "draft" and pre.follow_up_months == 3
    assert not Questionnaire.objects.filter(kind="reaction").exists()


# --- Results -------------------------------------------------------------------------------------------------
def test_staff_results_are_the_results_pages_figures(
    client_as, staff, reaction_survey, reaction_questions, knowledge_tests, knowledge_questions, participants
):
    pre, post = knowledge_tests
    for index, person in enumerate(participants):
        answers = reaction_answers(reaction_questions, rating=3 + index, text=f"Comment {index}")
        services.submit(nomination=person, questionnaire=reaction_survey, answers=answers)
        services.submit(nomination=person, questionnaire=pre, answers=knowledge_answers(knowledge_questions, 1))
        services.submit(
            nomination=person, questionnaire=post, answers=knowledge_answers(knowledge_questions, 2 + index)
        )
    client = client_as(staff)
    page = selectors.workshop_results(reaction_survey.workshop)
    reaction = client.get(f"{_detail(reaction_survey)}results/").json()
    assert reaction["submitted"] == 3 and reaction["accepted"] == 3 and reaction["response_rate"] == 100.0
    rating = reaction["questions"][0]
    assert rating["average"] == pytest.approx(4.0) == page.questionnaires[0].questions[0].average
    assert [bucket["count"] for bucket in rating["buckets"]] == [0, 0, 1, 1, 1]
    assert reaction["questions"][3]["texts"] == ["Comment 0", "Comment 1", "Comment 2"]
    assert reaction["knowledge_gain"] is None
    gain = client.get(f"{_detail(post)}results/").json()["knowledge_gain"]
    assert gain["average_gain"] == pytest.approx(2.0) == page.knowledge_gain.average_gain
    assert gain["positive_share"] == 100.0 and gain["paired"] == 3
    assert [(row["full_name"], row["pre"], row["post"]) for row in gain["participants"]] == [
        ("Achieng Otieno", 1, 2),
        ("Brian Kamau", 1, 3),
        ("Chebet Rono", 1, 4),
    ]
    buckets = client.get(f"{_detail(pre)}results/").json()["questions"][0]["buckets"]
    assert [bucket["correct"] for bucket in buckets] == [True, False, False]


@pytest.fixture
def shared_workshop(kenya, senegal, staff, knowledge_questions, reaction_questions):
    """A workshop for Kenya and Senegal: six Kenyan and two Senegalese participants answered both knowledge tests
    (Kenyans 1 then 3 right answers, Senegalese 5 then 5) and the anonymous reaction survey."""
    workshop = WorkshopFactory(status="delivered", beneficiaries=[(kenya, 8), (senegal, 8)])
    pre = open_questionnaire(workshop, "pre_test", knowledge_questions, staff)
    post = open_questionnaire(workshop, "post_test", [], staff)
    survey = open_questionnaire(workshop, "reaction", reaction_questions, staff)
    people = [(kenya, 1, 3)] * (MINIMUM_GROUP + 1) + [(senegal, 5, 5)] * 2
    for administration, before, after in people:
        person = NominationFactory(workshop=workshop, administration=administration, status="accepted")
        services.submit(nomination=person, questionnaire=pre, answers=knowledge_answers(knowledge_questions, before))
        services.submit(nomination=person, questionnaire=post, answers=knowledge_answers(knowledge_questions, after))
        services.submit(nomination=person, questionnaire=survey, answers=reaction_answers(reaction_questions))
    return {"pre": pre, "post": post, "survey": survey}


def test_a_contact_point_reads_their_own_officials_results_aggregated(client_as, contact_point, shared_workshop):
    client = client_as(contact_point)
    data = client.get(f"{_detail(shared_workshop['post'])}results/").json()
    assert data["administration"] == "KEN" and data["minimum_group"] == MINIMUM_GROUP
    assert data["accepted"] == data["submitted"] == MINIMUM_GROUP + 1 and data["withheld"] == ""
    first = data["questions"][0]
    assert first["answered"] == MINIMUM_GROUP + 1 and first["correct_share"] == 100.0  # Senegal's are not counted
    assert "texts" not in first and all("correct" not in bucket for bucket in first["buckets"])
    gain = data["knowledge_gain"]
    assert gain["average_pre"] == 1 and gain["average_post"] == 3 and gain["paired"] == MINIMUM_GROUP + 1
    assert "participants" not in gain


def test_a_contact_points_results_are_withheld_below_the_minimum_group_and_for_anonymous_answers(
    client_as, other_contact_point, contact_point, shared_workshop
):
    senegal = client_as(other_contact_point).get(f"{_detail(shared_workshop['post'])}results/").json()
    assert senegal["administration"] == "SEN" and senegal["submitted"] == 2
    assert senegal["questions"] == [] and senegal["knowledge_gain"] is None
    assert senegal["withheld"].startswith(f"Fewer than {MINIMUM_GROUP} of your officials have answered")
    anonymous = client_as(contact_point).get(f"{_detail(shared_workshop['survey'])}results/").json()
    assert anonymous["submitted"] == MINIMUM_GROUP + 1 and anonymous["questions"] == []
    assert "anonymous" in anonymous["withheld"]


def test_results_read_in_a_fixed_number_of_queries(
    client_as, contact_point, shared_workshop, django_assert_max_num_queries
):
    client = client_as(contact_point)
    with django_assert_max_num_queries(20):
        assert client.get(f"{_detail(shared_workshop['post'])}results/").status_code == 200


def test_the_questionnaire_list_query_count_does_not_grow(
    client_as, staff, knowledge_questions, reaction_questions, django_assert_max_num_queries
):
    for _ in range(6):
        workshop = WorkshopFactory()
        open_questionnaire(workshop, "pre_test", knowledge_questions, staff)
        open_questionnaire(workshop, "reaction", reaction_questions, staff)
    client = client_as(staff)
    with django_assert_max_num_queries(12):
        assert len(client.get(LIST).json()["results"]) == 12
