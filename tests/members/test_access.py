"""Who reaches which page: every page of the members and core apps with the whole cast."""

import pytest
from django.urls import reverse

from bacuda_portal.members.models import Invitation
from tests.factories import InvitationFactory

# expected status per role; 302 to the login page for anonymous visitors, 404 for anything not theirs
ROLES = ["anonymous", "project_manager", "staff", "contact_point", "other_contact_point", "applicant", "expert"]


def _expect(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("project_manager", 200),
        ("staff", 200),
        ("contact_point", 200),
        ("other_contact_point", 404),
        ("applicant", 404),
        ("expert", 404),
    ],
)
def test_administration_page_of_kenya(client_as, cast, kenya, role, expected):
    response = client_as(cast[role]).get(reverse("members:administration_detail", args=[kenya.code]))
    _expect(response, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("project_manager", 200),
        ("staff", 200),
        ("contact_point", 404),
        ("other_contact_point", 404),
        ("applicant", 404),
        ("expert", 404),
    ],
)
@pytest.mark.parametrize("url_name", ["members:administration_list", "health"])
def test_staff_pages(client_as, cast, role, expected, url_name):
    response = client_as(cast[role]).get(reverse(url_name))
    # The health page answers 503 while no worker runs; it is still shown to staff.
    if expected == 200:
        assert response.status_code in (200, 503)
    else:
        _expect(response, expected)


@pytest.mark.parametrize(
    ("role", "expected_role"),
    [
        ("project_manager", "staff"),
        ("staff", "staff"),
        ("contact_point", "contact_point"),
        ("other_contact_point", "contact_point"),
        ("applicant", "applicant"),
        ("expert", "expert"),
        ("reviewer", "reviewer"),
    ],
)
def test_every_role_lands_on_its_own_home(client_as, cast, role, expected_role):
    response = client_as(cast[role]).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["role"] == expected_role
    assert cast[role].get_role_display() in response.content.decode()


def test_dashboard_anonymous_goes_to_login(db, client_as):
    _expect(client_as(None).get(reverse("home")), "login")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("project_manager", 302),
        ("staff", 302),
        ("contact_point", 404),
        ("other_contact_point", 404),
        ("applicant", 404),
        ("expert", 404),
    ],
)
def test_invite_a_contact_point(client_as, cast, kenya, role, expected):
    response = client_as(cast[role]).post(
        reverse("members:invitation_create", args=[kenya.code]),
        {"email": "new.person@example.org", "contact_point_role": "bacuda_focal_point", "language": "en"},
    )
    _expect(response, expected)
    assert Invitation.objects.filter(email="new.person@example.org").exists() == (expected == 302)


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("staff", 302),
        ("contact_point", 404),
        ("other_contact_point", 404),
        ("applicant", 404),
    ],
)
def test_invitation_actions(client_as, cast, kenya, role, expected, action):
    invitation = InvitationFactory(administration=kenya)
    response = client_as(cast[role]).post(reverse(f"members:{action}", args=[invitation.pk]))
    _expect(response, expected)
    invitation.refresh_from_db()
    if action == "invitation_revoke":
        assert (invitation.revoked_at is not None) == (expected == 302)


def test_invitation_actions_refuse_get(client_as, staff, kenya):
    invitation = InvitationFactory(administration=kenya)
    assert client_as(staff).get(reverse("members:invitation_revoke", args=[invitation.pk])).status_code == 405


@pytest.mark.parametrize("role", ROLES)
def test_api_token_page(client_as, cast, role):
    response = client_as(cast[role]).get(reverse("members:api_token"))
    _expect(response, "login" if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES)
def test_home_page_is_public(client_as, cast, role):
    response = client_as(cast[role]).get(reverse("website:home"))
    assert response.status_code == 200
    assert "186" in response.content.decode()


def test_ended_contact_point_loses_access(client_as, contact_point, kenya):
    from django.utils import timezone

    cp = contact_point.contact_point
    cp.active_from = timezone.localdate() - timezone.timedelta(days=30)
    cp.active_to = timezone.localdate() - timezone.timedelta(days=1)
    cp.save()
    assert client_as(contact_point).get(reverse("members:administration_detail", args=["KEN"])).status_code == 404


def test_deactivated_user_cannot_use_a_session(client_as, contact_point):
    contact_point.is_active = False
    contact_point.save()
    response = client_as(contact_point).get(reverse("members:administration_detail", args=["KEN"]))
    assert response.status_code == 302
