"""iCalendar (RFC 5545) feeds of workshops: all-day events for workshops, timed events for their sessions.

Session times are local to the workshop's time zone, written with a TZID and the matching VTIMEZONE, so a
calendar shows 09:00 in Nairobi as 07:00 in Brussels.
"""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from .enums import WorkshopStatus
from .models import Workshop

_STATUS = {
    WorkshopStatus.CONFIRMED: "CONFIRMED",
    WorkshopStatus.DELIVERED: "CONFIRMED",
    WorkshopStatus.CLOSED: "CONFIRMED",
    WorkshopStatus.CANCELLED: "CANCELLED",
}


def _new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//WCO BACUDA Portal//Workshops//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _workshop_event(workshop: Workshop, site_url: str) -> Event:
    event = Event()
    event.add("uid", f"workshop-{workshop.pk}@bacuda-portal")
    event.add("dtstamp", workshop.updated_at)
    event.add("sequence", workshop.version)
    event.add("summary", workshop.localized_title)
    event.add("dtstart", workshop.start_date)
    event.add("dtend", workshop.end_date + dt.timedelta(days=1))  # DTEND of an all-day event is exclusive
    event.add("status", _STATUS.get(workshop.status, "TENTATIVE"))
    location = ", ".join(part for part in (workshop.venue, workshop.host_city) if part) or workshop.online_url
    if location:
        event.add("location", location)
    event.add("url", site_url + workshop.get_absolute_url())
    return event


def workshops_calendar(
    workshops: Iterable[Workshop], *, name: str, site_url: str, with_sessions: bool = False
) -> bytes:
    calendar = _new_calendar(name)
    for workshop in workshops:
        calendar.add_component(_workshop_event(workshop, site_url))
        if not with_sessions:
            continue
        zone = ZoneInfo(workshop.time_zone)
        for session in workshop.sessions.all():
            event = Event()
            event.add("uid", f"session-{session.pk}@bacuda-portal")
            event.add("dtstamp", workshop.updated_at)
            event.add("summary", f"{session.localized_topic} – {workshop.localized_title}")
            event.add("dtstart", dt.datetime.combine(session.date, session.start_time, tzinfo=zone))
            event.add("dtend", dt.datetime.combine(session.date, session.end_time, tzinfo=zone))
            if session.trainer_id:
                event.add("description", str(session.trainer))
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
