"""The staff pages, through the test client: the bank, a workshop's questionnaires, the preview."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from tests.workshops.factories import WorkshopFactory
from workshops.evaluations import access, services, views
from workshops.evaluations.models import AnswerReceipt, Question, Questionnaire, Response

from .conftest import knowledge_answers, reaction_answers
from .factories import QuestionFactory, choice_question

pytestmark = pytest.mark.django_db


# --- The bank ------------------------------------------------------------------------------------------
def test_question_list_search_filter_and_csv(client, staff):
    QuestionFactory(text_en="How useful was the workshop?")
    choice_question("Which model ranks declarations?", ["DATE", "AI-HS"], correct=["DATE"], points=1, by=staff)
    QuestionFactory(text_en="Retired question", is_active=False)
    client.force_login(staff)
    url = reverse("evaluations:question_list")

    content = client.get(url, {"q": "ranks"}).content.decode()
    assert "Which model ranks declarations?" in content and "How useful" not in content
    content = client.get(url, {"q": "AI-HS"}).content.decode()  # options are searched too
    assert "Which model ranks declarations?" in content
    content = client.get(url, {"kind": "rating", "active": "yes"}).content.decode()
    assert "How useful was the workshop?" in content and "Retired question" not in content

    export = client.get(url, {"format": "csv", "kind": "single"})
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert len(rows) == 2
    assert "Which model ranks declarations?" in rows[1] and "DATE; AI-HS" in rows[1]
    assert AuditEntry.objects.filter(action="evaluations.questions.exported").exists()


def test_question_list_pages_and_query_count_does_not_grow(client, staff, django_assert_max_num_queries):
    for n in range(5):
        choice_question(f"Question {n}", ["a", "b"], by=staff)
    client.force_login(staff)
    url = reverse("evaluations:question_list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(60):
        choice_question(f"More {n:02d}", ["a", "b", "c"], by=staff)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.context["page"].paginator.num_pages == 2
    assert "More 59" in client.get(url, {"page": 2}).content.decode()


def test_create_a_scored_question_through_the_page(client, staff):
    client.force_login(staff)
    url = reverse("evaluations:question_create")
    data = {
        "text_en": "Which is a gradient-boosting library?",
        "text_fr": "Laquelle est une bibliothèque de gradient boosting ?",
        "kind": "single",
        "points": "2",
        "options_en": "*XGBoost\nk-means\n",
        "options_fr": "XGBoost\nk-moyennes\n",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    question = Question.objects.get()
    assert question.points == 2
    assert [(o.text_en, o.text_fr, o.is_correct) for o in question.options.all()] == [
        ("XGBoost", "XGBoost", True),
        ("k-means", "k-moyennes", False),
    ]


def test_a_bad_question_gets_a_clear_message_and_keeps_what_was_typed(client, staff):
    client.force_login(staff)
    url = reverse("evaluations:question_create")
    response = client.post(
        url, {"text_en": "Pick the odd one", "kind": "single", "points": "1", "options_en": "a\nb", "options_fr": "x"}
    )
    assert response.status_code == 400
    assert "Give as many French options as English ones (2), or none." in response.content.decode()
    response = client.post(url, {"text_en": "Pick the odd one", "kind": "single", "points": "1", "options_en": "a\nb"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "A scored question needs at least one correct option." in content
    assert "Pick the odd one" in content
    assert not Question.objects.exists()


def test_edit_a_question(client, staff):
    question = choice_question("Pace?", ["slow", "fast"], by=staff)
    client.force_login(staff)
    url = reverse("evaluations:question_update", kwargs={"pk": question.pk})
    assert "slow\nfast" in client.get(url).content.decode()
    response = client.post(
        url, {"text_en": "Was the pace right?", "kind": "single", "points": "0", "options_en": "slow\nright\nfast"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text_en == "Was the pace right?"
    assert [o.text_en for o in question.options.all()] == ["slow", "right", "fast"]


# --- A workshop's questionnaires -----------------------------------------------------------------------
def test_build_a_questionnaire_through_the_pages(client, staff, delivered_workshop, reaction_questions):
    client.force_login(staff)
    url = reverse("evaluations:workshop_questionnaires", kwargs={"pk": delivered_workshop.pk})
    assert "No questionnaire yet" in client.get(url).content.decode()

    response = client.post(url, {"kind": "reaction", "questions": [q.pk for q in reaction_questions[:3]]})
    questionnaire = Questionnaire.objects.get()
    assert response.url == reverse("evaluations:questionnaire_detail", kwargs={"pk": questionnaire.pk})
    assert questionnaire.anonymous  # the reaction survey's default

    # Reorder: the third first, drop the second, add the free-text question, make it optional.
    first, second, third, text = reaction_questions
    items_url = reverse("evaluations:questionnaire_items", kwargs={"pk": questionnaire.pk})
    response = client.post(
        items_url,
        {
            f"position_{first.pk}": "2",
            f"required_{first.pk}": "on",
            f"position_{second.pk}": "3",
            f"remove_{second.pk}": "on",
            f"position_{third.pk}": "1",
            f"required_{third.pk}": "on",
            "add": [text.pk],
        },
    )
    assert response.status_code == 302
    assert [(i.question_id, i.required) for i in questionnaire.items.all()] == [
        (third.pk, True),
        (first.pk, True),
        (text.pk, True),
    ]

    settings_url = reverse("evaluations:questionnaire_settings", kwargs={"pk": questionnaire.pk})
    response = client.post(
        settings_url,
        {"opens_at": "2030-05-02T09:00", "closes_at": "2030-05-01T09:00", "follow_up_months": "3"},
    )
    assert response.status_code == 400
    assert "The closing time must come after the opening time." in response.content.decode()

    open_url = reverse("evaluations:questionnaire_open", kwargs={"pk": questionnaire.pk})
    client.post(open_url)
    questionnaire.refresh_from_db()
    assert questionnaire.status == "open"
    detail = client.get(response.wsgi_request.path.replace("settings/", "")).content.decode()
    assert "accepting answers" in detail
    client.post(reverse("evaluations:questionnaire_close", kwargs={"pk": questionnaire.pk}))
    questionnaire.refresh_from_db()
    assert questionnaire.status == "closed"


def test_creating_a_second_survey_of_a_kind_is_refused_with_the_form_kept(client, staff, reaction_survey):
    client.force_login(staff)
    url = reverse("evaluations:workshop_questionnaires", kwargs={"pk": reaction_survey.workshop_id})
    question = QuestionFactory()
    response = client.post(url, {"kind": "reaction", "questions": [question.pk], "follow_up_months": "3"})
    assert response.status_code == 400
    assert "This workshop already has a questionnaire of this kind: Reaction survey." in response.content.decode()


def test_the_post_test_from_the_page_takes_the_pre_tests_questions(
    client, staff, delivered_workshop, knowledge_questions
):
    client.force_login(staff)
    url = reverse("evaluations:workshop_questionnaires", kwargs={"pk": delivered_workshop.pk})
    response = client.post(url, {"kind": "post_test", "follow_up_months": "3"})
    assert "Create the knowledge pre-test first" in response.content.decode()
    client.post(url, {"kind": "pre_test", "questions": [q.pk for q in knowledge_questions], "follow_up_months": "3"})
    client.post(url, {"kind": "post_test", "follow_up_months": "3"})
    post = Questionnaire.objects.get(kind="post_test")
    assert post.items.count() == 5 and not post.anonymous


def test_copy_questionnaires_from_another_workshop(client, staff, reaction_survey):
    target = WorkshopFactory()
    client.force_login(staff)
    page = client.get(reverse("evaluations:workshop_questionnaires", kwargs={"pk": target.pk})).content.decode()
    assert reaction_survey.workshop.title in page  # offered as a source
    response = client.post(
        reverse("evaluations:questionnaires_copy", kwargs={"pk": target.pk}), {"source": reaction_survey.workshop_id}
    )
    assert response.status_code == 302
    copy = Questionnaire.objects.get(workshop=target)
    assert copy.kind == "reaction" and copy.status == "draft" and copy.items.count() == 4


# --- Answering -----------------------------------------------------------------------------------------
def test_the_staff_preview_shows_the_form_and_saves_nothing(
    client, staff, reaction_survey, reaction_questions, participants
):
    client.force_login(staff)
    url = reverse("evaluations:questionnaire_preview", kwargs={"pk": reaction_survey.pk})
    content = client.get(url).content.decode()
    assert "Preview as Achieng Otieno" in content
    assert "How useful was the workshop?" in content and "5 – Very useful" in content

    answers = reaction_answers(reaction_questions)
    answers.pop(str(reaction_questions[0].pk))
    post = {f"q{key}": value for key, value in answers.items()}
    post["submit"] = "1"
    response = client.post(url, post)
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert "Preview: nothing was saved." in [str(m) for m in get_messages(response.wsgi_request)]
    assert not Response.objects.exists() and not AnswerReceipt.objects.exists()

    # As another accepted participant; a nomination that is not one is not found.
    assert "Preview as Brian Kamau" in client.get(url, {"as": participants[1].pk}).content.decode()
    assert client.get(url, {"as": "999999"}).status_code == 404
    assert client.get(url, {"as": str(2**70)}).status_code == 404


def _participant_request(rf, questionnaire, nomination, data=None):
    """The answering view as the personal link will call it (the link itself is wired by the lead)."""
    url = f"/answer/{questionnaire.pk}/"
    request = rf.post(url, data) if data is not None else rf.get(url)
    request.session = {}
    request._messages = FallbackStorage(request)
    return views.answer_page(request, questionnaire, access.Answerer(nomination=nomination, preview=False))


def test_the_answering_view_saves_a_draft_then_submits_and_refuses_a_second_time(
    rf, knowledge_tests, knowledge_questions, participants
):
    pre, _post = knowledge_tests
    achieng = participants[0]
    answers = {f"q{key}": str(value) for key, value in knowledge_answers(knowledge_questions, 2).items()}
    partial = dict(list(answers.items())[:3])

    response = _participant_request(rf, pre, achieng, {**partial, "draft": "1"})
    assert response.status_code == 302
    assert services.find_draft(pre, achieng).answers.keys() == {key[1:] for key in partial}

    response = _participant_request(rf, pre, achieng, {**partial, "submit": "1"})  # incomplete
    assert response.status_code == 400
    assert "your answers were kept as a draft" in response.content.decode()
    page = _participant_request(rf, pre, achieng).content.decode()
    assert "Your saved draft is filled in below." in page

    assert _participant_request(rf, pre, achieng, {**answers, "submit": "1"}).status_code == 302
    assert Response.objects.get(nomination=achieng).score == 2

    response = _participant_request(rf, pre, achieng, {**answers, "submit": "1"})
    assert response.status_code == 409
    assert "You have already answered this questionnaire" in response.content.decode()
    assert AnswerReceipt.objects.filter(nomination=achieng).count() == 1


def test_contact_points_see_none_of_the_evaluation_pages(client, contact_point, reaction_survey):
    client.force_login(contact_point)
    for url in (
        reverse("evaluations:question_list"),
        reverse("evaluations:workshop_questionnaires", kwargs={"pk": reaction_survey.workshop_id}),
        reverse("evaluations:workshop_results", kwargs={"pk": reaction_survey.workshop_id}),
        reverse("evaluations:questionnaire_preview", kwargs={"pk": reaction_survey.pk}),
    ):
        assert client.get(url).status_code == 404, url


def test_the_questionnaires_page_query_count_does_not_grow(client, staff, delivered_workshop, knowledge_questions):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    url = reverse("evaluations:workshop_questionnaires", kwargs={"pk": delivered_workshop.pk})
    services.questionnaire_create(
        workshop=delivered_workshop, kind="pre_test", questions=knowledge_questions[:1], by=staff
    )
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    services.questionnaire_create(workshop=delivered_workshop, kind="reaction", questions=[QuestionFactory()], by=staff)
    services.questionnaire_create(
        workshop=delivered_workshop, kind="follow_up", questions=[QuestionFactory() for _ in range(8)], by=staff
    )
    for _ in range(10):
        QuestionFactory()  # more questions offered in the bank
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_follow_up_delay_is_set_on_the_follow_up_survey_only(client, staff, delivered_workshop, reaction_survey):
    follow_up = services.questionnaire_create(
        workshop=delivered_workshop, kind="follow_up", questions=[QuestionFactory()], by=staff
    )
    client.force_login(staff)
    reaction_page = client.get(reverse("evaluations:questionnaire_detail", kwargs={"pk": reaction_survey.pk}))
    assert "Months after the workshop" not in reaction_page.content.decode()
    url = reverse("evaluations:questionnaire_settings", kwargs={"pk": follow_up.pk})
    assert client.post(url, {"follow_up_months": "6"}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.follow_up_months == 6
    response = client.post(url, {"follow_up_months": "30"})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 24." in response.content.decode()
