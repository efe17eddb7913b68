"""The staff dashboard: upcoming workshops, open requests, nominations to decide, unanswered experts, overdue
e-learning milestones."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import AssignmentFactory, NominationFactory, WorkshopFactory, WorkshopRequestFactory

URL = reverse("workshops:dashboard")


def test_dashboard_shows_what_needs_attention(client_as, staff, kenya):
    soon = WorkshopFactory(title="Soon workshop", start_date=timezone.localdate() + dt.timedelta(days=10),
                           end_date=timezone.localdate() + dt.timedelta(days=12))  # fmt: skip
    WorkshopFactory(title="Far workshop", start_date=timezone.localdate() + dt.timedelta(days=200),
                    end_date=timezone.localdate() + dt.timedelta(days=202))  # fmt: skip
    NominationFactory.create_batch(2, workshop=soon)
    AssignmentFactory(workshop=soon, expert__full_name="Unanswered Expert")
    WorkshopRequestFactory(administration=kenya, topic="Open request topic")
    content = client_as(staff).get(URL).content.decode()
    assert "Soon workshop" in content and "Far workshop" not in content
    assert "2 nominations" in content
    assert "Unanswered Expert" in content
    assert "Open request topic" in content


def test_staff_find_the_dashboard_on_their_home(client_as, staff):
    assert URL in client_as(staff).get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("role", "expected"), [("staff", 200), ("contact_point", 404), ("other_contact_point", 404), ("expert", 404)]
)
def test_dashboard_is_staff_only(client_as, cast, role, expected):
    assert client_as(cast[role]).get(URL).status_code == expected


def test_dashboard_anonymous_goes_to_login(client, db):
    assert "/accounts/login/" in client.get(URL)["Location"]


def test_dashboard_query_count_does_not_grow(client_as, staff, kenya, django_assert_max_num_queries):
    for _ in range(25):
        workshop = WorkshopFactory(
            start_date=timezone.localdate() + dt.timedelta(days=5), end_date=timezone.localdate() + dt.timedelta(days=6)
        )
        NominationFactory(workshop=workshop)
        AssignmentFactory(workshop=workshop)
        WorkshopRequestFactory(administration=kenya)
    client = client_as(staff)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200


def test_dashboard_lists_overdue_course_milestones(client_as, staff):
    from tests.elearning.factories import MilestoneFactory

    MilestoneFactory(title="Storyboard sign-off", due_date=timezone.localdate() - dt.timedelta(days=3))
    MilestoneFactory(title="Future milestone", due_date=timezone.localdate() + dt.timedelta(days=3))
    content = client_as(staff).get(URL).content.decode()
    assert "Storyboard sign-off" in content and "Future milestone" not in content


def test_dashboard_lists_travel_waiting_for_staff(client_as, staff):
    from tests.missions.factories import ClaimFactory, MissionFactory, TravelRequestFactory

    waiting = TravelRequestFactory(submitted=True, mission=MissionFactory(destination_city="Dakar"))
    TravelRequestFactory(mission=MissionFactory(destination_city="Draft city"))
    claim_mission = MissionFactory(destination_city="Lomé")
    TravelRequestFactory(approved=True, mission=claim_mission)
    ClaimFactory(mission=claim_mission, submitted=True)
    content = client_as(staff).get(URL).content.decode()
    assert waiting.mission.get_absolute_url() in content and "Dakar" in content
    assert "Lomé" in content
    assert "Draft city" not in content
