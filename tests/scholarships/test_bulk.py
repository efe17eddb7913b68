"""Staff decide many scholarship rows at once: one outcome for the ticked candidates in ranking order, and one
reviewer for several applications; each row in its own transaction, each refusal with its reason."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from scholarships.models import Call, Decision, Review

from .factories import EligibleApplicationFactory, SubmittedApplicationFactory


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def candidates(call, criteria):
    Call.objects.filter(pk=call.pk).update(seats=2)
    first, second, third = (EligibleApplicationFactory(call=call, full_name=f"Candidate {n}") for n in range(3))
    ineligible = SubmittedApplicationFactory(call=call, full_name="Ineligible One", eligibility_result="ineligible")
    return [first, second, third, ineligible]


def test_staff_select_the_ticked_candidates_in_ranking_order_until_the_seats_are_taken(
    client_as, staff, call, candidates
):
    client = client_as(staff)
    ranking = reverse("scholarships:ranking", args=[call.pk])
    assert reverse("scholarships:decisions_bulk", args=[call.pk]) in client.get(ranking).content.decode()
    third, ineligible = candidates[2], candidates[3]
    # The page's order is the ranking's: the third ticked first takes a seat first.
    rows = [third.pk, candidates[0].pk, candidates[1].pk, ineligible.pk]
    response = client.post(
        reverse("scholarships:decisions_bulk", args=[call.pk]),
        {"action": "selected", "rows": rows, "next": ranking + "?region=ESA"},
    )
    assert response.status_code == 302 and response.url == ranking + "?region=ESA"
    selected = set(Decision.objects.filter(outcome="selected").values_list("application__full_name", flat=True))
    assert selected == {"Candidate 2", "Candidate 0"}
    assert all(d.status == "pending" for d in Decision.objects.all())
    shown = _messages(response)
    assert "2 candidates selected (pending until released)." in shown
    assert any("Candidate 1: All 2 seats of this call are taken" in m and "Ineligible One" in m for m in shown)


def test_the_reserve_list_follows_the_ticked_order(client_as, staff, call, candidates):
    client_as(staff).post(
        reverse("scholarships:decisions_bulk", args=[call.pk]),
        {"action": "reserve", "rows": [candidates[1].pk, candidates[0].pk]},
    )
    places = dict(Decision.objects.values_list("application__full_name", "reserve_rank"))
    assert places == {"Candidate 1": 1, "Candidate 0": 2}


def test_another_calls_application_is_not_decided(client_as, staff, call, candidates):
    from .factories import CallFactory

    elsewhere = EligibleApplicationFactory(call=CallFactory(cohort_name="Other"), full_name="Elsewhere")
    client_as(staff).post(
        reverse("scholarships:decisions_bulk", args=[call.pk]), {"action": "not_selected", "rows": [elsewhere.pk]}
    )
    assert not Decision.objects.exists()


def test_one_reviewer_for_several_applications(client_as, staff, call, candidates, reviewer_profile, kenya):
    url = reverse("scholarships:reviewers_bulk_assign", args=[call.pk])
    client = client_as(staff)
    assert url in client.get(reverse("scholarships:call_review", args=[call.pk])).content.decode()
    Review.objects.create(call=call, application=candidates[1], reviewer=reviewer_profile)
    text = f"{candidates[0].pk}, {candidates[1].pk} {candidates[2].pk};999999"
    response = client.post(url, {"applications": text, "reviewer": reviewer_profile.pk})
    assert response.status_code == 302
    assert Review.objects.filter(reviewer=reviewer_profile).count() == 3
    shown = _messages(response)
    assert "2 assignments were made." in shown
    assert any("Candidate 1: This reviewer is already assigned" in m and "999999: There is no application" in m
               for m in shown)  # fmt: skip
    response = client.post(url, {"applications": "twelve", "reviewer": reviewer_profile.pk})
    assert any("separated by commas or spaces" in m for m in _messages(response))


@pytest.mark.parametrize("who", ["contact_point", "other_contact_point", "applicant", "reviewer", "anonymous"])
def test_only_staff_decide_or_assign_in_bulk(client_as, request, who, call, candidates):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_as(user)
    for url, data in [
        (reverse("scholarships:decisions_bulk", args=[call.pk]), {"action": "selected", "rows": [candidates[0].pk]}),
        (reverse("scholarships:reviewers_bulk_assign", args=[call.pk]), {"applications": str(candidates[0].pk)}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 302 if who == "anonymous" else response.status_code == 404
    assert not Decision.objects.exists() and not Review.objects.exists()
