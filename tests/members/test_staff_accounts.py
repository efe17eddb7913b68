"""Staff accounts are managed by the project manager only, and nobody sets another person's password.

The independent test found that a project officer could open the manager's record in the Django admin, set a
new password, reset their two-factor authentication and sign in as them, or demote them to applicant.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.urls import reverse
from rest_framework.authtoken.models import Token

from bacuda_portal.core.models import AuditEntry
from bacuda_portal.members.enums import Role
from bacuda_portal.members.models import User
from tests.factories import StaffFactory, UserFactory

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _change_url(user):
    return reverse("admin:members_user_change", args=[user.pk])


def _form_data(user, **changes):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "preferred_language": user.preferred_language,
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def other_manager(db):
    return StaffFactory(role=Role.PROJECT_MANAGER, email="pm2@example.org")


# --- The reproduced takeover ------------------------------------------------------------------------------
def test_officer_cannot_set_the_managers_password_in_the_admin(client_as, staff, project_manager):
    client = client_as(staff)
    response = client.post(_change_url(project_manager), _form_data(project_manager, password1="officer-chose-this-1"))
    assert response.status_code == 403
    project_manager.refresh_from_db()
    assert not project_manager.check_password("officer-chose-this-1")
    assert project_manager.check_password("correct-horse-battery")


def test_officer_cannot_demote_or_deactivate_the_manager(client_as, staff, project_manager):
    client = client_as(staff)
    assert (
        client.post(_change_url(project_manager), _form_data(project_manager, role=Role.APPLICANT)).status_code == 403
    )
    assert client.post(_change_url(project_manager), _form_data(project_manager, is_active="")).status_code == 403
    project_manager.refresh_from_db()
    assert project_manager.role == Role.PROJECT_MANAGER
    assert project_manager.is_active


def test_officer_cannot_reset_the_managers_two_factor(client_as, staff, project_manager):
    TOTP.activate(project_manager, SECRET)
    response = client_as(staff).post(
        reverse("admin:members_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [project_manager.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=project_manager).exists()
    assert "Only the project manager" in response.content.decode()


def test_officer_cannot_change_another_officer_either(client_as, staff):
    colleague = StaffFactory(email="officer2@example.org")
    response = client_as(staff).post(_change_url(colleague), _form_data(colleague, full_name="Renamed"))
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.full_name != "Renamed"


def test_officer_may_read_a_staff_record_but_the_page_has_no_form(client_as, staff, project_manager):
    response = client_as(staff).get(_change_url(project_manager))
    assert response.status_code == 200
    assert 'name="role"' not in response.content.decode()


def test_officer_cannot_change_a_staff_members_email_address_records(client_as, staff, project_manager):
    address = EmailAddress.objects.get(user=project_manager)
    url = reverse("admin:account_emailaddress_change", args=[address.pk])
    response = client_as(staff).post(
        url, {"user": project_manager.pk, "email": "attacker@example.org", "verified": "on", "primary": "on"}
    )
    assert response.status_code == 403
    address.refresh_from_db()
    assert address.email == project_manager.email


# --- Nobody sets another person's password --------------------------------------------------------------
def test_the_admin_form_has_no_password_field_even_for_the_manager(client_as, project_manager, applicant):
    content = client_as(project_manager).get(_change_url(applicant)).content.decode()
    assert 'name="password1"' not in content
    client_as(project_manager).post(_change_url(applicant), _form_data(applicant, password1="manager-chose-this-1"))
    applicant.refresh_from_db()
    assert not applicant.check_password("manager-chose-this-1")


def test_email_address_is_read_only_in_the_admin(client_as, project_manager, applicant):
    old = applicant.email
    response = client_as(project_manager).post(_change_url(applicant), _form_data(applicant, email="new@example.org"))
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.email == old


def test_staff_send_a_password_reset_link_instead(
    client_as, staff, applicant, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(staff).post(
            reverse("admin:members_user_changelist"),
            {"action": "send_password_reset_link", "_selected_action": [applicant.pk]},
        )
    assert [message.to for message in mailoutbox] == [[applicant.email]]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/key/" in line).strip()
    assert AuditEntry.objects.filter(action="members.account.password_reset_link_sent", actor=staff).exists()
    # The link works for the person: they choose their own password.
    client = client_as(None)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "chosen-by-myself-42", "password2": "chosen-by-myself-42"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password("chosen-by-myself-42")


def test_a_user_added_in_the_admin_has_no_password_and_gets_a_link(
    client_as, project_manager, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(project_manager).post(
            reverse("admin:members_user_add"),
            {
                "email": "New.Expert@Example.org",
                "full_name": "New Expert",
                "role": Role.EXPERT,
                "preferred_language": "fr",
                "is_active": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.expert@example.org")
    assert not user.has_usable_password()
    assert [message.to for message in mailoutbox] == [[user.email]]
    assert "/password/reset/key/" in mailoutbox[0].body
    assert AuditEntry.objects.filter(action="members.account.created", actor=project_manager).exists()


# --- The project manager manages staff accounts, within limits ------------------------------------------
def test_manager_can_deactivate_an_officer_who_is_told_and_loses_every_way_in(
    client_as, project_manager, staff, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    token = Token.objects.create(user=staff)
    officer_client = client_as(None).__class__()
    officer_client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(project_manager).post(_change_url(staff), _form_data(staff, is_active=""))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    assert not Token.objects.filter(pk=token.pk).exists()
    assert officer_client.get(reverse("home")).status_code == 302  # signed out
    assert [message.to for message in mailoutbox] == [[staff.email]]
    entry = AuditEntry.objects.get(action="members.account.changed", actor=project_manager)
    assert entry.data["changes"]["is_active"] == [True, False]


def test_only_a_manager_can_demote_a_manager_and_the_person_is_told(
    client_as, project_manager, other_manager, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(project_manager).post(
            _change_url(other_manager), _form_data(other_manager, role=Role.PROJECT_OFFICER)
        )
    assert response.status_code == 302
    other_manager.refresh_from_db()
    assert other_manager.role == Role.PROJECT_OFFICER
    assert [message.to for message in mailoutbox] == [[other_manager.email]]
    assert "project officer" in mailoutbox[0].body.lower()


def test_the_last_active_manager_cannot_be_demoted_or_deactivated(client_as, project_manager):
    client = client_as(project_manager)
    for change in ({"role": Role.PROJECT_OFFICER}, {"is_active": ""}):
        response = client.post(_change_url(project_manager), _form_data(project_manager, **change))
        assert response.status_code == 200
        assert "last active project manager" in response.content.decode()
        project_manager.refresh_from_db()
        assert project_manager.role == Role.PROJECT_MANAGER and project_manager.is_active


def test_the_last_active_manager_cannot_be_deleted(client_as, project_manager, other_manager):
    other_manager.is_active = False
    other_manager.save()
    response = client_as(project_manager).post(
        reverse("admin:members_user_delete", args=[project_manager.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=project_manager.pk).exists()


def test_manager_resets_an_officers_two_factor_which_revokes_their_tokens_and_sessions(
    client_as, project_manager, staff, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    TOTP.activate(staff, SECRET)
    token = Token.objects.create(user=staff)
    officer_client = client_as(None).__class__()
    officer_client.force_login(staff)
    assert officer_client.get(reverse("members:administration_list")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client_as(project_manager).post(
            reverse("admin:members_user_changelist"), {"action": "reset_two_factor", "_selected_action": [staff.pk]}
        )
    assert not Authenticator.objects.filter(user=staff).exists()
    assert not Token.objects.filter(pk=token.pk).exists()
    assert officer_client.get(reverse("members:administration_list")).status_code == 302  # signed out
    assert [message.to for message in mailoutbox] == [[staff.email]]


def test_officer_still_manages_non_staff_accounts(client_as, staff, applicant, mailoutbox):
    response = client_as(staff).post(_change_url(applicant), _form_data(applicant, role=Role.REVIEWER))
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.role == Role.REVIEWER
    assert AuditEntry.objects.filter(action="members.account.changed", actor=staff).exists()


def test_officer_cannot_make_anyone_staff_through_the_add_form(client_as, staff):
    response = client_as(staff).post(
        reverse("admin:members_user_add"),
        {
            "email": "sneaky@example.org",
            "full_name": "S",
            "role": Role.PROJECT_MANAGER,
            "preferred_language": "en",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="sneaky@example.org").exists()


def test_officer_cannot_reactivate_a_deactivated_staff_account(client_as, staff):
    former = StaffFactory(email="former@example.org", is_active=False)
    response = client_as(staff).post(_change_url(former), _form_data(former, is_active="on"))
    assert response.status_code == 403
    former.refresh_from_db()
    assert not former.is_active


def test_changing_nothing_sends_nothing(client_as, project_manager, mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory(role=Role.EXPERT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(project_manager).post(_change_url(person), _form_data(person))
    assert response.status_code == 302
    assert mailoutbox == []
    assert not AuditEntry.objects.filter(action="members.account.changed").exists()
    assert mail.outbox == []


def test_only_the_manager_schedules_periodic_tasks(client_as, staff, project_manager):
    # A periodic task runs any registered task with any arguments, e.g. an email to anyone from the portal.
    url = reverse("admin:django_celery_beat_periodictask_add")
    assert client_as(staff).get(url).status_code == 403
    assert client_as(staff).get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 200
    assert client_as(project_manager).get(url).status_code == 200
