"""The Django admin for WCO staff: every list loads, exports CSV, and its query count does not grow."""

import csv
import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core import services as core_services
from bacuda_portal.core.models import AuditEntry, WorkerHeartbeat
from bacuda_portal.members.enums import Role
from bacuda_portal.members.models import Administration, ContactPoint, Invitation, Region, User
from tests.factories import AdministrationFactory, ContactPointFactory, InvitationFactory, UserFactory
from tests.workshops.factories import AssignmentFactory, NominationFactory, WorkshopFactory, WorkshopRequestFactory
from workshops.models import Assignment, Nomination, Workshop, WorkshopRequest


def _heartbeat(n):
    now = timezone.now()
    return WorkerHeartbeat.objects.create(hostname=f"worker{n}@host", started_at=now, last_seen_at=now)


def _audit(n):
    return core_services.audit_record(actor=UserFactory(), action="test.action", target=UserFactory())


# How to make one more row of each of our admin lists; a new admin without an entry fails the test below.
ROW_MAKERS = {
    User: lambda n: UserFactory(),
    Administration: lambda n: AdministrationFactory(),
    ContactPoint: lambda n: ContactPointFactory(),
    Invitation: lambda n: InvitationFactory(invited_by=UserFactory()),
    AuditEntry: _audit,
    WorkerHeartbeat: _heartbeat,
    Region: None,  # the six WCO regions; no more can be added
    EmailAddress: lambda n: UserFactory(),  # allauth's list; every factory user has a verified address
    Workshop: lambda n: WorkshopFactory(),
    WorkshopRequest: lambda n: WorkshopRequestFactory(),
    Nomination: lambda n: NominationFactory(),
    Assignment: lambda n: AssignmentFactory(),
}
# Apps whose every admin list must be in ROW_MAKERS (experts, e-learning and missions test theirs in their own
# test packages).
OUR_APPS = {"members", "core", "workshops"}


def _changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_admin_list_of_ours_has_a_row_maker():
    ours = {model for model in admin.site._registry if model._meta.app_label in OUR_APPS}
    assert ours == {model for model in ROW_MAKERS if model._meta.app_label in OUR_APPS}


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_list_loads_for_staff(client_as, staff, model):
    response = client_as(staff).get(_changelist_url(model))
    assert response.status_code == 200


@pytest.mark.parametrize("model", [m for m, maker in ROW_MAKERS.items() if maker], ids=lambda m: m._meta.label)
def test_admin_list_query_count_does_not_grow(client_as, staff, model):
    client = client_as(staff)
    make = ROW_MAKERS[model]
    make(0)
    client.get(_changelist_url(model))  # warm caches (content types, sites)
    with CaptureQueriesContext(connection) as few:
        client.get(_changelist_url(model))
    for n in range(1, 31):
        make(n)
    with CaptureQueriesContext(connection) as many:
        assert client.get(_changelist_url(model)).status_code == 200
    assert len(many) <= len(few), [query["sql"] for query in many.captured_queries]


@pytest.mark.parametrize(
    "role", ["anonymous", "contact_point", "other_contact_point", "applicant", "expert", "reviewer"]
)
def test_admin_is_closed_to_everyone_but_staff(client_as, cast, role):
    response = client_as(cast[role]).get("/admin/members/administration/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_search_and_filter(client_as, staff):
    client = client_as(staff)
    content = client.get("/admin/members/administration/?q=senegal").content.decode()
    assert "SEN" in content and "KEN" not in content
    region = Region.objects.get(code="WCA")
    content = client.get(f"/admin/members/administration/?region__id__exact={region.pk}").content.decode()
    assert "Senegal" in content and "Kenya" not in content


def test_admin_csv_export_action(client_as, staff):
    client = client_as(staff)
    ids = list(Administration.objects.filter(region__code="MENA").values_list("pk", flat=True))
    response = client.post("/admin/members/administration/", {"action": "export_as_csv", "_selected_action": ids})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 18
    assert "Code" in rows[0][0] or "code" in rows[0][0].lower()
    assert AuditEntry.objects.filter(action="admin.members.administration.exported").exists()


def test_admin_retire_action_goes_through_the_service(client_as, staff, kenya):
    client_as(staff).post("/admin/members/administration/", {"action": "retire", "_selected_action": [kenya.pk]})
    kenya.refresh_from_db()
    assert kenya.retired_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="members.administration.retired", actor=staff).exists()


def test_admin_adds_a_member_without_code_change(client_as, staff):
    region = Region.objects.get(code="AP")
    response = client_as(staff).post(
        "/admin/members/administration/add/",
        {
            "code": "PLW",
            "iso_alpha2": "PW",
            "iso_alpha3": "PLW",
            "iso_numeric": "585",
            "name_en": "Palau",
            "name_fr": "Palaos",
            "region": region.pk,
            "kind": "state",
            "joined_year": "2024",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Administration.objects.get(code="PLW").region == region
    assert AuditEntry.objects.filter(action="admin.members.administration.added").exists()


def test_admin_refuses_a_duplicate_iso_code(client_as, staff):
    region = Region.objects.get(code="AP")
    response = client_as(staff).post(
        "/admin/members/administration/add/",
        {
            "code": "XXK",
            "iso_alpha2": "KE",
            "name_en": "Duplicate",
            "name_fr": "Doublon",
            "region": region.pk,
            "kind": "state",
        },
    )
    assert response.status_code == 200
    assert not Administration.objects.filter(code="XXK").exists()


def test_admin_invitation_add_sends_through_the_service(
    client_as, staff, kenya, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(staff).post(
            "/admin/members/invitation/add/",
            {
                "email": "admin.invite@example.org",
                "full_name": "",
                "administration": kenya.pk,
                "contact_point_role": "bacuda_focal_point",
                "language": "en",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="admin.invite@example.org")
    assert invitation.invited_by == staff
    assert len(mailoutbox) == 1


def test_admin_invitation_refuses_existing_account(client_as, staff, kenya, contact_point):
    response = client_as(staff).post(
        "/admin/members/invitation/add/",
        {"email": contact_point.email, "administration": kenya.pk, "contact_point_role": "other", "language": "en"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_only_the_project_manager_makes_someone_staff(client_as, staff, project_manager, applicant):
    data = {
        "email": applicant.email,
        "full_name": "A",
        "role": Role.PROJECT_OFFICER,
        "preferred_language": "en",
        "is_active": "on",
    }
    url = f"/admin/members/user/{applicant.pk}/change/"
    response = client_as(staff).post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()  # an officer is not offered staff roles
    applicant.refresh_from_db()
    assert applicant.role == Role.APPLICANT
    assert client_as(project_manager).post(url, data).status_code == 302
    applicant.refresh_from_db()
    assert applicant.role == Role.PROJECT_OFFICER


def test_audit_log_cannot_be_edited(client_as, project_manager):
    entry = core_services.audit_record(actor=project_manager, action="x")
    client = client_as(project_manager)
    assert client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/core/auditentry/add/").status_code == 403


def test_project_officer_cannot_delete_users(client_as, staff, applicant):
    assert client_as(staff).get(f"/admin/members/user/{applicant.pk}/delete/").status_code == 403


def test_credentials_are_not_in_the_admin(client_as, project_manager):
    client = client_as(project_manager)
    assert client.get("/admin/mfa/authenticator/").status_code == 404
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_staff_reset_a_contact_points_lost_authenticator(client_as, staff, contact_point):
    # A staff member's is reset by the project manager only (tests/members/test_staff_accounts.py).
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(contact_point, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    data = {"action": "reset_two_factor", "_selected_action": [contact_point.pk]}
    client_as(staff).post("/admin/members/user/", data)
    assert not Authenticator.objects.filter(user=contact_point).exists()
    assert AuditEntry.objects.filter(action="members.two_factor.reset", actor=staff).exists()
