"""The periodic reminders are idempotent sweeps; the daily digest groups a staff member's events and goes once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from bacuda_portal.notifications import services
from bacuda_portal.notifications.enums import Kind, Status
from bacuda_portal.notifications.models import Notification
from scholarships import services as scholarship_services
from scholarships.models import ReviewPhase
from tests.evaluations.factories import QuestionFactory
from tests.scholarships.factories import CallFactory, EligibleApplicationFactory, ReviewerFactory
from tests.workshops.factories import NominationFactory, WorkshopFactory
from workshops.evaluations import services as evaluation_services
from workshops.evaluations.models import AnswerReceipt
from workshops.models import ParticipantLink

from .conftest import by_email, rows


def _request(contact_point, kenya, topic):
    from workshops import services as workshop_services

    workshop_services.request_submit(
        administration=kenya, by=contact_point, topic=topic, preferred_start=dt.date(2026, 9, 1),
        preferred_end=dt.date(2026, 9, 2), language="en", expected_participants=10, justification="x",
    )  # fmt: skip


def test_a_call_closing_soon_is_announced_once_to_every_contact_point(contact_point, other_contact_point):
    now = timezone.now()
    soon = CallFactory(closes_at=now + dt.timedelta(days=5))
    CallFactory(closes_at=now + dt.timedelta(days=20))  # not yet
    CallFactory(closes_at=now + dt.timedelta(days=3), is_published=False)  # never announced
    first = services.reminders_run(now=now)
    second = services.reminders_run(now=now + dt.timedelta(hours=1))
    assert first["call_closing"] == 2 and second["call_closing"] == 0
    logged = rows(Kind.CALL_CLOSING)
    assert {row.email for row in logged} == {"cp.kenya@example.org", "cp.senegal@example.org"}
    assert all(row.about_key == f"scholarships.call:{soon.pk}" and row.occasion == "closing" for row in logged)


def test_reviews_due_remind_each_reviewer_once_with_their_open_count(staff):
    now = timezone.now()
    call = CallFactory(reviews_per_application=1)
    ReviewPhase.objects.create(call=call, name="Phase 1", opens_at=now - dt.timedelta(days=5),
                               closes_at=now + dt.timedelta(days=2))  # fmt: skip
    reviewer = ReviewerFactory(calls=[call], user__email="rev@example.org")
    for _ in range(3):
        scholarship_services.review_assign(
            application=EligibleApplicationFactory(call=call), reviewer=reviewer, by=staff
        )
    assert services.reminders_run(now=now)["reviews_due"] == 1
    assert services.reminders_run(now=now)["reviews_due"] == 0
    (row,) = rows(Kind.REVIEWS_DUE)
    assert row.email == "rev@example.org" and "3 review(s)" in row.text


def test_an_open_offer_is_reminded_before_its_reply_by_date(staff, applicant):
    call = CallFactory()
    application = EligibleApplicationFactory(call=call, applicant=applicant)
    scholarship_services.decision_record(application=application, outcome="selected", by=staff)
    scholarship_services.decisions_release(call=call, by=staff)
    application.refresh_from_db()
    reply_by = application.decision.reply_by
    assert services.reminders_run(now=reply_by - dt.timedelta(days=5))["offer_reply_due"] == 0  # too early
    assert services.reminders_run(now=reply_by - dt.timedelta(days=2))["offer_reply_due"] == 1
    assert services.reminders_run(now=reply_by - dt.timedelta(days=1))["offer_reply_due"] == 0
    assert [row.email for row in rows(Kind.OFFER_REPLY_DUE)] == ["applicant@example.org"]


@pytest.fixture
def open_questionnaire(staff):
    """A delivered workshop with two accepted participants (one reads French) and an open reaction survey that
    closes in a day."""
    workshop = WorkshopFactory(status="delivered", title="DATE in practice")
    NominationFactory(workshop=workshop, status="accepted", email="ana@example.org", language="en")
    NominationFactory(workshop=workshop, status="accepted", email="binta@example.org", language="fr")
    NominationFactory(workshop=workshop, status="declined", email="declined@example.org")
    questionnaire = evaluation_services.questionnaire_create(
        workshop=workshop, kind="reaction", by=staff, questions=[QuestionFactory()],
        closes_at=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    evaluation_services.questionnaire_open(questionnaire=questionnaire, by=staff)
    return questionnaire


def test_participants_get_the_open_questionnaire_once_with_a_personal_link(open_questionnaire):
    services.reminders_run()
    services.reminders_run()
    opened = by_email(Kind.QUESTIONNAIRE_OPEN)
    assert set(opened) == {"ana@example.org", "binta@example.org"}
    assert opened["binta@example.org"].language == "fr" and "/fr/participant/" in opened["binta@example.org"].text
    assert "/en/participant/" in opened["ana@example.org"].about_url
    # one link per message sent (open and closing), none for the second run
    assert ParticipantLink.objects.count() == 4


def test_the_closing_reminder_skips_who_has_answered(open_questionnaire):
    ana = open_questionnaire.workshop.nominations.get(email="ana@example.org")
    AnswerReceipt.objects.create(questionnaire=open_questionnaire, nomination=ana)
    services.reminders_run()
    services.reminders_run()
    assert set(by_email(Kind.QUESTIONNAIRE_CLOSING)) == {"binta@example.org"}


def test_a_questionnaire_not_yet_open_is_not_announced(staff):
    workshop = WorkshopFactory(status="delivered")
    NominationFactory(workshop=workshop, status="accepted")
    questionnaire = evaluation_services.questionnaire_create(
        workshop=workshop, kind="reaction", by=staff, questions=[QuestionFactory()],
        opens_at=timezone.now() + dt.timedelta(days=10),
    )  # fmt: skip
    evaluation_services.questionnaire_open(questionnaire=questionnaire, by=staff)
    assert services.reminders_run()["questionnaires"] == 0
    assert services.reminders_run(now=timezone.now() + dt.timedelta(days=11))["questionnaires"] == 1


def test_the_digest_groups_the_day_and_is_sent_once(
    staff, french_staff, contact_point, kenya, eager_tasks, django_capture_on_commit_callbacks
):
    services.preference_set(user=staff, delivery="digest")
    services.preference_set(user=french_staff, delivery="digest")
    with django_capture_on_commit_callbacks(execute=True):
        _request(contact_point, kenya, "Risk analytics")
        _request(contact_point, kenya, "Image analysis")
    assert mail.outbox == [] and Notification.objects.filter(status=Status.HELD).count() >= 4
    with django_capture_on_commit_callbacks(execute=True):
        made = services.digests_send()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.digests_send()
    assert made >= 2 and again == 0
    digests = by_email(Kind.DIGEST)
    assert digests["officer@example.org"].status == Status.SENT
    assert digests["agent@example.org"].subject == "[BACUDA] Votre récapitulatif BACUDA : 2 événement(s)"
    officer_mail = [message for message in mail.outbox if message.to == ["officer@example.org"]]
    assert len(officer_mail) == 1
    assert "Risk analytics" in officer_mail[0].body and "Image analysis" in officer_mail[0].body
    events = Notification.objects.filter(kind=Kind.WORKSHOP_REQUESTED, email="officer@example.org")
    assert {row.status for row in events} == {Status.IN_DIGEST}
    assert {row.digest_id for row in events} == {digests["officer@example.org"].pk}


def test_events_after_the_days_digest_wait_for_the_next_one(staff, contact_point, kenya):
    services.preference_set(user=staff, delivery="digest")
    _request(contact_point, kenya, "First")
    now = timezone.now()
    assert services.digests_send(now=now) >= 1
    _request(contact_point, kenya, "Second")
    services.digests_send(now=timezone.now())
    assert Notification.objects.filter(email="officer@example.org", status=Status.HELD).count() == 1
    services.digests_send(now=timezone.now() + dt.timedelta(days=1))
    assert not Notification.objects.filter(email="officer@example.org", status=Status.HELD).exists()
    assert Notification.objects.filter(kind=Kind.DIGEST, email="officer@example.org").count() == 2


def test_a_queued_message_a_lost_broker_message_left_is_sent_by_the_sweep(staff, contact_point, kenya, eager_tasks):
    _request(contact_point, kenya, "Lost")  # no on-commit callbacks run: the message never reached a worker
    row = by_email(Kind.WORKSHOP_REQUESTED)["officer@example.org"]
    assert row.status == Status.QUEUED
    requeued, failed = services.notifications_sweep(now=timezone.now() + dt.timedelta(minutes=11))
    assert requeued >= 1 and failed == 0


def test_beat_runs_the_sweeps_the_reminders_and_the_digest_by_task_name():
    from django.conf import settings

    from bacuda_portal.core.background import task_named

    for name in ("notifications.sweep", "notifications.reminders", "notifications.digests"):
        assert settings.CELERY_BEAT_SCHEDULE[name]["task"] == name
        assert task_named(name).name == name
    assert task_named("notifications.send").name == "notifications.send"
