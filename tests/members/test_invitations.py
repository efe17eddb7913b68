"""Staff invite a contact point; the single-use link sets a password and lands on the administration page."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.members import services
from bacuda_portal.members.enums import Role
from bacuda_portal.members.models import ContactPoint, Invitation, User
from tests.factories import UserFactory

GOOD_PASSWORD = "Customs-analytics-2026"


@pytest.fixture
def invitation_and_token(staff, kenya):
    return services.invitation_create(
        email="Wanjiru.New@Example.org", full_name="Wanjiru", administration=kenya, by=staff
    )


def _accept(client, token, **overrides):
    data = {"full_name": "Wanjiru Kamau", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, **overrides}
    return client.post(reverse("members:invitation_accept", args=[token]), data)


def test_staff_invitation_emails_a_working_link(
    client, staff, kenya, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:invitation_create", args=["KEN"]),
            {
                "email": "new.cp@example.org",
                "full_name": "Njeri",
                "contact_point_role": "clikc_coordinator",
                "language": "fr",
            },
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.cp@example.org"]
    assert "Kenya" in message.subject
    assert "invite" in message.subject.lower() or "invit" in message.subject.lower()
    html = message.alternatives[0][0]
    assert "Accepter" in html or "accepter" in html  # rendered in the invitee's language (French)
    link = re.search(r"http://\S+/fr/invitation/(\S+)/", message.body)
    assert link, message.body
    invitation = Invitation.objects.get(email="new.cp@example.org")
    assert invitation.token_hash != link.group(1)  # only the hash is stored
    assert AuditEntry.objects.filter(action="members.invitation.created", actor=staff).exists()

    client.logout()
    response = _accept(client, link.group(1))
    assert response.status_code == 302
    assert response["Location"] == "/en/administrations/KEN/"
    user = User.objects.get(email="new.cp@example.org")
    assert user.role == Role.CONTACT_POINT
    assert user.contact_point.administration.code == "KEN"
    assert user.contact_point.role == "clikc_coordinator"
    assert user.emailaddress_set.get().verified
    assert client.get(response["Location"]).status_code == 200  # signed in, on their administration's page


def test_accepting_creates_a_working_login(client, invitation_and_token):
    _invitation, token = invitation_and_token
    _accept(client, token)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "wanjiru.new@example.org", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_accept_page_shows_administration_and_prefills_name(client, invitation_and_token):
    _invitation, token = invitation_and_token
    response = client.get(reverse("members:invitation_accept", args=[token]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kenya" in content
    assert 'value="Wanjiru"' in content


def test_reused_link_gets_a_clear_page_and_changes_nothing(client, invitation_and_token):
    _invitation, token = invitation_and_token
    assert _accept(client, token).status_code == 302
    client.logout()
    response = _accept(
        client, token, full_name="Someone Else", password1="Another-pass-2026", password2="Another-pass-2026"
    )
    assert response.status_code == 410
    assert "already been accepted" in response.content.decode()
    user = User.objects.get(email="wanjiru.new@example.org")
    assert user.full_name == "Wanjiru Kamau"
    assert user.check_password(GOOD_PASSWORD)
    assert User.objects.filter(email__iexact="wanjiru.new@example.org").count() == 1


def test_expired_link_gets_a_clear_page_and_changes_nothing(client, invitation_and_token):
    invitation, token = invitation_and_token
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    for response in (client.get(reverse("members:invitation_accept", args=[token])), _accept(client, token)):
        assert response.status_code == 410
        assert "expired" in response.content.decode()
    assert not User.objects.filter(email="wanjiru.new@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_revoked_link_gets_a_clear_page(client, staff, invitation_and_token):
    invitation, token = invitation_and_token
    services.invitation_revoke(invitation=invitation, by=staff)
    response = _accept(client, token)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not User.objects.filter(email="wanjiru.new@example.org").exists()


def test_unknown_token_gets_a_clear_page(client, db):
    response = client.get(reverse("members:invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_resending_replaces_the_link(client, staff, invitation_and_token):
    invitation, old_token = invitation_and_token
    new_token = services.invitation_resend(invitation=invitation, by=staff)
    assert _accept(client, old_token).status_code == 410
    assert _accept(client, new_token).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"password2": "Something-else-2026"}, "do not match"),
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"password1": "password123", "password2": "password123"}, "too common"),
        ({"full_name": ""}, "required"),
    ],
)
def test_bad_password_keeps_what_was_typed(client, invitation_and_token, overrides, field_error):
    _invitation, token = invitation_and_token
    response = _accept(client, token, **overrides)
    assert response.status_code == 200
    content = response.content.decode()
    assert field_error in content
    if overrides.get("full_name", "x"):
        assert 'value="Wanjiru Kamau"' in content
    assert not User.objects.filter(email="wanjiru.new@example.org").exists()


def test_cannot_invite_an_existing_account(client, staff, kenya):
    UserFactory(email="taken@example.org")
    client.force_login(staff)
    response = client.post(
        reverse("members:invitation_create", args=["KEN"]),
        {"email": "TAKEN@example.org", "full_name": "Typed name", "contact_point_role": "other", "language": "en"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "already exists" in content
    assert 'value="Typed name"' in content
    assert not Invitation.objects.exists()


def test_invalid_invitation_form_keeps_input(client, staff, kenya):
    client.force_login(staff)
    response = client.post(
        reverse("members:invitation_create", args=["KEN"]),
        {"email": "not-an-email", "full_name": "Typed name", "contact_point_role": "other", "language": "en"},
    )
    assert response.status_code == 400
    assert 'value="not-an-email"' in response.content.decode()


def test_reinviting_revokes_the_pending_invitation(staff, kenya):
    first, _first_token = services.invitation_create(email="x@example.org", administration=kenya, by=staff)
    second, _token = services.invitation_create(email="x@example.org", administration=kenya, by=staff)
    first.refresh_from_db()
    assert first.status == "revoked"
    assert second.status == "pending"


def test_cannot_invite_for_a_retired_member(staff, kenya):
    from django.core.exceptions import ValidationError

    services.administration_retire(administration=kenya, by=staff)
    with pytest.raises(ValidationError):
        services.invitation_create(email="x@example.org", administration=kenya, by=staff)


def test_contact_point_is_bound_to_one_administration(contact_point, senegal):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPoint.objects.create(user=contact_point, administration=senegal)
