"""The workshop workflow written through the API (issue 19, part 6): the same services and access rules as the pages;
a service's refusal comes back as a 400 with its reason; anyone who may not act gets a 404 (401 when anonymous)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from workshops.models import Assignment, Attendance, Certificate, Nomination, Workshop, WorkshopRequest

from .factories import AssignmentFactory, NominationFactory, SessionFactory, WorkshopFactory, WorkshopRequestFactory


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_staff_move_a_workshop_along_its_flow(client_as, staff, workshop):
    AssignmentFactory(workshop=workshop, role="lead_trainer", status="confirmed")
    client = client_as(staff)
    url = f"/api/v1/workshops/{workshop.pk}/transition/"
    response = _post(client, url, {"action": "confirm"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "confirmed"
    assert Workshop.objects.get(pk=workshop.pk).status == "confirmed"
    assert AuditEntry.objects.filter(action__startswith="workshops.workshop.", target_id=str(workshop.pk)).exists()
    # Refused by the service: the reason comes back.
    response = _post(client, url, {"action": "close"})
    assert response.status_code == 409 and response.json()["detail"]
    response = _post(client, url, {"action": "cancel"})
    assert response.status_code == 400 and "reason" in response.json()
    response = _post(client, url, {"action": "cancel", "reason": "The host withdrew."})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert _post(client, url, {"action": "teleport"}).status_code == 400


def test_attendance_and_certificates_through_the_api(client_as, staff, workshop, django_capture_on_commit_callbacks):
    Workshop.objects.filter(pk=workshop.pk).update(
        status="delivered", start_date=timezone.localdate() - dt.timedelta(days=5),
        end_date=timezone.localdate() - dt.timedelta(days=1),
    )  # fmt: skip
    sessions = [SessionFactory(workshop=workshop) for _ in range(2)]
    present, absent = (NominationFactory(workshop=workshop, status="accepted") for _ in range(2))
    marks = [{"session": s.pk, "nomination": present.pk, "status": "present"} for s in sessions]
    marks.append({"session": sessions[0].pk, "nomination": absent.pk, "status": "absent"})
    client = client_as(staff)
    response = _post(client, f"/api/v1/workshops/{workshop.pk}/attendance/", {"marks": marks})
    assert response.status_code == 200 and response.json() == {"count": 3}
    assert Attendance.objects.count() == 3
    stranger = NominationFactory(workshop=WorkshopFactory(), status="accepted")
    bad = [{"session": sessions[0].pk, "nomination": stranger.pk, "status": "present"}]
    assert _post(client, f"/api/v1/workshops/{workshop.pk}/attendance/", {"marks": bad}).status_code == 400
    with django_capture_on_commit_callbacks():
        response = _post(client, f"/api/v1/workshops/{workshop.pk}/certificates/")
    assert response.status_code == 200 and response.json() == {"count": 1}
    assert list(Certificate.objects.values_list("nomination", flat=True)) == [present.pk]


def test_staff_propose_an_expert_who_answers_through_the_api(
    client_as, staff, expert, workshop, eager_tasks, django_capture_on_commit_callbacks
):
    from tests.workshops.factories import ExpertFactory

    profile = ExpertFactory(user=expert, email=expert.email)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client_as(staff), f"/api/v1/workshops/{workshop.pk}/assignments/",
                         {"expert": profile.pk, "role": "lead_trainer"})  # fmt: skip
    assert response.status_code == 201, response.json()
    assignment_id = response.json()["id"]
    assert len(mail.outbox) == 1
    again = _post(client_as(staff), f"/api/v1/workshops/{workshop.pk}/assignments/",
                  {"expert": profile.pk, "role": "lead_trainer"})  # fmt: skip
    assert again.status_code == 400 and "expert" in again.json()
    client = client_as(expert)
    assert [row["id"] for row in client.get("/api/v1/assignments/").json()["results"]] == [assignment_id]
    response = _post(client, f"/api/v1/assignments/{assignment_id}/answer/", {"accept": True})
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    response = _post(client, f"/api/v1/assignments/{assignment_id}/answer/", {"accept": False})
    assert response.status_code == 409 and "already answered" in response.json()["detail"]
    # Staff see the assignment but only its expert answers it.
    assert _post(client_as(staff), f"/api/v1/assignments/{assignment_id}/answer/", {"accept": True}).status_code == 404


def test_nomination_decisions_and_withdrawal(client_as, staff, contact_point, other_contact_point, workshop):
    nomination = NominationFactory(workshop=workshop)
    url = f"/api/v1/nominations/{nomination.pk}/"
    assert _post(client_as(contact_point), url + "decision/", {"decision": "accept"}).status_code == 404
    response = _post(client_as(staff), url + "decision/", {"decision": "waitlist"})
    assert response.status_code == 200 and response.json()["status"] == "waitlisted"
    assert _post(client_as(other_contact_point), url + "withdraw/").status_code == 404
    response = _post(client_as(contact_point), url + "withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    response = _post(client_as(staff), url + "decision/", {"decision": "accept"})
    assert response.status_code == 409 and "Only a nominated or wait-listed person" in response.json()["detail"]
    assert Nomination.objects.get(pk=nomination.pk).status == "withdrawn"


def test_workshop_requests_through_the_api(client_as, contact_point, other_contact_point, staff, kenya):
    start = timezone.localdate() + dt.timedelta(days=90)
    body = {"topic": "Risk management with DATE", "preferred_start": str(start),
            "preferred_end": str(start + dt.timedelta(days=4)), "language": "en", "expected_participants": 20,
            "justification": "New risk unit."}  # fmt: skip
    response = _post(client_as(contact_point), "/api/v1/workshop-requests/", body)
    assert response.status_code == 201, response.json()
    created = WorkshopRequest.objects.get(pk=response.json()["id"])
    assert created.administration == kenya and created.requested_by == contact_point
    assert _post(client_as(staff), "/api/v1/workshop-requests/", body).status_code == 404  # staff do not request
    other = client_as(other_contact_point)
    assert other.get(f"/api/v1/workshop-requests/{created.pk}/").status_code == 404
    url = f"/api/v1/workshop-requests/{created.pk}/decision/"
    assert _post(client_as(contact_point), url, {"decision": "accept"}).status_code == 404
    assert _post(client_as(staff), url, {"decision": "decline"}).status_code == 400  # a reason is required
    response = _post(client_as(staff), url, {"decision": "accept"})
    assert response.status_code == 200 and response.json()["status"] == "accepted" and response.json()["workshop"]
    second = WorkshopRequestFactory(administration=kenya)
    response = _post(client_as(contact_point), f"/api/v1/workshop-requests/{second.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    "path", ["workshops/{w}/transition/", "workshops/{w}/attendance/", "workshops/{w}/certificates/",
             "workshops/{w}/assignments/", "nominations/{n}/decision/", "nominations/{n}/withdraw/",
             "assignments/{a}/answer/"],
)  # fmt: skip
def test_anonymous_and_other_administrations_get_nothing(client_as, other_contact_point, workshop, path, db):
    nomination = NominationFactory(workshop=workshop)
    assignment = AssignmentFactory(workshop=workshop)
    url = "/api/v1/" + path.format(w=workshop.pk, n=nomination.pk, a=assignment.pk)
    assert _post(client_as(None), url, {"action": "confirm"}).status_code == 401
    assert _post(client_as(other_contact_point), url, {"action": "confirm", "decision": "accept"}).status_code == 404
    assert Workshop.objects.get(pk=workshop.pk).status == "planned"
    assert Nomination.objects.get(pk=nomination.pk).status == "nominated"
    assert Assignment.objects.get(pk=assignment.pk).status == "proposed"
