"""Each event, made through the real service, logs one message per recipient, in the recipient's language."""

import datetime as dt

import pytest
from django.utils import timezone

from algorithms import jobs as algorithm_jobs
from algorithms import services as algorithm_services
from algorithms.enums import JobStatus
from bacuda_portal.members.enums import Role
from bacuda_portal.notifications.enums import Kind, Status
from bacuda_portal.reports import services as report_services
from bacuda_portal.reports.models import Report
from scholarships import services as scholarship_services
from tests.algorithms.factories import AlgorithmFactory, ModelJobFactory
from tests.factories import ContactPointFactory, UserFactory
from tests.missions.factories import ClaimFactory, ClaimLineFactory, MissionFactory, TravelRequestFactory
from tests.scholarships.factories import ApplicationFactory, CallFactory, EligibleApplicationFactory, ReviewerFactory
from tests.workshops.factories import ExpertFactory, NominationFactory, WorkshopFactory
from workshops import services as workshop_services
from workshops.missions import services as mission_services

from .conftest import by_email, rows


def _staff_emails(django_user_model):
    from bacuda_portal.members.selectors import active_staff

    return {user.email for user in active_staff()}


def test_a_workshop_request_notifies_every_staff_member_in_their_language(
    staff, french_staff, contact_point, kenya, django_user_model
):
    workshop_services.request_submit(
        administration=kenya, by=contact_point, topic="Risk analytics", preferred_start=dt.date(2026, 9, 1),
        preferred_end=dt.date(2026, 9, 4), language="en", expected_participants=20, justification="Needed.",
    )  # fmt: skip
    logged = by_email(Kind.WORKSHOP_REQUESTED)
    assert set(logged) == _staff_emails(django_user_model) and contact_point.email not in logged
    assert logged["agent@example.org"].language == "fr"
    assert logged["agent@example.org"].subject.startswith("[BACUDA] Nouvelle demande d'atelier de")
    assert "Risk analytics" in logged["officer@example.org"].text
    assert logged["officer@example.org"].subject.startswith("[BACUDA] New workshop request from")
    assert logged["officer@example.org"].status == Status.QUEUED
    assert "/en/workshops/requests/" in logged["officer@example.org"].about_url
    assert "/fr/workshops/requests/" in logged["agent@example.org"].about_url


def test_a_nomination_notifies_staff_and_its_decision_the_contact_points(staff, contact_point, colleague, kenya):
    workshop = WorkshopFactory(status="planned")
    nomination = workshop_services.nomination_create(
        workshop=workshop, administration=kenya, by=contact_point, full_name="John Mwangi", gender="male",
        position="Analyst", email="john@example.org", language="en", consent_to_list=True,
    )  # fmt: skip
    assert "officer@example.org" in by_email(Kind.NOMINATION_CREATED)
    assert "John Mwangi" in by_email(Kind.NOMINATION_CREATED)["officer@example.org"].text
    workshop_services.nomination_waitlist(nomination=nomination, by=staff)
    decided = by_email(Kind.NOMINATION_DECIDED)
    assert set(decided) == {"cp.kenya@example.org", "cp2.kenya@example.org"}
    assert "Wait-listed" in decided["cp.kenya@example.org"].subject or "wait" in decided["cp.kenya@example.org"].text


def test_the_decision_reaches_only_the_nominating_administration(staff, contact_point, other_contact_point, kenya):
    nomination = NominationFactory(administration=kenya, workshop=WorkshopFactory(status="planned"))
    workshop_services.nomination_decline(nomination=nomination, by=staff)
    assert set(by_email(Kind.NOMINATION_DECIDED)) == {"cp.kenya@example.org"}


def test_an_expert_is_asked_to_answer_and_staff_hear_the_answer(staff, expert):
    expert_profile = ExpertFactory(user=expert, email=expert.email)
    expert.preferred_language = "fr"
    expert.save()
    workshop = WorkshopFactory(status="planned", title="DATE in practice")
    assignment, _conflicts = workshop_services.assignment_create(
        workshop=workshop, expert=expert_profile, role="trainer", by=staff
    )
    offered = rows(Kind.ASSIGNMENT_OFFERED)
    assert [(row.email, row.language, row.user) for row in offered] == [("expert@example.org", "fr", expert)]
    assert "Affectation proposée : DATE in practice" in offered[0].subject and "formateur" in offered[0].text.lower()
    workshop_services.assignment_answer(assignment=assignment, accept=True, by=expert)
    answered = by_email(Kind.ASSIGNMENT_ANSWERED)
    assert "officer@example.org" in answered and "accepted" in answered["officer@example.org"].text


def test_an_expert_without_account_is_written_to_at_the_registry_address(staff):
    workshop_services.assignment_create(
        workshop=WorkshopFactory(status="planned"), expert=ExpertFactory(email="trainer@example.org"), role="trainer",
        by=staff,
    )  # fmt: skip
    assert [(row.email, row.language, row.user) for row in rows(Kind.ASSIGNMENT_OFFERED)] == [
        ("trainer@example.org", "en", None)
    ]


def test_a_submitted_claim_notifies_staff(staff):
    mission = MissionFactory(created_by=staff)
    TravelRequestFactory(mission=mission, approved=True, submitted_by=staff, decided_by=staff)
    claim = ClaimFactory(mission=mission)
    ClaimLineFactory(claim=claim)
    mission_services.claim_submit(claim=claim, by=staff)
    logged = by_email(Kind.CLAIM_SUBMITTED)
    assert "officer@example.org" in logged and mission.traveller_name in logged["officer@example.org"].text


def test_a_submitted_application_asks_its_contact_points_to_endorse(contact_point, other_contact_point, applicant):
    call = CallFactory()
    draft = ApplicationFactory(call=call, applicant=applicant, full_name="Achieng Otieno")
    scholarship_services.application_submit(application=draft, by=applicant, consent=True)
    logged = rows(Kind.ENDORSEMENT_REQUESTED)
    assert [row.email for row in logged] == ["cp.kenya@example.org"]
    assert "Achieng Otieno" in logged[0].text and "/endorsements/" in logged[0].about_url


def test_reviews_assigned_by_hand_and_automatically_notify_the_reviewer(staff):
    call = CallFactory(reviews_per_application=1)
    reviewer = ReviewerFactory(calls=[call], user__email="rev@example.org", user__preferred_language="fr")
    first = EligibleApplicationFactory(call=call)
    scholarship_services.review_assign(application=first, reviewer=reviewer, by=staff)
    EligibleApplicationFactory(call=call)
    EligibleApplicationFactory(call=call)
    scholarship_services.reviews_assign_automatically(call=call, by=staff)
    logged = rows(Kind.REVIEWS_ASSIGNED)
    assert [(row.email, row.language) for row in logged] == [("rev@example.org", "fr")] * 2
    assert sorted(row.text.split(" candidature")[0].rsplit("\n", 1)[-1] for row in logged) == ["1", "2"]


def test_released_decisions_ask_staff_to_approve_the_letters(staff):
    call = CallFactory()
    for outcome in ("selected", "not_selected"):
        scholarship_services.decision_record(
            application=EligibleApplicationFactory(call=call), outcome=outcome, by=staff
        )
    scholarship_services.decisions_release(call=call, by=staff)
    logged = by_email(Kind.LETTERS_TO_APPROVE)
    assert "2 decision letter(s)" in logged["officer@example.org"].text


def test_a_publication_request_asks_the_data_owner(staff):
    owner = UserFactory(role=Role.PROJECT_MANAGER, email="owner@example.org")
    algorithm = AlgorithmFactory(data_owner=owner)
    algorithm_services.publication_request(obj=algorithm, by=staff)
    assert [row.email for row in rows(Kind.PUBLICATION_AWAITING)] == ["owner@example.org"]


def test_a_failed_job_and_a_failed_report_notify_staff(staff, monkeypatch):
    job = ModelJobFactory()
    algorithm_jobs.finish(job, JobStatus.FAILED, "The data has too few frauds to train.")
    assert "too few frauds" in by_email(Kind.WORK_FAILED)["officer@example.org"].text

    report = Report.objects.create(
        kind="progress", period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31), language="en",
        parameters_key=report_services.parameters_key({}), requested_by=staff, queued_at=timezone.now(),
    )  # fmt: skip

    def broken(_report):
        raise RuntimeError("WeasyPrint is missing")

    monkeypatch.setattr(report_services, "render_report_pdf", broken)
    report_services.report_render(report=report)
    texts = [row.text for row in rows(Kind.WORK_FAILED) if row.email == "officer@example.org"]
    assert len(texts) == 2 and any("WeasyPrint is missing" in text for text in texts)


@pytest.mark.parametrize("delivery", ["immediate", "digest"])
def test_staff_who_chose_the_digest_get_events_held(staff, contact_point, kenya, delivery):
    from bacuda_portal.notifications import services

    services.preference_set(user=staff, delivery=delivery)
    ContactPointFactory(administration=kenya)
    workshop_services.request_submit(
        administration=kenya, by=contact_point, topic="Risk", preferred_start=dt.date(2026, 9, 1),
        preferred_end=dt.date(2026, 9, 2), language="en", expected_participants=10, justification="x",
    )  # fmt: skip
    row = by_email(Kind.WORKSHOP_REQUESTED)["officer@example.org"]
    assert row.status == (Status.HELD if delivery == "digest" else Status.QUEUED)
