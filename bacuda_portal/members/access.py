"""Who may see or change what: the one place the members app decides it.

Views, the API, the admin (through ``backends.AccessLayerPermissionBackend``) and other apps ask here; none
of them writes its own ownership check. Anything a user may not see is reported as "not found".
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from .enums import STAFF_ROLES, Role
from .models import Administration, ContactPoint, Invitation

# Permissions nobody gets in the admin, whatever their role: the audit log and heartbeats are written by the
# system only, regions are the fixed six, and Members are retired rather than deleted.
_NEVER_IN_ADMIN = frozenset(
    {
        "core.add_auditentry",
        "core.change_auditentry",
        "core.delete_auditentry",
        "core.add_workerheartbeat",
        "core.change_workerheartbeat",
        "members.add_region",
        "members.delete_region",
        "members.delete_administration",
    }
)
# Permissions only the project manager holds: deleting people and their data, and people's sign-in addresses
# (changing someone's address, then asking for a password reset, would take their account over).
_PROJECT_MANAGER_ONLY = frozenset(
    {
        "members.delete_user",
        "members.delete_contactpoint",
        "account.add_emailaddress",
        "account.change_emailaddress",
        "account.delete_emailaddress",
    }
)


def is_wco_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role in STAFF_ROLES))


def is_project_manager(user) -> bool:
    return is_wco_staff(user) and (user.is_superuser or user.role == Role.PROJECT_MANAGER)


def administration_of(user) -> Administration | None:
    """The administration an active contact point speaks for; None for everyone else. Cached per user object."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if not hasattr(user, "_bacuda_administration"):
        contact_point = ContactPoint.objects.active().select_related("administration__region").filter(user=user).first()
        user._bacuda_administration = contact_point.administration if contact_point else None
    return user._bacuda_administration


def is_contact_point(user) -> bool:
    return administration_of(user) is not None


def can_view_administration(user, administration: Administration) -> bool:
    if is_wco_staff(user):
        return True
    own = administration_of(user)
    return own is not None and own.pk == administration.pk


def get_administration_for(user, code: str) -> Administration:
    """The administration page's object, or 404 for anyone who may not see it."""
    administration = Administration.objects.select_related("region").filter(code=code.upper()).first()
    if administration is None or not can_view_administration(user, administration):
        raise Http404
    return administration


def administrations_visible_to(user) -> QuerySet[Administration]:
    """Administrations whose portal data (contact points, activity) the user may see."""
    if is_wco_staff(user):
        return Administration.objects.all()
    own = administration_of(user)
    return Administration.objects.filter(pk=own.pk) if own else Administration.objects.none()


def contact_points_visible_to(user) -> QuerySet[ContactPoint]:
    return ContactPoint.objects.filter(administration__in=administrations_visible_to(user))


def can_manage_contact_points(user, administration: Administration) -> bool:
    """Invite, revoke and end contact points: WCO staff only (contact points cannot co-opt others)."""
    return is_wco_staff(user)


def get_invitation_for_staff(user, pk: int) -> Invitation:
    if not is_wco_staff(user):
        raise Http404
    invitation = Invitation.objects.select_related("administration").filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def can_view_operations(user) -> bool:
    """The health page and other operational views."""
    return is_wco_staff(user)


def is_staff_account(account) -> bool:
    """A WCO staff account, active or not (a deactivated one must not be revived by just anyone)."""
    return bool(account.is_superuser or account.role in STAFF_ROLES)


def is_manager_account(account) -> bool:
    return bool(account.is_superuser or account.role == Role.PROJECT_MANAGER)


def can_manage_account(user, account) -> bool:
    """Change someone's account (role, activation, name, language, two-factor, tokens, reset links).

    WCO staff manage the accounts of Members, experts, reviewers and applicants; only the project manager manages
    staff accounts, their own included. Nobody sets another person's password (see services).
    """
    if not is_wco_staff(user):
        return False
    if is_staff_account(account):
        return is_project_manager(user)
    return True


def needs_two_factor_setup(user) -> bool:
    """Staff must have an authenticator before using the portal in any way (session, token...) when required."""
    if not (settings.BACUDA_STAFF_MFA_REQUIRED and is_wco_staff(user)):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def can_assign_role(user, role: str) -> bool:
    """Only the project manager makes someone WCO staff."""
    if role in STAFF_ROLES:
        return is_project_manager(user)
    return is_wco_staff(user)


# Apps whose rows only the project manager changes: the periodic tasks run any registered task with any
# arguments (an email to anyone from the portal's address, for one).
_PROJECT_MANAGER_ONLY_APPS = frozenset({"django_celery_beat"})


def has_admin_permission(user, perm: str) -> bool:
    """Answers Django's ``user.has_perm`` for every admin page, ours and third-party apps' alike."""
    if not is_wco_staff(user) or perm in _NEVER_IN_ADMIN:
        return False
    app_label, _dot, codename = perm.partition(".")
    changes_a_manager_only_app = app_label in _PROJECT_MANAGER_ONLY_APPS and not codename.startswith("view_")
    if perm in _PROJECT_MANAGER_ONLY or changes_a_manager_only_app:
        return is_project_manager(user)
    return True


def has_admin_module_permission(user, app_label: str) -> bool:
    return is_wco_staff(user)
