"""Sign-in by email, rate limits, password reset without account enumeration, self-registration, 2FA for staff."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import reverse

from bacuda_portal.members.enums import Role
from bacuda_portal.members.models import User

PASSWORD = "correct-horse-battery"


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_in_with_email_is_case_insensitive(client, contact_point):
    response = _login(client, "CP.Kenya@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_many_wrong_passwords_lock_the_address_for_a_while(client, contact_point):
    for _attempt in range(5):
        response = _login(client, contact_point.email, "wrong-password")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    response = _login(client, contact_point.email, PASSWORD)  # even the right password is refused now
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    contact_point.refresh_from_db()
    assert contact_point.check_password(PASSWORD)  # nothing about the account changed
    assert contact_point.last_login is None


def test_password_reset_does_not_reveal_whether_an_account_exists(client, contact_point, mailoutbox):
    known = client.post(reverse("account_reset_password"), {"email": contact_point.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert not User.objects.filter(email="nobody@example.org").exists()


def test_password_reset_email_is_sent_by_the_worker_queue(
    client, contact_point, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": contact_point.email})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [contact_point.email]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_unknown_address_reset_email_says_no_account(
    client, db, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" not in mailoutbox[0].body


def test_self_registration_makes_an_applicant_who_must_verify(
    client, db, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "officer@customs.example", "password1": "Scholarship-2026!", "password2": "Scholarship-2026!"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="officer@customs.example")
    assert user.role == Role.APPLICANT
    assert not user.emailaddress_set.get().verified
    assert "_auth_user_id" not in client.session  # mandatory verification: not signed in yet
    assert len(mailoutbox) == 1
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_signup_cannot_choose_a_role(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "sneaky@example.org",
            "password1": "Scholarship-2026!",
            "password2": "Scholarship-2026!",
            "role": "project_manager",
        },
    )
    assert User.objects.get(email="sneaky@example.org").role == Role.APPLICANT


@pytest.fixture
def require_staff_mfa(settings):
    settings.BACUDA_STAFF_MFA_REQUIRED = True


def test_staff_without_two_factor_must_set_it_up(client, staff, require_staff_mfa):
    _login(client, staff.email, PASSWORD)
    response = client.get(reverse("members:administration_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before two-factor set-up; the middleware lets that through.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get("/admin/").status_code == 302
    assert client.get("/api/v1/me/").status_code == 403


def test_staff_with_two_factor_are_asked_for_a_code(client, staff, require_staff_mfa):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(staff, secret)
    response = _login(client, staff.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    import time

    from allauth.mfa import app_settings

    code = format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("members:administration_list")).status_code == 200


def test_two_factor_is_not_forced_on_contact_points(client, contact_point, require_staff_mfa):
    client.force_login(contact_point)
    assert client.get(reverse("members:administration_detail", args=["KEN"])).status_code == 200
    assert not Authenticator.objects.exists()


def test_two_factor_requirement_is_off_in_development_settings(client, staff, settings):
    assert settings.BACUDA_STAFF_MFA_REQUIRED is False
    client.force_login(staff)
    assert client.get(reverse("members:administration_list")).status_code == 200
