"""iCalendar feeds: valid RFC 5545 that calendar programs read, with session times in the workshop's zone."""

import datetime as dt

from django.urls import reverse
from icalendar import Calendar

from .factories import SessionFactory, WorkshopFactory


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_workshop_feed_has_the_workshop_and_its_sessions_in_local_time(client_as, staff, workshop):
    SessionFactory(workshop=workshop, topic="Opening", start_time=dt.time(9, 0), end_time=dt.time(10, 30))
    calendar = _parse(client_as(staff).get(reverse("workshops:calendar", args=[workshop.pk])))
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    whole = events[workshop.title]
    assert whole.decoded("dtstart") == workshop.start_date
    assert whole.decoded("dtend") == workshop.end_date + dt.timedelta(days=1)
    session = events[f"Opening – {workshop.title}"]
    start = session.decoded("dtstart")
    assert start.tzinfo is not None
    assert start.astimezone(dt.UTC).time() == dt.time(6, 0)  # 09:00 in Nairobi (UTC+3)
    assert session["dtstart"].params["TZID"] == "Africa/Nairobi"
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Africa/Nairobi"]
    assert b"\r\n" in client_as(staff).get(reverse("workshops:calendar", args=[workshop.pk])).content  # CRLF lines


def test_public_feed_lists_public_workshops_only(client, db, kenya):
    shown = WorkshopFactory(title="Public workshop")
    WorkshopFactory(title="Internal workshop", is_public=False)
    WorkshopFactory(title="Only requested", status="requested")
    cancelled = WorkshopFactory(title="Cancelled workshop", status="cancelled")
    calendar = _parse(client.get(reverse("workshops:public_calendar")))
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {shown.title, cancelled.title}
    assert str(events[cancelled.title]["status"]) == "CANCELLED"


def test_public_feed_keeps_a_year_of_past_workshops(client, db, kenya):
    today = dt.date.today()
    WorkshopFactory(
        title="Last month", start_date=today - dt.timedelta(days=33), end_date=today - dt.timedelta(days=30)
    )
    WorkshopFactory(
        title="Two years ago", start_date=today - dt.timedelta(days=733), end_date=today - dt.timedelta(days=730)
    )
    calendar = _parse(client.get(reverse("workshops:public_calendar")))
    titles = {str(event["summary"]) for event in calendar.walk("VEVENT")}
    assert "Last month" in titles and "Two years ago" not in titles


def test_private_workshop_feed_needs_access(client_as, cast, kenya):
    internal = WorkshopFactory(is_public=False)
    assert client_as(None).get(reverse("workshops:calendar", args=[internal.pk])).status_code == 404
    assert (
        client_as(cast["other_contact_point"]).get(reverse("workshops:calendar", args=[internal.pk])).status_code == 404
    )
    assert client_as(cast["contact_point"]).get(reverse("workshops:calendar", args=[internal.pk])).status_code == 200


def test_public_workshop_feed_is_open_to_calendar_apps(client, workshop):
    assert client.get(reverse("workshops:calendar", args=[workshop.pk])).status_code == 200


def test_session_times_follow_daylight_saving(client_as, staff, kenya):
    workshop = WorkshopFactory(
        time_zone="Europe/Brussels", start_date=dt.date(2027, 3, 26), end_date=dt.date(2027, 3, 29)
    )
    SessionFactory(
        workshop=workshop, date=dt.date(2027, 3, 26), topic="Before", start_time=dt.time(9, 0), end_time=dt.time(10, 0)
    )
    SessionFactory(
        workshop=workshop, date=dt.date(2027, 3, 29), topic="After", start_time=dt.time(9, 0), end_time=dt.time(10, 0)
    )
    calendar = _parse(client_as(staff).get(reverse("workshops:calendar", args=[workshop.pk])))
    starts = {str(e["summary"]).split(" – ")[0]: e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert starts["Before"].astimezone(dt.UTC).hour == 8  # CET, UTC+1
    assert starts["After"].astimezone(dt.UTC).hour == 7  # CEST, UTC+2 from 28 March 2027


def test_printable_programme_groups_sessions_by_day(client_as, contact_point, workshop):
    SessionFactory(workshop=workshop, topic="Opening", start_time=dt.time(9, 0), end_time=dt.time(10, 0))
    SessionFactory(workshop=workshop, date=workshop.start_date + dt.timedelta(days=1), topic="Second day")
    response = client_as(contact_point).get(reverse("workshops:programme", args=[workshop.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("Opening") < content.index("Second day")
    assert content.count("<h2>") == 2


def test_programme_follows_the_workshop_access(client_as, other_contact_point, workshop):
    assert client_as(other_contact_point).get(reverse("workshops:programme", args=[workshop.pk])).status_code == 404
