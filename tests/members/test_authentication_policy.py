"""One authentication policy for every way in: sessions, API tokens and any other authentication class.

The independent test found that with ``BACUDA_STAFF_MFA_REQUIRED`` an officer without an authenticator was sent
to set one up in the browser, while the same officer's API token read applicants' personal data and queued
reports; and that resetting someone's two-factor did not revoke their tokens.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.views import APIView

from bacuda_portal.members import services
from bacuda_portal.members.authentication import PortalAuthenticationPolicy
from tests.scholarships.factories import ApplicationFactory

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def require_staff_mfa(settings):
    settings.BACUDA_STAFF_MFA_REQUIRED = True


def _token_client(client, user):
    client.logout()
    token = Token.objects.create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_staff_token_without_two_factor_is_refused(client, staff, require_staff_mfa, kenya):
    ApplicationFactory(administration=kenya, full_name="Personal Data-Applicant")
    client = _token_client(client, staff)
    response = client.get("/api/v1/scholarship-applications/")
    assert response.status_code == 403
    assert "Personal Data-Applicant" not in response.content.decode()
    assert "two-factor" in response.json()["detail"].lower()
    response = client.post("/api/v1/reports/", {"kind": "donor_progress"}, content_type="application/json")
    assert response.status_code == 403


def test_staff_token_with_two_factor_works(client, staff, require_staff_mfa):
    TOTP.activate(staff, SECRET)
    assert _token_client(client, staff).get("/api/v1/scholarship-applications/").status_code == 200


def test_contact_point_token_is_not_asked_for_two_factor(client, contact_point, require_staff_mfa):
    assert _token_client(client, contact_point).get("/api/v1/me/").status_code == 200


def test_staff_session_without_two_factor_is_refused_by_the_api_too(client, staff, require_staff_mfa):
    client.force_login(staff)
    assert client.get("/api/v1/me/").status_code == 403


def test_a_deactivated_users_token_is_refused(client, contact_point):
    client = _token_client(client, contact_point)
    contact_point.is_active = False
    contact_point.save()
    assert client.get("/api/v1/me/").status_code == 401


def test_two_factor_reset_revokes_tokens_and_sessions(client, project_manager, staff):
    TOTP.activate(staff, SECRET)
    token = Token.objects.create(user=staff)
    client.force_login(staff)
    assert client.get(reverse("members:administration_list")).status_code == 200
    services.two_factor_reset(user=staff, by=project_manager)
    assert not Token.objects.filter(pk=token.pk).exists()
    assert client.get(reverse("members:administration_list")).status_code == 302
    client.logout()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    assert client.get("/api/v1/me/").status_code == 401


def test_changing_ones_password_revokes_tokens_and_other_sessions_but_not_this_one(client, contact_point):
    token = Token.objects.create(user=contact_point)
    other_device = client.__class__()
    other_device.force_login(contact_point)
    client.post(reverse("account_login"), {"login": contact_point.email, "password": PASSWORD})
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-brand-new-secret-7", "password2": "a-brand-new-secret-7"},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()
    assert client.get(reverse("members:api_token")).status_code == 200  # this session goes on
    assert other_device.get(reverse("members:api_token")).status_code == 302  # the other one is signed out


def test_a_password_reset_revokes_tokens(
    client, contact_point, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    token = Token.objects.create(user=contact_point)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": contact_point.email})
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/password/reset/key/" in line).strip()
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    client.post(form_url, {"password1": "reset-to-this-secret-9", "password2": "reset-to-this-secret-9"})
    contact_point.refresh_from_db()
    assert contact_point.check_password("reset-to-this-secret-9")
    assert not Token.objects.filter(pk=token.pk).exists()


def _api_views(resolver=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "cls", None)
            if view_class is not None and issubclass(view_class, APIView):
                yield pattern, view_class


def test_every_api_view_authenticates_through_the_policy():
    views = list(_api_views())
    assert len(views) > 30
    for pattern, view_class in views:
        for authentication_class in view_class().get_authenticators():
            assert isinstance(authentication_class, PortalAuthenticationPolicy), (pattern, authentication_class)


def test_the_admins_change_password_link_leads_to_the_account_page(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")
