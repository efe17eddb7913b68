"""One inbox of pending work for every role (issue 19) and every role's home (issue 20): each role sees the work
it may act on, linked to the page where it is done, never another administration's; the pages' query counts do
not grow with the rows."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from algorithms.enums import JobStatus, Publication
from bacuda_portal.core.inbox import DUE, InboxItem, Urgency, grouped, ordered, total
from bacuda_portal.core.models import ErasureRequest
from bacuda_portal.reports.enums import ReportStatus
from bacuda_portal.reports.models import Report
from scholarships.enums import DecisionOutcome, DecisionStatus, EndorsementStatus, OfferStatus, ReviewStatus
from scholarships.models import Decision, Review
from tests.algorithms.factories import AlgorithmFactory, ModelJobFactory
from tests.missions.factories import ClaimFactory, TravelRequestFactory
from tests.reports.factories import delivered_workshop, participant
from tests.scholarships.factories import ApplicationFactory, ReviewerFactory, SubmittedApplicationFactory
from tests.workshops.factories import (
    AssignmentFactory,
    ExpertFactory,
    NominationFactory,
    WorkshopFactory,
    WorkshopRequestFactory,
)
from workshops.enums import NominationStatus, RequestStatus

INBOX = reverse("inbox")
HOME = reverse("home")


def _items(client, url=INBOX):
    response = client.get(url)
    assert response.status_code == 200
    return {(str(item.title), str(item.detail)): item for group in response.context["groups"] for item in group.items}


def _titles(items):
    return {title for title, _detail in items}


@pytest.fixture
def world(kenya, senegal, contact_point, other_contact_point, expert, reviewer, applicant):
    now = timezone.now()
    nairobi = WorkshopFactory(title="Nairobi risk workshop")  # Kenya, quota 5
    NominationFactory.create_batch(2, workshop=nairobi)
    dakar = WorkshopFactory(title="Dakar valuation workshop", host_city="Dakar", beneficiaries=[(senegal, 3)])
    NominationFactory(workshop=dakar, administration=senegal, full_name="Awa Ndiaye")
    WorkshopRequestFactory(topic="Kenyan request", status=RequestStatus.SUBMITTED)
    delivered = delivered_workshop(timezone.localdate() - dt.timedelta(days=10), title="Mombasa delivered workshop")
    participant(delivered, email="trained@customs.example", attended=5)
    AssignmentFactory(workshop=nairobi, expert=ExpertFactory(user=expert, full_name="Expert Trainer"))
    kenyan_application = SubmittedApplicationFactory(full_name="Otieno Kenyan")
    SubmittedApplicationFactory(full_name="Sow Senegalese", administration=senegal, call=kenyan_application.call)
    Review.objects.create(
        call=kenyan_application.call,
        application=kenyan_application,
        reviewer=ReviewerFactory(user=reviewer, calls=[kenyan_application.call]),
        status=ReviewStatus.ASSIGNED,
    )
    ApplicationFactory(applicant=applicant, call=kenyan_application.call)
    selected = SubmittedApplicationFactory(
        applicant=applicant, full_name="Applicant Selected", endorsement_status=EndorsementStatus.ENDORSED
    )
    offer = Decision.objects.create(
        application=selected,
        call=selected.call,
        outcome=DecisionOutcome.SELECTED,
        status=DecisionStatus.RELEASED,
        released_at=now,
        offer_status=OfferStatus.OPEN,
        reply_by=now + dt.timedelta(days=14),
    )
    ModelJobFactory(dataset__administration=kenya, status=JobStatus.FAILED, finished_at=now)
    ModelJobFactory(dataset__administration=senegal, status=JobStatus.FAILED, finished_at=now)
    AlgorithmFactory(
        slug="awaiting", name_en="Awaiting card", data_owner=contact_point, publication=Publication.AWAITING_APPROVAL
    )
    Report.objects.create(
        kind="progress",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        language="en",
        status=ReportStatus.FAILED,
    )
    ErasureRequest.objects.create(user=applicant, reference="applicant@example.org")
    TravelRequestFactory(submitted=True)
    ClaimFactory(approved=True)
    return {"nairobi": nairobi, "dakar": dakar, "offer": offer}


def test_staff_see_the_work_of_every_app_linked_to_where_it_is_done(client, staff, world):
    client.force_login(staff)
    items = _items(client)
    nominations = items[("Nominations to decide", "Nairobi risk workshop")]
    assert nominations.count == 2 and nominations.url.endswith(f"/workshops/{world['nairobi'].pk}/#nominations-heading")
    assert items[("Nominations to decide", "Dakar valuation workshop")].count == 1
    assert items[("Workshop requests to review", "")].count == 1
    assert items[("Certificates to issue", "Mombasa delivered workshop")].count == 1
    assert items[("Experts who have not answered", "Nairobi risk workshop")].count == 1
    titles = _titles(items)
    assert {"A model job that failed", "A report that failed", "Erasure requests to carry out"} <= titles
    assert "Approved claims whose payment is to be recorded" in titles
    assert "A travel request to decide" not in titles  # the project manager decides, not a project officer
    assert "Places to fill with your nominations" not in titles and "Applications to review" not in titles
    for item in items.values():
        assert client.get(item.url).status_code == 200, item  # every link leads to a page staff may open


def test_the_project_manager_decides_travel_requests(client, project_manager, world):
    client.force_login(project_manager)
    assert "A travel request to decide" in _titles(_items(client))


def test_a_contact_point_sees_their_administrations_work_only(client, contact_point, world):
    client.force_login(contact_point)
    items = _items(client)
    places = items[("Places to fill with your nominations", "Nairobi risk workshop")]
    assert places.count == 3  # quota 5, two nominated
    endorsements = [item for (title, _), item in items.items() if title == "Applications waiting for your endorsement"]
    assert [item.count for item in endorsements] == [1]
    assert endorsements[0].url.startswith(reverse("scholarships:endorsement_list"))
    assert ("A model card to approve for publication", "Awaiting card") in items  # they are its data owner
    assert sum(1 for title, _ in items if title == "A model job that failed") == 1
    text = client.get(INBOX).content.decode()
    assert "Dakar" not in text and "Sow" not in text
    assert "Nominations to decide" not in text and "Erasure requests" not in text and "report that failed" not in text
    for item in items.values():
        assert client.get(item.url).status_code == 200, item


def test_senegals_contact_point_sees_nothing_of_kenyas(client, other_contact_point, world):
    client.force_login(other_contact_point)
    items = _items(client)
    assert _titles(items) == {
        "Places to fill with your nominations",
        "Applications waiting for your endorsement",
        "A model job that failed",
    }
    assert ("Places to fill with your nominations", "Dakar valuation workshop") in items
    assert items[("Places to fill with your nominations", "Dakar valuation workshop")].count == 2
    text = client.get(INBOX).content.decode() + client.get(HOME).content.decode()
    assert "Nairobi" not in text and "Otieno" not in text and "Awaiting card" not in text
    for item in items.values():
        assert client.get(item.url).status_code == 200, item


def test_an_expert_answers_their_assignments(client, expert, world):
    client.force_login(expert)
    items = _items(client)
    assert _titles(items) == {"An assignment to answer"}
    item = next(iter(items.values()))
    assert "Nairobi risk workshop" in item.detail and item.urgency == Urgency.HIGH
    assert client.get(item.url).status_code == 200


def test_a_reviewer_sees_the_applications_to_review(client, reviewer, world):
    client.force_login(reviewer)
    items = _items(client)
    assert _titles(items) == {"Applications to review"}
    assert next(iter(items.values())).count == 1
    home = client.get(HOME).content.decode()
    assert "Applications to review" in home and reverse("scholarships:review_list") in home


def test_an_applicant_sees_their_draft_and_their_offer(client, applicant, world):
    client.force_login(applicant)
    items = _items(client)
    assert _titles(items) == {"Your application to finish and submit", "A scholarship offer to answer"}
    offer = next(item for (title, _), item in items.items() if title == "A scholarship offer to answer")
    assert offer.date_kind == DUE and offer.date == world["offer"].reply_by
    assert "Otieno" not in client.get(HOME).content.decode()


def test_an_empty_inbox_says_so(client, staff, db):
    client.force_login(staff)
    response = client.get(INBOX)
    assert response.context["groups"] == []
    assert "Nothing waits for you" in response.content.decode()
    home = client.get(HOME)
    assert home.context["groups"] == [] and "Nothing waits for you" in home.content.decode()
    assert "inbox-nav-count" not in home.content.decode()  # a count of zero is not shown


@pytest.mark.parametrize("url", [INBOX, HOME])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_no_placeholder_remains_on_any_home(client_as, cast, world):
    for role in ("staff", "contact_point", "expert", "reviewer", "applicant", "other_contact_point"):
        text = client_as(cast[role]).get(HOME).content.decode()
        assert "The pages for your role will appear here" not in text, role
        assert reverse("inbox") in text, role


def test_the_contact_points_home_shows_their_administrations_activity(client, contact_point, world):
    client.force_login(contact_point)
    response = client.get(HOME)
    text = response.content.decode()
    assert response.context["role"] == "contact_point"
    figures = response.context["workshops"]["figures"]
    assert figures["trained"] == 1 and figures["nominated"] == 2 + 1 and figures["delivered"] == 1
    assert response.context["applications"]["figures"] == {"submitted": 2, "waiting": 1, "selected": 1}
    assert response.context["algorithms"]["figures"] == {"jobs": 1, "succeeded": 0, "datasets": 1}
    assert "Nairobi risk workshop" in text and "Otieno Kenyan" in text and "Places to fill" in text


def test_the_header_counts_the_inbox_once_the_home_was_drawn(client, staff, world):
    client.force_login(staff)
    client.get(HOME)
    expected = total([item for group in client.get(INBOX).context["groups"] for item in group.items])
    page = client.get(reverse("workshops:list")).content.decode()
    assert f'<span class="inbox-nav-count">{expected}</span>' in page
    cache.clear()
    assert "inbox-nav-count" not in client.get(reverse("workshops:list")).content.decode()


def test_items_are_ordered_by_urgency_then_date_and_grouped():
    today = dt.date(2026, 1, 10)
    late = InboxItem(title="b", url="/b", category="Two", date=today, urgency=Urgency.HIGH)
    early = InboxItem(title="a", url="/a", category="One", date=today - dt.timedelta(days=3), count=4)
    undated = InboxItem(title="c", url="/c", category="One")
    assert ordered([undated, early, late]) == [late, early, undated]
    groups = grouped([undated, early, late])
    assert [group.category for group in groups] == ["Two", "One"]
    assert groups[1].total == 5 and total([undated, early, late]) == 6


def _grow(world, kenya, senegal, n):
    """More rows of every kind the inbox and the homes read."""
    for index in range(n):
        workshop = WorkshopFactory(title=f"Grown workshop {index}")
        NominationFactory.create_batch(2, workshop=workshop)
        NominationFactory(workshop=world["nairobi"], status=NominationStatus.NOMINATED)
        WorkshopRequestFactory(status=RequestStatus.SUBMITTED)
        ModelJobFactory(dataset__administration=kenya, status=JobStatus.FAILED, finished_at=timezone.now())
        SubmittedApplicationFactory()
        ErasureRequest.objects.create(reference=f"person {index}")


@pytest.mark.parametrize("role", ["staff", "contact_point", "expert", "reviewer", "applicant"])
@pytest.mark.parametrize("url", [INBOX, HOME])
def test_query_counts_do_not_grow_with_the_rows(
    client_as, cast, world, kenya, senegal, django_assert_max_num_queries, role, url
):
    client = client_as(cast[role])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    _grow(world, kenya, senegal, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
