"""A contact point requests a workshop; staff accept it into planning or decline it with a reason."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from workshops.enums import RequestStatus, WorkshopStatus
from workshops.models import Workshop, WorkshopRequest

from .factories import WorkshopRequestFactory


def _request_data(**overrides):
    start = timezone.localdate() + dt.timedelta(days=60)
    return {
        "topic": "Risk profiling with machine learning",
        "preferred_start": start.isoformat(),
        "preferred_end": (start + dt.timedelta(days=4)).isoformat(),
        "language": "fr",
        "expected_participants": "12",
        "justification": "A new risk management unit.",
        **overrides,
    }


def test_contact_point_requests_a_workshop_for_their_administration(client_as, contact_point, kenya):
    response = client_as(contact_point).post(reverse("workshops:request_create"), _request_data())
    assert response.status_code == 302
    workshop_request = WorkshopRequest.objects.get()
    assert workshop_request.administration == kenya
    assert workshop_request.requested_by == contact_point
    assert workshop_request.status == RequestStatus.SUBMITTED
    content = client_as(contact_point).get(reverse("workshops:request_list")).content.decode()
    assert "Risk profiling with machine learning" in content and "Submitted" in content


def test_request_with_end_before_start_is_refused_and_keeps_input(client_as, contact_point):
    start = timezone.localdate() + dt.timedelta(days=60)
    data = _request_data(preferred_end=(start - dt.timedelta(days=1)).isoformat())
    response = client_as(contact_point).post(reverse("workshops:request_create"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The end date cannot be before the start date." in content
    assert 'value="Risk profiling with machine learning"' in content
    assert "A new risk management unit." in content
    assert not WorkshopRequest.objects.exists()


def test_staff_accept_a_request_into_planning(
    client_as, staff, contact_point, kenya, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    workshop_request = WorkshopRequestFactory(administration=kenya, requested_by=contact_point)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(staff).post(reverse("workshops:request_decide", args=[workshop_request.pk, "accept"]))
    workshop = Workshop.objects.get()
    assert response["Location"] == workshop.get_absolute_url()
    assert workshop.status == WorkshopStatus.REQUESTED
    assert list(workshop.beneficiaries.all()) == [kenya]
    assert workshop.beneficiary_links.get().quota == workshop_request.expected_participants
    workshop_request.refresh_from_db()
    assert workshop_request.status == RequestStatus.ACCEPTED and workshop_request.workshop == workshop
    assert mailoutbox[0].to == [contact_point.email]
    assert "accepted" in mailoutbox[0].subject


def test_staff_decline_with_a_reason_the_contact_point_reads(
    client_as, staff, contact_point, kenya, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    workshop_request = WorkshopRequestFactory(administration=kenya, requested_by=contact_point)
    url = reverse("workshops:request_decide", args=[workshop_request.pk, "decline"])
    client_as(staff).post(url, {"reason": ""})
    workshop_request.refresh_from_db()
    assert workshop_request.status == RequestStatus.SUBMITTED  # no reason, nothing changed
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(url, {"reason": "The 2027 plan is full; please ask again next year."})
    workshop_request.refresh_from_db()
    assert workshop_request.status == RequestStatus.DECLINED
    assert "2027 plan is full" in mailoutbox[0].body
    content = client_as(contact_point).get(reverse("workshops:request_list")).content.decode()
    assert "2027 plan is full" in content


def test_a_request_is_answered_once(client_as, staff, kenya):
    workshop_request = WorkshopRequestFactory(administration=kenya)
    client = client_as(staff)
    client.post(reverse("workshops:request_decide", args=[workshop_request.pk, "accept"]))
    response = client.post(reverse("workshops:request_decide", args=[workshop_request.pk, "accept"]), follow=True)
    assert "already been answered" in response.content.decode()
    assert Workshop.objects.count() == 1


def test_contact_point_withdraws_an_open_request(client_as, contact_point, kenya):
    workshop_request = WorkshopRequestFactory(administration=kenya)
    client_as(contact_point).post(reverse("workshops:request_withdraw", args=[workshop_request.pk]))
    workshop_request.refresh_from_db()
    assert workshop_request.status == RequestStatus.WITHDRAWN


def test_request_queue_lists_open_requests_first(client_as, staff, kenya, senegal):
    old_open = WorkshopRequestFactory(administration=kenya, topic="Old open request")
    declined = WorkshopRequestFactory(administration=senegal, topic="Declined request", status=RequestStatus.DECLINED)
    content = client_as(staff).get(reverse("workshops:request_list")).content.decode()
    assert content.index(old_open.topic) < content.index(declined.topic)
    filtered = client_as(staff).get(reverse("workshops:request_list") + "?status=declined").content.decode()
    assert declined.topic in filtered and old_open.topic not in filtered
