"""The contact point's endorsement page is a work queue: one call at a time, the applications waiting for a decision
first (or those in the chosen state), searched by name or reference, paged, with the ranking form of that call; the
decide and rank forms bring the contact point back to the same filtered page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from scholarships import selectors, services
from scholarships.enums import EndorsementQueueState
from scholarships.models import Call

from .factories import CallFactory, SubmittedApplicationFactory

URL = reverse("scholarships:endorsement_list")


def _names(response) -> set[str]:
    """The applicants listed in the queue's table (the ranking form lists names too: not counted here)."""
    table = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return set(re.findall(r'/applications/\d+/">([^<]+)</a>', table))


def _endorse(application, contact_point, decision="endorsed", comment=""):
    services.endorsement_decide(
        application=application, administration=application.administration, decision=decision, comment=comment,
        by=contact_point,
    )  # fmt: skip


@pytest.fixture
def closed_call(db):
    """Last year's call, closed, published."""
    now = timezone.now()
    return CallFactory(
        cohort_name="Cohort 2025", opens_at=now - dt.timedelta(days=400), closes_at=now - dt.timedelta(days=300)
    )


@pytest.fixture
def queue(call, kenya, senegal, contact_point):
    """In the open call: Kenyan applicants waiting (Wanjiru, Otieno), endorsed (Kamau), declined (Njeri) and
    withdrawn (Mwangi); a Senegalese one waiting (Diop)."""
    made = {
        name: SubmittedApplicationFactory(call=call, administration=kenya, full_name=name)
        for name in ("Wanjiru Waiting", "Otieno Waiting", "Kamau Endorsed", "Njeri Declined", "Mwangi Withdrawn")
    }
    made["Awa Diop"] = SubmittedApplicationFactory(call=call, administration=senegal, full_name="Awa Diop")
    _endorse(made["Kamau Endorsed"], contact_point)
    _endorse(made["Njeri Declined"], contact_point, decision="declined", comment="Not in a data role.")
    services.application_withdraw(application=made["Mwangi Withdrawn"], by=made["Mwangi Withdrawn"].applicant)
    return made


def test_the_default_is_the_applications_waiting_for_a_decision(client_as, contact_point, queue):
    response = client_as(contact_point).get(URL)
    assert response.status_code == 200
    assert _names(response) == {"Wanjiru Waiting", "Otieno Waiting"}


@pytest.mark.parametrize(
    ("state", "expected"),
    [("endorsed", {"Kamau Endorsed"}), ("declined", {"Njeri Declined"}), ("withdrawn", {"Mwangi Withdrawn"}),
     ("all", {"Wanjiru Waiting", "Otieno Waiting", "Kamau Endorsed", "Njeri Declined", "Mwangi Withdrawn"}),
     ("nonsense", {"Wanjiru Waiting", "Otieno Waiting"})],
)  # fmt: skip
def test_the_state_filter(client_as, contact_point, queue, state, expected):
    response = client_as(contact_point).get(URL, {"state": state})
    assert _names(response) == expected


def test_all_lists_the_waiting_ones_first(client_as, contact_point, queue):
    content = client_as(contact_point).get(URL, {"state": "all"}).content.decode()
    waiting = max(content.index("Wanjiru Waiting"), content.index("Otieno Waiting"))
    assert waiting < content.index("Kamau Endorsed") < content.index("Njeri Declined")


def test_search_by_name_or_reference(client_as, contact_point, queue):
    client = client_as(contact_point)
    assert _names(client.get(URL, {"state": "all", "q": "otieno"})) == {"Otieno Waiting"}
    reference = queue["Kamau Endorsed"].pk
    assert _names(client.get(URL, {"state": "all", "q": str(reference)})) == {"Kamau Endorsed"}
    # Another administration's applicant is never found, by name or by reference.
    assert _names(client.get(URL, {"state": "all", "q": "Diop"})) == set()
    assert _names(client.get(URL, {"state": "all", "q": str(queue["Awa Diop"].pk)})) == set()


def test_each_contact_point_sees_only_their_administration(client_as, contact_point, other_contact_point, queue):
    assert "Awa Diop" not in client_as(contact_point).get(URL, {"state": "all"}).content.decode()
    response = client_as(other_contact_point).get(URL, {"state": "all"})
    assert _names(response) == {"Awa Diop"}
    assert "Wanjiru" not in response.content.decode() and "Kamau" not in response.content.decode()


def test_the_call_choice_cannot_show_another_administrations_data(
    client_as, contact_point, queue, closed_call, senegal
):
    """A call with only Senegalese applications (closed, so not offered to Kenya) falls back to Kenya's default;
    a call offered to both shows Kenya's applications only."""
    SubmittedApplicationFactory(call=closed_call, administration=senegal, full_name="Moussa Ndiaye")
    client = client_as(contact_point)
    response = client.get(URL, {"call": closed_call.pk, "state": "all"})
    content = response.content.decode()
    assert "Moussa Ndiaye" not in content
    assert f'<option value="{closed_call.pk}"' not in content
    assert "Wanjiru Waiting" in _names(response)
    assert "Awa Diop" not in client.get(URL, {"call": queue["Awa Diop"].call_id, "state": "all"}).content.decode()


def test_the_default_call_is_the_latest_with_applications_waiting(client_as, contact_point, kenya, call, closed_call):
    """No application in the open call yet: last year's call, where one waits; the open call can still be chosen."""
    SubmittedApplicationFactory(call=closed_call, administration=kenya, full_name="Last Year")
    client = client_as(contact_point)
    response = client.get(URL)
    assert _names(response) == {"Last Year"}
    assert f'<option value="{closed_call.pk}" selected>' in response.content.decode()
    SubmittedApplicationFactory(call=call, administration=kenya, full_name="This Year")
    assert _names(client.get(URL)) == {"This Year"}
    assert _names(client.get(URL, {"call": closed_call.pk})) == {"Last Year"}


def test_an_open_call_is_offered_before_any_application(client_as, contact_point, call):
    response = client_as(contact_point).get(URL)
    assert response.status_code == 200
    assert f'<option value="{call.pk}" selected>' in response.content.decode()
    assert _names(response) == set()


def test_no_call_at_all(client_as, contact_point, db):
    response = client_as(contact_point).get(URL)
    assert response.status_code == 200
    assert "No application from your administration yet, and no call is open." in response.content.decode()


def test_the_queue_is_paged_and_the_pages_keep_the_filters(client_as, contact_point, call, kenya):
    for number in range(27):
        SubmittedApplicationFactory(call=call, administration=kenya, full_name=f"Applicant {number:02d}")
    client = client_as(contact_point)
    first = client.get(URL)
    assert len(_names(first)) == 25
    assert f"?call={call.pk}&amp;state=waiting&amp;page=2" in first.content.decode()
    second = client.get(URL, {"call": call.pk, "state": "waiting", "page": 2})
    assert _names(second) == {"Applicant 25", "Applicant 26"}
    assert _names(first).isdisjoint(_names(second))
    searched = client.get(URL, {"q": "Applicant 2"})  # 20 to 26: one page, counted by a query
    assert _names(searched) == {f"Applicant {n}" for n in range(20, 27)}


def test_deciding_returns_to_the_same_filtered_page(client_as, contact_point, queue):
    client = client_as(contact_point)
    here = f"{URL}?call={queue['Otieno Waiting'].call_id}&state=waiting&q=otieno"
    response = client.post(
        reverse("scholarships:endorsement_decide", args=[queue["Otieno Waiting"].pk]),
        {"decision": "declined", "comment": "Not this year.", "next": here},
    )
    assert response.status_code == 302 and response["Location"] == here
    queue["Otieno Waiting"].refresh_from_db()
    assert queue["Otieno Waiting"].endorsement_status == "declined"


def test_the_decide_form_carries_the_page_it_is_on(client_as, contact_point, queue):
    content = client_as(contact_point).get(URL, {"q": "Wanjiru"}).content.decode()
    assert (
        f'name="next" value="{URL}?call={queue["Wanjiru Waiting"].call_id}&amp;state=waiting&amp;q=Wanjiru"' in content
    )


@pytest.mark.parametrize("target", ["https://evil.example.org/", "//evil.example.org/x", ""])
def test_a_next_to_another_site_is_ignored(client_as, contact_point, queue, target):
    response = client_as(contact_point).post(
        reverse("scholarships:endorsement_decide", args=[queue["Wanjiru Waiting"].pk]),
        {"decision": "endorsed", "comment": "", "next": target},
    )
    assert response.status_code == 302 and response["Location"] == URL


def test_ranking_returns_to_the_page_and_lists_the_chosen_calls_candidates_only(
    client_as, contact_point, kenya, queue, closed_call
):
    old = SubmittedApplicationFactory(call=closed_call, administration=kenya, full_name="Old Endorsed")
    _endorse(old, contact_point)
    second = queue["Wanjiru Waiting"]
    _endorse(second, contact_point)
    client = client_as(contact_point)
    content = client.get(URL, {"call": second.call_id, "state": "endorsed"}).content.decode()
    ranking = content.split("Rank your endorsed candidates")[1]
    assert "1. Kamau Endorsed" in ranking and "2. Wanjiru Waiting" in ranking and "Old Endorsed" not in ranking
    here = f"{URL}?call={second.call_id}&state=endorsed"
    response = client.post(
        reverse("scholarships:endorsement_rank", args=[second.call_id]),
        {"order": [second.pk, queue["Kamau Endorsed"].pk], "next": here},
    )
    assert response.status_code == 302 and response["Location"] == here
    second.endorsement.refresh_from_db()
    assert second.endorsement.rank == 1


def test_the_calls_counts_agree_with_the_queue_in_every_state(kenya, queue, closed_call):
    """The page trusts these counts for paging without a search: they must count what each filter lists."""
    SubmittedApplicationFactory(call=closed_call, administration=kenya)
    calls = selectors.endorsement_calls(administration=kenya, visible=Call.objects.filter(is_published=True))
    assert {call.pk for call in calls} == {queue["Wanjiru Waiting"].call_id, closed_call.pk}
    for call in calls:
        for state in EndorsementQueueState.values:
            listed = selectors.endorsement_queue(administration=kenya, call=call, state=state).count()
            assert call.state_counts[state] == listed, (call, state)
    assert calls[0].state_counts == {"waiting": 2, "endorsed": 1, "declined": 1, "withdrawn": 1, "all": 5}


def test_anonymous_is_sent_to_log_in(client, queue):
    response = client.get(URL, {"state": "all"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_queue_query_count_does_not_grow(
    client_as, contact_point, call, closed_call, kenya, django_assert_max_num_queries
):
    for number in range(30):
        SubmittedApplicationFactory(call=call, administration=kenya, full_name=f"Applicant {number:02d}")
    SubmittedApplicationFactory(call=closed_call, administration=kenya)
    for application in call.applications.order_by("pk")[:2]:
        _endorse(application, contact_point)
    client = client_as(contact_point)
    client.get(URL)  # warm the session
    for query, most in (({}, 8), ({"page": 2}, 8), ({"state": "all", "q": "Applicant"}, 9)):
        with django_assert_max_num_queries(most):
            response = client.get(URL, query)
        assert response.status_code == 200
