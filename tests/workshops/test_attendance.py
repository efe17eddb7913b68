"""Attendance for a whole workshop on one page, and certificate eligibility from the attendance rule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from workshops import selectors, services
from workshops.models import Attendance

from .factories import NominationFactory, SessionFactory, WorkshopFactory


@pytest.fixture
def running_workshop(kenya):
    workshop = WorkshopFactory(status="confirmed")
    for day in range(5):
        SessionFactory(workshop=workshop, date=workshop.start_date + dt.timedelta(days=day), topic=f"Day {day + 1}")
    return workshop


def test_staff_mark_attendance_for_everyone_in_one_post(client_as, staff, running_workshop):
    alice = NominationFactory(workshop=running_workshop, status="accepted", full_name="Alice")
    bob = NominationFactory(workshop=running_workshop, status="accepted", full_name="Bob")
    NominationFactory(workshop=running_workshop, status="waitlisted", full_name="Waiting Person")
    sessions = list(running_workshop.sessions.all())
    data = {f"mark-{s.pk}-{alice.pk}": "present" for s in sessions}
    data.update(
        {
            f"mark-{s.pk}-{bob.pk}": status
            for s, status in zip(sessions, ["present", "late", "absent", "absent", "excused"], strict=True)
        }
    )
    client = client_as(staff)
    response = client.post(reverse("workshops:attendance", args=[running_workshop.pk]), data)
    assert response.status_code == 302
    assert Attendance.objects.count() == 10
    content = client.get(reverse("workshops:attendance", args=[running_workshop.pk])).content.decode()
    assert "Waiting Person" not in content  # only accepted participants attend
    _sessions, rows = selectors.attendance_sheet(running_workshop)
    by_name = {row.nomination.full_name: row for row in rows}
    assert (by_name["Alice"].attended, by_name["Alice"].eligible) == (5, True)
    assert (by_name["Bob"].attended, by_name["Bob"].eligible) == (2, False)


@pytest.mark.parametrize(("attended", "eligible"), [(4, True), (3, False), (5, True), (0, False)])
def test_the_eighty_percent_rule(attended, eligible):
    assert selectors.is_certificate_eligible(attended, 5) is eligible


def test_rule_share_is_a_setting(settings):
    settings.BACUDA_CERTIFICATE_ATTENDANCE_SHARE = 1.0
    assert selectors.is_certificate_eligible(4, 5) is False


def test_no_sessions_no_certificate():
    assert selectors.is_certificate_eligible(0, 0) is False


def test_changing_and_clearing_marks(staff, running_workshop):
    alice = NominationFactory(workshop=running_workshop, status="accepted")
    session = running_workshop.sessions.first()
    services.attendance_record(workshop=running_workshop, marks={(session.pk, alice.pk): "absent"}, by=staff)
    assert services.attendance_record(workshop=running_workshop, marks={(session.pk, alice.pk): "late"}, by=staff) == 1
    assert Attendance.objects.get().status == "late"
    services.attendance_record(workshop=running_workshop, marks={(session.pk, alice.pk): ""}, by=staff)
    assert not Attendance.objects.exists()


def test_marks_for_another_workshop_are_refused(staff, running_workshop):
    other = WorkshopFactory(status="confirmed")
    stranger = NominationFactory(workshop=other, status="accepted")
    session = running_workshop.sessions.first()
    with pytest.raises(ValidationError):
        services.attendance_record(workshop=running_workshop, marks={(session.pk, stranger.pk): "present"}, by=staff)
    assert not Attendance.objects.exists()


def test_attendance_only_for_a_running_workshop(client_as, staff, kenya):
    planned = WorkshopFactory(status="planned")
    session = SessionFactory(workshop=planned)
    alice = NominationFactory(workshop=planned, status="accepted")
    response = client_as(staff).post(
        reverse("workshops:attendance", args=[planned.pk]), {f"mark-{session.pk}-{alice.pk}": "present"}, follow=True
    )
    assert "confirmed or delivered" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"), [("staff", 200), ("contact_point", 404), ("other_contact_point", 404), ("expert", 404)]
)
def test_attendance_page_is_staff_only(client_as, cast, running_workshop, role, expected):
    assert (
        client_as(cast[role]).get(reverse("workshops:attendance", args=[running_workshop.pk])).status_code == expected
    )


def test_attendance_page_query_count_does_not_grow(client_as, staff, running_workshop, django_assert_max_num_queries):
    participants = [NominationFactory(workshop=running_workshop, status="accepted") for _ in range(40)]
    marks = {(s.pk, p.pk): "present" for s in running_workshop.sessions.all() for p in participants}
    services.attendance_record(workshop=running_workshop, marks=marks, by=staff)
    client = client_as(staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("workshops:attendance", args=[running_workshop.pk])).status_code == 200
