"""Personal calendar feeds (issue 19, part 6): staff subscribe to the workshops they created, experts to their
assignments; the secret link is made, replaced and stopped by its owner and is the feed's only credential."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from bacuda_portal.core.models import AuditEntry
from workshops.models import CalendarFeed

from .factories import AssignmentFactory, ExpertFactory, SessionFactory, WorkshopFactory

PAGE = reverse("workshops:calendar_feed")


def _summaries(response) -> set[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    calendar = Calendar.from_ical(body)
    return {str(event["summary"]) for event in calendar.walk("VEVENT") if str(event["uid"]).startswith("workshop-")}


def _make_link(client) -> str:
    assert client.post(PAGE, {"action": "renew"}).status_code == 302
    return client.get(PAGE).context["feed_url"]


def test_an_expert_subscribes_to_their_assignments(client_as, expert, staff):
    profile = ExpertFactory(user=expert, email=expert.email)
    proposed = WorkshopFactory(title="Proposed to me")
    SessionFactory(workshop=proposed)
    AssignmentFactory(workshop=proposed, expert=profile)
    AssignmentFactory(workshop=WorkshopFactory(title="I declined"), expert=profile, status="declined")
    WorkshopFactory(title="Someone else's")
    client = client_as(expert)
    assert "Make my calendar link" in client.get(PAGE).content.decode()
    url = _make_link(client)
    path = url.removeprefix("http://testserver").split("://", 1)[-1]
    path = path[path.index("/") :]
    response = client_as(None).get(path)  # a calendar app: no session
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert _summaries(response) == {"Proposed to me"}
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"session-" in body  # with its sessions
    assert AuditEntry.objects.filter(action="workshops.calendar_feed.renewed").count() == 1


def test_staff_subscribe_to_the_workshops_they_created(client_as, staff, project_manager):
    WorkshopFactory(title="Mine", created_by=staff)
    WorkshopFactory(title="The manager's", created_by=project_manager)
    client = client_as(staff)
    _make_link(client)
    key = CalendarFeed.objects.get(user=staff).key
    assert _summaries(client_as(None).get(reverse("workshops:personal_calendar", args=[key]))) == {"Mine"}


def test_replacing_or_stopping_the_link_ends_the_old_one(client_as, staff):
    client = client_as(staff)
    _make_link(client)
    old = CalendarFeed.objects.get(user=staff).key
    _make_link(client)
    new = CalendarFeed.objects.get(user=staff).key
    assert old != new
    anonymous = client_as(None)
    assert anonymous.get(reverse("workshops:personal_calendar", args=[old])).status_code == 404
    assert anonymous.get(reverse("workshops:personal_calendar", args=[new])).status_code == 200
    client = client_as(staff)
    assert client.post(PAGE, {"action": "stop"}).status_code == 302
    assert not CalendarFeed.objects.exists()
    assert client_as(None).get(reverse("workshops:personal_calendar", args=[new])).status_code == 404


def test_a_deactivated_or_demoted_account_loses_its_feed(client_as, staff):
    _make_link(client_as(staff))
    url = reverse("workshops:personal_calendar", args=[CalendarFeed.objects.get(user=staff).key])
    staff.is_active = False
    staff.save()
    assert client_as(None).get(url).status_code == 404


@pytest.mark.parametrize("who", ["contact_point", "other_contact_point", "applicant"])
def test_people_without_own_workshops_have_no_feed(client_as, request, who, kenya, senegal):
    client = client_as(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"action": "renew"}).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_anonymous_is_sent_to_sign_in(client_as, db):
    response = client_as(None).post(PAGE, {"action": "renew"})
    assert response.status_code == 302 and "login" in response.url
