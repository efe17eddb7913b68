"""The workshop pages' bulk actions through the API (issue 19, part 6): staff decide many nominations of a workshop
at once and issue the certificates of several workshops at once, one transaction per row, with a summary of which
rows changed and why each other did not. Anyone but staff finds nothing (404, 401 when anonymous); a bad body is a
400 naming the field; a row whose state refuses the change fails with the service's reason."""

import json

import pytest

from bacuda_portal.core.models import AuditEntry
from workshops.enums import NominationStatus
from workshops.models import Certificate

from .factories import NominationFactory, WorkshopFactory
from .test_certificates import delivered_workshop  # noqa: F401 (a fixture)


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _decisions_url(workshop):
    return f"/api/v1/workshops/{workshop.pk}/nomination-decisions/"


CERTIFICATES = "/api/v1/workshops/bulk-certificates/"


# --- Nomination decisions ---------------------------------------------------------------------------------------
def test_staff_accept_many_in_nomination_order_until_the_seats_are_taken(client_as, staff, senegal_workshop):
    workshop = WorkshopFactory(seats=2)
    first, second, third = (NominationFactory(workshop=workshop, full_name=f"Person {n}") for n in range(3))
    declined = NominationFactory(workshop=workshop, status=NominationStatus.DECLINED)
    elsewhere = NominationFactory(workshop=senegal_workshop, administration=senegal_workshop.beneficiaries.first())
    ids = [third.pk, declined.pk, elsewhere.pk, first.pk, second.pk]
    response = _post(client_as(staff), _decisions_url(workshop), {"decision": "accept", "ids": ids})
    assert response.status_code == 200, response.json()
    summary = response.json()
    # The nomination date decides: the first two take the two seats; the others fail with their reasons.
    assert summary["done"] == [first.pk, second.pk]
    reasons = {row["id"]: row["reason"] for row in summary["failed"]}
    assert list(reasons) == [third.pk, declined.pk, elsewhere.pk]
    assert "All 2 seats are taken" in reasons[third.pk] and reasons[declined.pk].startswith("Only a")
    assert reasons[elsewhere.pk] == "Not found."
    assert summary["without_prerequisite"] == []
    statuses = dict(workshop.nominations.values_list("pk", "status"))
    assert statuses == {first.pk: "accepted", second.pk: "accepted", third.pk: "nominated", declined.pk: "declined"}
    assert elsewhere.__class__.objects.get(pk=elsewhere.pk).status == "nominated"
    assert AuditEntry.objects.filter(action="workshops.nomination.accepted").count() == 2


def test_staff_wait_list_and_decline_in_bulk(client_as, staff, workshop):
    people = [NominationFactory(workshop=workshop) for _ in range(3)]
    client = client_as(staff)
    waitlisted = _post(client, _decisions_url(workshop), {"decision": "waitlist", "ids": [p.pk for p in people[:2]]})
    assert waitlisted.status_code == 200 and len(waitlisted.json()["done"]) == 2
    declined = _post(client, _decisions_url(workshop), {"decision": "decline", "ids": [p.pk for p in people]})
    assert declined.status_code == 200 and declined.json()["failed"] == []
    assert {n.status for n in workshop.nominations.all()} == {"declined"}


@pytest.mark.parametrize(
    ("body", "field"),
    [({"decision": "promote", "ids": [1]}, "decision"), ({"decision": "accept", "ids": []}, "ids"),
     ({"decision": "accept", "ids": ["x"]}, "ids"), ({"ids": [1]}, "decision")],
)  # fmt: skip
def test_a_bad_decision_body_is_a_400_naming_the_field(client_as, staff, workshop, body, field):
    NominationFactory(workshop=workshop)
    response = _post(client_as(staff), _decisions_url(workshop), body)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert {n.status for n in workshop.nominations.all()} == {"nominated"}


def test_nobody_but_staff_decides_in_bulk(client_as, contact_point, other_contact_point, expert, workshop):
    nomination = NominationFactory(workshop=workshop)
    body = {"decision": "accept", "ids": [nomination.pk]}
    assert _post(client_as(None), _decisions_url(workshop), body).status_code == 401
    for user in (contact_point, other_contact_point, expert):
        assert _post(client_as(user), _decisions_url(workshop), body).status_code == 404, user
    assert workshop.nominations.get().status == "nominated"


# --- Certificates of several workshops --------------------------------------------------------------------------
def test_staff_issue_the_certificates_of_several_workshops_with_a_summary(
    client_as,
    staff,
    delivered_workshop,  # noqa: F811
    workshop,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks():
        response = _post(client_as(staff), CERTIFICATES, {"ids": [workshop.pk, delivered_workshop.pk, 9_999_999]})
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "done": [delivered_workshop.pk],
        "failed": [
            {"id": workshop.pk, "reason": "Certificates are issued once the workshop has been delivered."},
            {"id": 9_999_999, "reason": "Not found."},
        ],
    }
    certified = Certificate.objects.filter(nomination__workshop=delivered_workshop)
    assert sorted(certified.values_list("nomination__full_name", flat=True)) == ["Alice Wanjiru", "Awa Sarr"]
    assert not Certificate.objects.filter(nomination__workshop=workshop).exists()
    # Issued again: nobody left to certify, named with the reason.
    with django_capture_on_commit_callbacks():
        again = _post(client_as(staff), CERTIFICATES, {"ids": [delivered_workshop.pk]})
    assert again.json()["failed"] == [
        {"id": delivered_workshop.pk, "reason": "Every eligible participant already has a certificate."}
    ]
    assert Certificate.objects.count() == 2


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": [0]}, {"ids": "1,2"}])
def test_a_bad_certificates_body_is_a_400_naming_ids(client_as, staff, body):
    response = _post(client_as(staff), CERTIFICATES, body)
    assert response.status_code == 400 and "ids" in response.json(), response.json()


def test_nobody_but_staff_issues_certificates_in_bulk(
    client_as,
    contact_point,
    other_contact_point,
    expert,
    delivered_workshop,  # noqa: F811
):
    body = {"ids": [delivered_workshop.pk]}
    assert _post(client_as(None), CERTIFICATES, body).status_code == 401
    for user in (contact_point, other_contact_point, expert):
        assert _post(client_as(user), CERTIFICATES, body).status_code == 404, user
    assert not Certificate.objects.exists()
