"""Programme outcome: staff record whether a selected candidate who accepted the offer graduated (with a date) or
did not complete (with a date and a reason); it can be corrected, never dated in the future, and is refused for
anyone who did not go on the programme."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from scholarships import services
from scholarships.models import Decision, ProgrammeOutcome

from .factories import EligibleApplicationFactory

RELEASED = timezone.make_aware(dt.datetime(2025, 8, 20, 9))
ACCEPTED = timezone.make_aware(dt.datetime(2025, 8, 25, 9))
TODAY = dt.date(2026, 7, 1)


@pytest.fixture
def scholars(call, applicant, kenya, staff):
    """The applicant selected and accepted (25 August 2025); a second selected candidate with the offer still
    open; a reserve candidate."""
    accepted = EligibleApplicationFactory(call=call, applicant=applicant, administration=kenya, full_name="Achieng O")
    still_open = EligibleApplicationFactory(call=call, administration=kenya, full_name="Open Offer")
    reserve = EligibleApplicationFactory(call=call, administration=kenya, full_name="On Reserve")
    services.decision_record(application=accepted, outcome="selected", by=staff)
    services.decision_record(application=still_open, outcome="selected", by=staff)
    services.decision_record(application=reserve, outcome="reserve", by=staff)
    services.decisions_release(call=call, by=staff, now=RELEASED)
    services.offer_reply(decision=accepted.decision, accept=True, by=applicant, now=ACCEPTED)
    return {"accepted": accepted, "open": still_open, "reserve": reserve}


def _record(application, staff, result="graduated", ended_on=dt.date(2026, 6, 30), reason=""):
    return services.programme_outcome_record(
        application=application, result=result, ended_on=ended_on, reason=reason, by=staff, today=TODAY
    )


def test_staff_record_a_graduation_and_correct_it_audited(scholars, staff):
    accepted = scholars["accepted"]
    outcome = _record(accepted, staff, reason="ignored for a graduation")
    assert (outcome.result, outcome.ended_on, outcome.reason, outcome.recorded_by) == (
        "graduated", dt.date(2026, 6, 30), "", staff,
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="scholarships.outcome.recorded")
    assert entry.actor == staff and entry.target_id == str(accepted.pk)
    assert entry.data["result"] == "graduated" and entry.data["previous"] is None

    _record(accepted, staff, result="not_completed", ended_on=dt.date(2026, 3, 1), reason="Recalled to duty")
    outcome = ProgrammeOutcome.objects.get(application=accepted)
    assert (outcome.result, outcome.ended_on, outcome.reason) == (
        "not_completed",
        dt.date(2026, 3, 1),
        "Recalled to duty",
    )
    assert ProgrammeOutcome.objects.count() == 1
    corrected = AuditEntry.objects.get(action="scholarships.outcome.corrected")
    assert corrected.data["previous"] == {"result": "graduated", "ended_on": "2026-06-30"}


def test_not_completed_needs_a_reason(scholars, staff):
    with pytest.raises(ValidationError) as error:
        _record(scholars["accepted"], staff, result="not_completed", reason="   ")
    assert "reason" in error.value.message_dict
    assert not ProgrammeOutcome.objects.exists()


def test_a_date_in_the_future_or_before_the_acceptance_is_refused(scholars, staff):
    with pytest.raises(ValidationError) as error:
        _record(scholars["accepted"], staff, ended_on=TODAY + dt.timedelta(days=1))
    assert "future" in error.value.message_dict["ended_on"][0]
    with pytest.raises(ValidationError) as error:
        _record(scholars["accepted"], staff, ended_on=dt.date(2025, 8, 24))
    assert "before the offer was accepted" in error.value.message_dict["ended_on"][0]
    assert _record(scholars["accepted"], staff, ended_on=TODAY).ended_on == TODAY  # today itself is fine
    with pytest.raises(ValidationError):
        _record(scholars["accepted"], staff, result="expelled")


def test_only_a_selected_candidate_who_accepted_has_an_outcome(scholars, staff, senegal_application):
    pending = senegal_application
    Decision.objects.create(application=pending, call=pending.call, outcome="selected")  # not yet released
    for candidate in (scholars["open"], scholars["reserve"], pending):
        with pytest.raises(TransitionError):
            _record(candidate, staff)
    Decision.objects.filter(application=scholars["open"]).update(offer_status="declined")
    with pytest.raises(TransitionError):
        _record(scholars["open"], staff)
    assert not ProgrammeOutcome.objects.exists()


def test_staff_record_it_on_the_application_page(client_as, scholars, staff):
    accepted = scholars["accepted"]
    client = client_as(staff)
    page = client.get(reverse("scholarships:application_detail", args=[accepted.pk])).content.decode()
    assert "Record the programme outcome" in page
    other = client.get(reverse("scholarships:application_detail", args=[scholars["open"].pk])).content.decode()
    assert "Programme outcome" not in other  # the offer is still open: no form
    url = reverse("scholarships:programme_outcome_record", args=[accepted.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(url, {"result": "graduated", "ended_on": yesterday.isoformat()}, follow=True)
    assert "The programme outcome was recorded." in response.content.decode()
    assert ProgrammeOutcome.objects.get(application=accepted).ended_on == yesterday
    assert "Correct the programme outcome" in response.content.decode()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url, {"result": "not_completed", "ended_on": tomorrow.isoformat()}, follow=True)
    page = response.content.decode()
    assert "The date cannot be in the future." in page and "Say briefly why" in page
    response = client.post(url, {"result": "graduated"}, follow=True)
    assert "This field is required." in response.content.decode()
    assert ProgrammeOutcome.objects.get(application=accepted).result == "graduated"


def test_the_offers_page_shows_the_outcome_of_those_who_accepted(client_as, scholars, staff):
    offers_url = reverse("scholarships:offer_list", args=[scholars["accepted"].call_id])
    page = client_as(staff).get(offers_url).content.decode()
    assert page.count("Record the outcome") == 1  # the accepted candidate only, not the open offer
    _record(scholars["accepted"], staff, ended_on=dt.date(2026, 6, 30))
    page = client_as(staff).get(offers_url).content.decode()
    assert "Record the outcome" not in page and "Graduated" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 404), ("contact_point", 404), ("other_contact_point", 404), ("reviewer", 404)],
)
def test_only_staff_record_the_outcome(client_as, cast, scholars, role, status):
    accepted = scholars["accepted"]
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client_as(cast[role]).post(
        reverse("scholarships:programme_outcome_record", args=[accepted.pk]),
        {"result": "graduated", "ended_on": yesterday},
    )
    assert response.status_code == status
    if status == 302:
        assert reverse("account_login") in response["Location"]
    assert not ProgrammeOutcome.objects.exists()


def test_the_contact_point_and_the_applicant_do_not_see_the_outcome(client_as, cast, scholars, staff):
    accepted = scholars["accepted"]
    _record(accepted, staff, result="not_completed", ended_on=dt.date(2026, 3, 1), reason="Recalled to duty")
    for role in ("contact_point", "applicant"):
        page = client_as(cast[role]).get(reverse("scholarships:application_detail", args=[accepted.pk]))
        assert page.status_code == 200
        assert "Recalled to duty" not in page.content.decode()
    staff_page = client_as(staff).get(reverse("scholarships:application_detail", args=[accepted.pk])).content.decode()
    assert "Recalled to duty" in staff_page and "Did not complete" in staff_page
