"""Offers: a selected candidate accepts or declines before the reply-by date; a decline or an expiry (beat task)
proposes the seat to the next reserve candidate, which staff confirm."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.celery import app as celery_app
from scholarships import services, tasks
from scholarships.models import Decision, Letter

from .factories import EligibleApplicationFactory


@pytest.fixture
def offers(call, applicant, other_applicant, staff):
    """The applicant selected (offer open for 14 days); two reserve candidates, the other applicant first."""
    selected = EligibleApplicationFactory(call=call, applicant=applicant, full_name="Achieng Otieno")
    first = EligibleApplicationFactory(call=call, applicant=other_applicant, full_name="First Reserve")
    second = EligibleApplicationFactory(call=call, full_name="Second Reserve")
    services.decision_record(application=selected, outcome="selected", by=staff)
    services.decision_record(application=second, outcome="reserve", reserve_rank=2, by=staff)
    services.decision_record(application=first, outcome="reserve", reserve_rank=1, by=staff)
    services.decisions_release(call=call, by=staff)
    return {"selected": selected, "first": first, "second": second}


def _decision(application) -> Decision:
    return Decision.objects.get(application=application)


def test_the_selected_candidate_accepts(client_as, applicant, offers):
    selected = offers["selected"]
    response = client_as(applicant).post(
        reverse("scholarships:offer_reply", args=[selected.pk]), {"answer": "accept"}, follow=True
    )
    assert "your answer was recorded" in response.content.decode()
    assert _decision(selected).offer_status == "accepted"
    assert _decision(offers["first"]).offer_status == ""


def test_a_decline_proposes_the_seat_to_the_first_reserve_and_staff_confirm(client_as, applicant, staff, offers):
    client_as(applicant).post(reverse("scholarships:offer_reply", args=[offers["selected"].pk]), {"answer": "decline"})
    assert _decision(offers["selected"]).offer_status == "declined"
    first = _decision(offers["first"])
    assert first.offer_status == "proposed" and first.outcome == "reserve"
    assert _decision(offers["second"]).offer_status == ""
    page = client_as(staff).get(reverse("scholarships:offer_list", args=[first.call_id])).content.decode()
    assert "First Reserve" in page and "Offer the seat" in page
    client_as(staff).post(reverse("scholarships:offer_confirm", args=[first.pk]))
    first.refresh_from_db()
    assert (first.outcome, first.offer_status) == ("selected", "open")
    assert first.reply_by > timezone.now() + dt.timedelta(days=13)
    assert Letter.objects.filter(application=offers["first"], outcome="selected", status="draft").exists()


def test_an_answer_after_the_reply_by_date_is_refused(client_as, applicant, offers):
    Decision.objects.filter(application=offers["selected"]).update(reply_by=timezone.now() - dt.timedelta(minutes=1))
    response = client_as(applicant).post(
        reverse("scholarships:offer_reply", args=[offers["selected"].pk]), {"answer": "accept"}, follow=True
    )
    assert "The reply-by date of this offer has passed." in response.content.decode()
    assert _decision(offers["selected"]).offer_status == "open"


def test_an_answer_twice_is_refused(client_as, applicant, offers):
    client = client_as(applicant)
    url = reverse("scholarships:offer_reply", args=[offers["selected"].pk])
    client.post(url, {"answer": "accept"})
    response = client.post(url, {"answer": "decline"}, follow=True)
    assert "There is no open offer to answer." in response.content.decode()
    assert _decision(offers["selected"]).offer_status == "accepted"


def test_the_beat_task_expires_unanswered_offers_and_proposes_the_next_reserve(offers):
    Decision.objects.filter(application=offers["selected"]).update(reply_by=timezone.now() - dt.timedelta(hours=1))
    tasks.expire_offers()
    assert _decision(offers["selected"]).offer_status == "expired"
    assert _decision(offers["first"]).offer_status == "proposed"
    tasks.expire_offers()  # nothing more to expire: the second reserve is not proposed
    assert _decision(offers["second"]).offer_status == ""


def test_the_beat_schedule_names_the_scholarships_tasks(settings):
    # Retention runs for every kind of personal data, scholarship applications included, in core.apply_retention.
    celery_app.loader.import_default_modules()  # a worker imports every app's tasks; so does this test, alone too
    for name in ("scholarships.expire_offers", "core.apply_retention", "scholarships.sweep_letters"):
        assert settings.CELERY_BEAT_SCHEDULE[name]["task"] in celery_app.tasks
    assert celery_app.amqp.router.route({}, "scholarships.send_letter")["queue"].name == "default"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("other_applicant", 404), ("contact_point", 404), ("other_contact_point", 404),
     ("reviewer", 404), ("staff", 404)],
)  # fmt: skip
def test_only_the_candidate_answers_their_offer(client_as, cast, other_applicant, offers, role, status):
    people = {**cast, "other_applicant": other_applicant}
    response = client_as(people[role]).post(
        reverse("scholarships:offer_reply", args=[offers["selected"].pk]), {"answer": "decline"}
    )
    assert response.status_code == status
    assert _decision(offers["selected"]).offer_status == "open"


@pytest.mark.parametrize("role", ["anonymous", "applicant", "contact_point", "reviewer"])
def test_only_staff_confirm_a_proposed_seat(client_as, cast, offers, role):
    Decision.objects.filter(application=offers["first"]).update(offer_status="proposed")
    client_as(cast[role]).post(reverse("scholarships:offer_confirm", args=[_decision(offers["first"]).pk]))
    assert _decision(offers["first"]).offer_status == "proposed"


def test_withdrawing_with_an_open_offer_frees_the_seat_for_the_next_reserve(client_as, applicant, offers):
    client_as(applicant).post(reverse("scholarships:application_withdraw", args=[offers["selected"].pk]))
    assert _decision(offers["selected"]).offer_status == "declined"
    assert _decision(offers["first"]).offer_status == "proposed"
