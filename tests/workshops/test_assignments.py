"""Experts are proposed, confirm or decline, are flagged when double booked, and are appraised afterwards."""

import datetime as dt

import pytest
from django.urls import reverse

from bacuda_portal.core.exceptions import TransitionError
from workshops import services
from workshops.enums import AssignmentStatus, WorkshopStatus

from .factories import AssignmentFactory, ExpertFactory, WorkshopFactory


def test_staff_propose_an_expert_who_is_emailed(
    client_as, staff, workshop, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    expert = ExpertFactory(email="trainer@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(
            reverse("workshops:assignment_create", args=[workshop.pk]), {"expert": expert.pk, "role": "lead_trainer"}
        )
    assignment = workshop.assignments.get()
    assert assignment.status == AssignmentStatus.PROPOSED and assignment.role == "lead_trainer"
    assert mailoutbox[0].to == ["trainer@example.org"]


def test_double_booking_is_flagged(client_as, staff, workshop):
    expert = ExpertFactory()
    overlapping = WorkshopFactory(title="Overlapping workshop", start_date=workshop.start_date + dt.timedelta(days=2),
                                  end_date=workshop.end_date + dt.timedelta(days=2))  # fmt: skip
    AssignmentFactory(workshop=overlapping, expert=expert)
    response = client_as(staff).post(
        reverse("workshops:assignment_create", args=[workshop.pk]),
        {"expert": expert.pk, "role": "trainer"},
        follow=True,
    )
    content = response.content.decode()
    assert "Double booking" in content and "Overlapping workshop" in content
    assert "Double booked" in content  # the badge on the workshop page


def test_no_flag_for_workshops_that_do_not_overlap_or_were_declined(staff, workshop):
    expert = ExpertFactory()
    later = WorkshopFactory(
        start_date=workshop.end_date + dt.timedelta(days=1), end_date=workshop.end_date + dt.timedelta(days=3)
    )
    AssignmentFactory(workshop=later, expert=expert)
    overlapping = WorkshopFactory(start_date=workshop.start_date, end_date=workshop.end_date)
    AssignmentFactory(workshop=overlapping, expert=expert, status=AssignmentStatus.DECLINED)
    _assignment, conflicts = services.assignment_create(workshop=workshop, expert=expert, role="trainer", by=staff)
    assert conflicts == []


def test_the_same_expert_twice_is_refused(client_as, staff, workshop):
    expert = ExpertFactory()
    AssignmentFactory(workshop=workshop, expert=expert)
    response = client_as(staff).post(
        reverse("workshops:assignment_create", args=[workshop.pk]),
        {"expert": expert.pk, "role": "trainer"},
        follow=True,
    )
    assert "already assigned" in response.content.decode()
    assert workshop.assignments.count() == 1


def test_expert_confirms_from_the_workshop_page(client_as, workshop, assigned_expert):
    client = client_as(assigned_expert)
    content = client.get(workshop.get_absolute_url()).content.decode()
    assert "Can you take part?" in content
    assignment = workshop.assignments.get()
    client.post(reverse("workshops:assignment_answer", args=[assignment.pk, "confirm"]))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CONFIRMED and assignment.answered_at
    response = client.post(reverse("workshops:assignment_answer", args=[assignment.pk, "decline"]), follow=True)
    assert "already answered" in response.content.decode()


def test_appraisal_after_delivery_only(client_as, staff, workshop, assigned_expert):
    assignment = workshop.assignments.get()
    services.assignment_answer(assignment=assignment, accept=True, by=assigned_expert)
    with pytest.raises(TransitionError, match="delivered"):
        services.assignment_appraise(assignment=assignment, rating=5, comments="", by=staff)
    workshop.status = WorkshopStatus.DELIVERED
    workshop.save()
    url = reverse("workshops:assignment_appraise", args=[workshop.pk, assignment.pk])
    client_as(staff).post(url, {"rating": "4", "comments": "Clear and well prepared."})
    assignment.refresh_from_db()
    assert (assignment.rating, assignment.appraisal) == (4, "Clear and well prepared.")


def test_expert_page_shows_deployments(client_as, staff, expert_profile):
    confirmed = AssignmentFactory(
        expert=expert_profile, status=AssignmentStatus.CONFIRMED, workshop__title="Delivered one"
    )
    AssignmentFactory(expert=expert_profile, status=AssignmentStatus.DECLINED, workshop__title="Declined one")
    content = client_as(staff).get(reverse("experts:detail", args=[expert_profile.pk])).content.decode()
    assert confirmed.workshop.title in content
    assert "Declined one" not in content
