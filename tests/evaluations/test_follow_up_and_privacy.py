"""The follow-up survey scheduled when a workshop is delivered (idempotently), and the erasure of named answers."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from bacuda_portal.core import privacy
from bacuda_portal.core.models import AuditEntry
from tests.workshops.factories import NominationFactory, WorkshopFactory
from workshops import services as workshop_services
from workshops.evaluations import services
from workshops.evaluations.models import AnswerReceipt, Questionnaire, Response

from .conftest import knowledge_answers, open_questionnaire
from .factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed_workshop(kenya):
    return WorkshopFactory(
        status="confirmed",
        start_date=dt.date(2025, 11, 24),
        end_date=dt.date(2025, 11, 28),
        time_zone="Africa/Nairobi",
    )


@pytest.fixture
def application_question():
    return QuestionFactory(text_en="I apply what I learnt at work", measures_application=True)


def _follow_ups(workshop):
    return Questionnaire.objects.filter(workshop=workshop, kind="follow_up")


def test_delivery_creates_the_follow_up_from_the_default_template_three_months_later(
    confirmed_workshop, application_question, staff
):
    QuestionFactory(text_en="Retired application question", measures_application=True, is_active=False)
    QuestionFactory(text_en="A rating that is not about application")
    workshop_services.workshop_deliver(workshop=confirmed_workshop, by=staff, today=dt.date(2025, 11, 28))
    follow_up = _follow_ups(confirmed_workshop).get()
    assert follow_up.status == "open" and not follow_up.anonymous
    assert follow_up.opens_at == dt.datetime(2026, 2, 28, tzinfo=zoneinfo.ZoneInfo("Africa/Nairobi"))
    assert [item.question for item in follow_up.items.all()] == [application_question]
    assert AuditEntry.objects.filter(action="evaluations.follow_up.scheduled").count() == 1
    # Idempotent: closing the workshop (which schedules too) and a second call change nothing.
    workshop_services.workshop_close(workshop=confirmed_workshop, by=staff)
    services.follow_up_schedule(workshop=confirmed_workshop, by=staff)
    assert _follow_ups(confirmed_workshop).count() == 1
    assert _follow_ups(confirmed_workshop).get().opens_at == follow_up.opens_at
    assert AuditEntry.objects.filter(action="evaluations.follow_up.scheduled").count() == 1


def test_the_follow_up_staff_prepared_is_sent_after_its_own_number_of_months(confirmed_workshop, staff):
    chosen = QuestionFactory(text_en="How do you use what you learnt?", kind="text", low_label_en="", high_label_en="")
    QuestionFactory(text_en="Default application question", measures_application=True)
    prepared = services.questionnaire_create(
        workshop=confirmed_workshop, kind="follow_up", questions=[chosen], by=staff, follow_up_months=6
    )
    workshop_services.workshop_deliver(workshop=confirmed_workshop, by=staff, today=dt.date(2025, 11, 28))
    prepared.refresh_from_db()
    assert _follow_ups(confirmed_workshop).count() == 1
    assert prepared.status == "open"
    assert timezone.localtime(prepared.opens_at, zoneinfo.ZoneInfo("Africa/Nairobi")).date() == dt.date(2026, 5, 28)
    assert [item.question for item in prepared.items.all()] == [chosen]


def test_month_ends_are_kept_in_shorter_months(staff, application_question, kenya):
    workshop = WorkshopFactory(status="confirmed", start_date=dt.date(2025, 11, 27), end_date=dt.date(2025, 11, 30))
    services.questionnaire_create(
        workshop=workshop, kind="follow_up", questions=[application_question], by=staff, follow_up_months=3
    )
    workshop_services.workshop_deliver(workshop=workshop, by=staff, today=dt.date(2025, 11, 30))
    opens_at = _follow_ups(workshop).get().opens_at
    assert timezone.localtime(opens_at, zoneinfo.ZoneInfo(workshop.time_zone)).date() == dt.date(2026, 2, 28)


def test_a_follow_up_staff_opened_or_dated_themselves_is_left_alone(confirmed_workshop, application_question, staff):
    opens = timezone.now() + dt.timedelta(days=10)
    follow_up = services.questionnaire_create(
        workshop=confirmed_workshop, kind="follow_up", questions=[application_question], by=staff, opens_at=opens
    )
    workshop_services.workshop_deliver(workshop=confirmed_workshop, by=staff, today=dt.date(2025, 11, 28))
    follow_up.refresh_from_db()
    assert follow_up.opens_at == opens and follow_up.status == "draft"


def test_without_a_template_no_follow_up_is_made(confirmed_workshop, staff):
    QuestionFactory(text_en="Not about application")
    workshop_services.workshop_deliver(workshop=confirmed_workshop, by=staff, today=dt.date(2025, 11, 28))
    assert not _follow_ups(confirmed_workshop).exists()


# --- Erasure of named answers -------------------------------------------------------------------------------------
def test_erasure_makes_a_named_answer_anonymous_and_drops_its_free_text(
    delivered_workshop, participants, knowledge_tests, knowledge_questions, staff
):
    person = participants[0]
    rating = QuestionFactory(text_en="Rate the workshop")
    comment = QuestionFactory(text_en="Comments", kind="text", low_label_en="", high_label_en="")
    survey = open_questionnaire(delivered_workshop, "reaction", [rating, comment], staff, anonymous=False)
    services.submit(
        nomination=person,
        questionnaire=survey,
        answers={str(rating.pk): 4, str(comment.pk): "I am Achieng from the risk unit"},
    )
    pre, post = knowledge_tests
    services.submit(nomination=person, questionnaire=pre, answers=knowledge_answers(knowledge_questions, 2))
    services.save_draft(nomination=person, questionnaire=post, answers=knowledge_answers(knowledge_questions, 4))
    other = participants[1]
    services.submit(nomination=other, questionnaire=pre, answers=knowledge_answers(knowledge_questions, 3))

    category = privacy.get("evaluations.named_answers")
    subject = privacy.DataSubject(user_id=None, emails=frozenset({person.email.upper().lower()}))
    rows = list(category.of_subject(subject))
    assert len(rows) == 3 and category.export(rows[0])["workshop"] == delivered_workshop.title
    removed = set()
    for row in rows:
        removed |= category.erase(row, now=timezone.now(), on_request=True) or set()

    assert removed == {"I am Achieng from the risk unit"}
    assert not Response.objects.filter(nomination=person).exists()
    assert not Response.objects.filter(questionnaire=post).exists()  # the draft is deleted
    kept = Response.objects.get(questionnaire=survey)
    assert kept.answers == {str(rating.pk): 4} and kept.nomination_id is None
    assert Response.objects.filter(questionnaire=pre, nomination__isnull=True, score=2).exists()
    assert Response.objects.filter(questionnaire=pre, nomination=other).exists()  # others untouched
    assert AnswerReceipt.objects.filter(nomination=person).count() == 2
    assert not list(category.of_subject(subject))
    assert category.erase(kept, now=timezone.now(), on_request=True) is None  # a second run does nothing


def test_named_answers_are_due_after_the_participants_retention_period(staff, settings, kenya):
    settings.BACUDA_RETENTION_PARTICIPANT_YEARS = 5
    old = WorkshopFactory(status="closed", start_date=dt.date(2015, 3, 2), end_date=dt.date(2015, 3, 6))
    recent = WorkshopFactory(status="closed", start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 7))
    rating = QuestionFactory()
    for workshop in (old, recent):
        person = NominationFactory(workshop=workshop, status="accepted")
        survey = open_questionnaire(workshop, "reaction", [rating], staff, anonymous=False)
        services.submit(nomination=person, questionnaire=survey, answers={str(rating.pk): 3})
    due = privacy.get("evaluations.named_answers").due(timezone.now())
    assert [response.questionnaire.workshop for response in due] == [old]


# --- The application question ------------------------------------------------------------------------------------
def test_staff_mark_a_rating_question_as_measuring_the_application(client, staff):
    from django.urls import reverse

    from workshops.evaluations.models import Question

    client.force_login(staff)
    url = reverse("evaluations:question_create")
    data = {"text_en": "I use what I learnt", "kind": "text", "points": "0", "measures_application": "on"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Only a rating question can measure whether the learning is applied." in response.content.decode()
    assert "I use what I learnt" in response.content.decode() and not Question.objects.exists()
    assert client.post(url, {**data, "kind": "rating", "is_active": "on"}).status_code == 302
    question = Question.objects.get()
    assert question.measures_application and question.kind == "rating"
    assert services.default_follow_up_questions() == [question]
