"""Staff create, edit and move a workshop through requested -> planned -> confirmed -> delivered -> closed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from workshops import services
from workshops.enums import WorkshopStatus
from workshops.models import Workshop

from .factories import AssignmentFactory, ExpertFactory, WorkshopFactory


def _form_data(administrations, **overrides):
    start = timezone.localdate() + dt.timedelta(days=45)
    data = {
        "title": "Data analytics for risk management",
        "description": "Five days of hands-on work.",
        "kind": "regional",
        "beneficiaries": [a.pk for a in administrations],
        "quota": "4",
        "host_city": "Dakar",
        "venue": "Centre de formation des douanes",
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=4)).isoformat(),
        "time_zone": "Africa/Dakar",
        "languages": ["fr", "en"],
        "seats": "24",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_staff_create_a_regional_workshop(client_as, staff, kenya, senegal):
    response = client_as(staff).post(reverse("workshops:create"), _form_data([kenya, senegal]))
    workshop = Workshop.objects.get()
    assert response["Location"] == workshop.get_absolute_url()
    assert workshop.status == WorkshopStatus.PLANNED
    assert workshop.languages == ["fr", "en"]
    assert {(link.administration.code, link.quota) for link in workshop.beneficiary_links.all()} == {
        ("KEN", 4),
        ("SEN", 4),
    }
    assert AuditEntry.objects.filter(action="workshops.workshop.created", actor=staff).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "national"}, "exactly one beneficiary"),
        ({"end_date": (timezone.localdate() + dt.timedelta(days=40)).isoformat()}, "cannot be before the start date"),
        ({"time_zone": "Mars/Olympus"}, "not a known time zone"),
        ({"languages": []}, "This field is required"),
        ({"seats": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_workshop_input_is_refused_and_kept(client_as, staff, kenya, senegal, overrides, message):
    response = client_as(staff).post(reverse("workshops:create"), _form_data([kenya, senegal], **overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Data analytics for risk management"' in content
    assert not Workshop.objects.exists()


def test_regional_workshop_needs_two_administrations(client_as, staff, kenya):
    response = client_as(staff).post(reverse("workshops:create"), _form_data([kenya]))
    assert "at least two beneficiary administrations" in response.content.decode()


def test_edit_keeps_existing_quotas_and_adds_new_administrations(client_as, staff, regional_workshop, morocco):
    link = regional_workshop.beneficiary_links.get(administration__code="KEN")
    link.quota = 7
    link.save()
    data = _form_data([link.administration, morocco], version=str(regional_workshop.version), quota="2")
    response = client_as(staff).post(reverse("workshops:edit", args=[regional_workshop.pk]), data)
    assert response.status_code == 302
    quotas = dict(regional_workshop.beneficiary_links.values_list("administration__code", "quota"))
    assert quotas == {"KEN": 7, "MAR": 2}
    regional_workshop.refresh_from_db()
    assert regional_workshop.version == 2 and regional_workshop.host_city == "Dakar"


def test_two_staff_editing_do_not_overwrite_each_other(
    client_as, staff, project_manager, regional_workshop, kenya, senegal
):
    version = regional_workshop.version
    first = client_as(staff).post(
        reverse("workshops:edit", args=[regional_workshop.pk]),
        _form_data([kenya, senegal], version=str(version), title="First editor's title"),
    )
    assert first.status_code == 302
    second = client_as(project_manager).post(
        reverse("workshops:edit", args=[regional_workshop.pk]),
        _form_data([kenya, senegal], version=str(version), title="Second editor's title"),
    )
    assert second.status_code == 200
    content = second.content.decode()
    assert "Someone else saved this workshop" in content
    assert 'value="Second editor&#x27;s title"' in content  # what they typed is kept
    regional_workshop.refresh_from_db()
    assert regional_workshop.title == "First editor's title"


def test_the_whole_flow(
    staff, workshop, expert_profile, eager_tasks, mailoutbox, django_capture_on_commit_callbacks, contact_point
):
    workshop.status = WorkshopStatus.REQUESTED
    workshop.save()
    services.workshop_plan(workshop=workshop, by=staff)
    assert workshop.status == WorkshopStatus.PLANNED
    with pytest.raises(TransitionError, match="lead trainer"):
        services.workshop_confirm(workshop=workshop, by=staff)
    AssignmentFactory(workshop=workshop, expert=expert_profile, role="lead_trainer", status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        services.workshop_confirm(workshop=workshop, by=staff)
    assert workshop.status == WorkshopStatus.CONFIRMED
    assert {message.to[0] for message in mailoutbox} == {contact_point.email, expert_profile.email}
    with pytest.raises(TransitionError, match="last day"):
        services.workshop_deliver(workshop=workshop, by=staff)
    services.workshop_deliver(workshop=workshop, by=staff, today=workshop.end_date)
    services.workshop_close(workshop=workshop, by=staff)
    assert workshop.status == WorkshopStatus.CLOSED
    with pytest.raises(TransitionError):
        services.workshop_cancel(workshop=workshop, reason="Too late", by=staff)
    actions = list(AuditEntry.objects.filter(target_id=str(workshop.pk)).values_list("action", flat=True))
    for status in ("planned", "confirmed", "delivered", "closed"):
        assert f"workshops.workshop.{status}" in actions


def test_confirm_needs_a_venue_for_an_in_person_workshop(staff, kenya):
    workshop = WorkshopFactory(venue="")
    AssignmentFactory(workshop=workshop, role="lead_trainer", status="confirmed")
    with pytest.raises(TransitionError, match="venue"):
        services.workshop_confirm(workshop=workshop, by=staff)


def test_invalid_transition_is_refused_with_a_clear_message(client_as, staff, workshop):
    response = client_as(staff).post(reverse("workshops:transition", args=[workshop.pk, "close"]), follow=True)
    assert "Only a delivered workshop can be closed." in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.PLANNED


def test_cancel_needs_a_reason_and_tells_the_contact_points(
    client_as, staff, workshop, contact_point, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("workshops:transition", args=[workshop.pk, "cancel"])
    client_as(staff).post(url, {"reason": ""})
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.PLANNED
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(url, {"reason": "The venue is not available."})
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.CANCELLED
    assert workshop.cancellation_reason == "The venue is not available."
    assert mailoutbox[0].to == [contact_point.email]
    assert "The venue is not available." in mailoutbox[0].body


def test_closed_workshop_cannot_be_edited(staff, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=WorkshopStatus.CLOSED)
    workshop.refresh_from_db()
    with pytest.raises(TransitionError):
        services.workshop_update(workshop=workshop, expected_version=workshop.version, by=staff, title="x")


def test_agenda_sessions_stay_within_the_workshop(client_as, staff, workshop):
    expert = ExpertFactory()
    AssignmentFactory(workshop=workshop, expert=expert)
    client = client_as(staff)
    url = reverse("workshops:session_add", args=[workshop.pk])
    ok = {
        "date": workshop.start_date.isoformat(),
        "start_time": "09:00",
        "end_time": "10:30",
        "topic": "Python basics",
        "trainer": expert.pk,
    }
    client.post(url, ok)
    outside = {**ok, "date": (workshop.end_date + dt.timedelta(days=1)).isoformat(), "topic": "Too late"}
    response = client.post(url, outside, follow=True)
    assert "between the workshop" in response.content.decode()
    backwards = {**ok, "start_time": "11:00", "end_time": "10:00", "topic": "Backwards"}
    response = client.post(url, backwards, follow=True)
    assert "must end after it starts" in response.content.decode()
    assert list(workshop.sessions.values_list("topic", flat=True)) == ["Python basics"]
    content = client.get(workshop.get_absolute_url()).content.decode()
    assert "Python basics" in content and expert.full_name in content


def test_prerequisite_course_is_shown_to_participants(client_as, staff, contact_point, workshop):
    from tests.elearning.factories import CourseFactory

    course = CourseFactory(title_en="Python for Customs analysts", stage="published",
                           clikc_url="https://clikc.wcoomd.org/course/view.php?id=42")  # fmt: skip
    services.workshop_update(workshop=workshop, expected_version=workshop.version, by=staff, prerequisite_course=course)
    content = client_as(contact_point).get(workshop.get_absolute_url()).content.decode()
    assert "Python for Customs analysts" in content
    assert "https://clikc.wcoomd.org/course/view.php?id=42" in content
