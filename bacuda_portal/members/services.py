"""Every write and state change of the members app: one function each, in a transaction, audited."""

import secrets
from datetime import date
from pathlib import Path

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record

from . import access, reference_data
from .enums import ContactPointRole, InvitationStatus, Language, Role
from .models import Administration, ContactPoint, Invitation, Region, User, hash_invitation_token


# --- Invitations ---------------------------------------------------------------------------------------
def _invitation_link(token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("members:invitation_accept", kwargs={"token": token})


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    send_templated_email(
        template="members/invitation",
        to=[invitation.email],
        language=invitation.language,
        context={
            "full_name": invitation.full_name,
            "administration_name": invitation.administration.name_fr
            if invitation.language == "fr"
            else invitation.administration.name_en,
            "invited_by": str(invitation.invited_by) if invitation.invited_by else "",
            "link": _invitation_link(token, invitation.language),
            "expires_at": invitation.expires_at,
        },
    )


def check_invitable(*, email: str, administration: Administration) -> str:
    """The normalised address, or ValidationError when no invitation may be sent (shared with forms)."""
    email = User.objects.normalize_email(email).strip().lower()
    if not administration.is_member:
        raise ValidationError(_("%(name)s is no longer a WCO Member.") % {"name": administration.name})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _("An account with this email address already exists; it cannot be invited as a new contact point.")
        )
    return email


@transaction.atomic
def invitation_create(
    *,
    email: str,
    administration: Administration,
    by: User,
    contact_point_role: str = ContactPointRole.BACUDA_FOCAL_POINT,
    full_name: str = "",
    language: str = "en",
) -> tuple[Invitation, str]:
    """Invite someone to become a contact point of ``administration``.

    Side effects: earlier pending invitations of the same address for the same administration are revoked;
    audit record; the invitation email (with the only copy of the token) is queued after commit.
    Returns the invitation and its token.
    """
    email = check_invitable(email=email, administration=administration)
    now = timezone.now()
    Invitation.objects.filter(
        email__iexact=email, administration=administration, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name,
        administration=administration,
        contact_point_role=contact_point_role,
        language=language,
        token_hash=hash_invitation_token(token),
        expires_at=now + settings.BACUDA_INVITATION_VALIDITY,
        invited_by=by,
    )
    audit_record(actor=by, action="members.invitation.created", target=invitation, email=email)
    _send_invitation_email(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> str:
    """A fresh link and a fresh validity period for a pending or expired invitation.

    Side effects: the old link stops working; audit record; the email is queued after commit.
    """
    if invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise TransitionError(_("Only a pending or expired invitation can be sent again."))
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_invitation_token(token)
    invitation.expires_at = timezone.now() + settings.BACUDA_INVITATION_VALIDITY
    invitation.save(update_fields=["token_hash", "expires_at", "updated_at"])
    audit_record(actor=by, action="members.invitation.resent", target=invitation)
    _send_invitation_email(invitation, token)
    return token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Pending -> revoked. Side effects: audit record; the link stops working."""
    if invitation.status != InvitationStatus.PENDING:
        raise TransitionError(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=by, action="members.invitation.revoked", target=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Pending -> accepted: creates the user (email verified by the link) and their contact point.

    Side effects: audit record. Raises TransitionError for a used, revoked or expired invitation and
    ValidationError for a password the validators refuse.
    """
    # Lock the row: two clicks on the same link must not create two accounts.
    invitation = Invitation.objects.select_for_update().select_related("administration").get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise TransitionError(_("This invitation link has already been used, was withdrawn or has expired."))
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise TransitionError(_("An account with this email address already exists. Please sign in instead."))
    user = User(
        email=invitation.email,
        full_name=full_name.strip(),
        role=Role.CONTACT_POINT,
        preferred_language=invitation.language,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    ContactPoint.objects.create(user=user, administration=invitation.administration, role=invitation.contact_point_role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_record(actor=user, action="members.invitation.accepted", target=invitation)
    return user


# --- Contact points ------------------------------------------------------------------------------------
@transaction.atomic
def contact_point_end(*, contact_point: ContactPoint, by: User, on: date | None = None) -> ContactPoint:
    """Active -> ended on ``on`` (today by default). Side effects: audit record; the person loses access."""
    on = on or timezone.localdate()
    if contact_point.active_to is not None and contact_point.active_to <= on:
        raise TransitionError(_("This contact point has already ended."))
    if on < contact_point.active_from:
        raise ValidationError(_("The end date cannot be before the start date."))
    contact_point.active_to = on
    contact_point.save(update_fields=["active_to", "updated_at"])
    audit_record(actor=by, action="members.contact_point.ended", target=contact_point, on=on.isoformat())
    return contact_point


# --- Administrations -----------------------------------------------------------------------------------
@transaction.atomic
def administration_retire(*, administration: Administration, by: User, on: date | None = None) -> Administration:
    """Current -> retired (the Member left the WCO). Side effects: audit record; no new invitations."""
    if not administration.is_member:
        raise TransitionError(_("This Member is already retired."))
    administration.retired_on = on or timezone.localdate()
    administration.save(update_fields=["retired_on", "updated_at"])
    audit_record(actor=by, action="members.administration.retired", target=administration)
    return administration


@transaction.atomic
def administration_reinstate(*, administration: Administration, by: User) -> Administration:
    """Retired -> current. Side effects: audit record."""
    if administration.is_member:
        raise TransitionError(_("This Member is current."))
    administration.retired_on = None
    administration.save(update_fields=["retired_on", "updated_at"])
    audit_record(actor=by, action="members.administration.reinstated", target=administration)
    return administration


@transaction.atomic
def reference_data_sync(
    *, members_file: Path = reference_data.MEMBERS_FILE, regions_file: Path = reference_data.REGIONS_FILE, by=None
) -> reference_data.SyncResult:
    """Create or update regions and administrations from the CSV files; never deletes or retires.

    Side effects: one audit record listing what was created and updated.
    """
    result = reference_data.sync(Region, Administration, members_file=members_file, regions_file=regions_file)
    if result.created or result.updated:
        audit_record(actor=by, action="members.reference_data.synced", created=result.created, updated=result.updated)
    return result


# --- Accounts ------------------------------------------------------------------------------------------
# Fields of an account that staff may change (the email address is the person's sign-in: they change it
# themselves, with verification; nobody changes another person's password).
ACCOUNT_FIELDS = ("full_name", "role", "preferred_language", "is_active")


def _active_managers():
    return User.objects.filter(is_active=True).filter(Q(role=Role.PROJECT_MANAGER) | Q(is_superuser=True))


def account_change_check(*, account: User, by: User, role: str, is_active: bool) -> None:
    """Raise PermissionDenied or ValidationError when ``by`` may not give ``account`` this role and activation."""
    if not access.can_manage_account(by, account):
        raise PermissionDenied(_("Only the project manager manages the accounts of WCO staff."))
    if role != account.role and not access.can_assign_role(by, role):
        raise ValidationError({"role": _("Only the project manager can give a WCO staff role.")})
    stays_manager = is_active and (role == Role.PROJECT_MANAGER or account.is_superuser)
    losing_a_manager = access.is_manager_account(account) and account.is_active and not stays_manager
    if losing_a_manager and not _active_managers().exclude(pk=account.pk).exists():
        raise ValidationError(_("This is the last active project manager: make someone else project manager first."))


def _account_email(*, account: User, template: str, context: dict) -> None:
    send_templated_email(
        template=f"members/{template}",
        to=[account.email],
        language=account.preferred_language,
        context={"full_name": account.full_name, **context},
    )


def _describe_changes(account: User, changes: dict) -> list[str]:
    """The changes in words, in the person's language, for the email they receive."""
    with translation.override(account.preferred_language):
        lines = []
        for field, (old, new) in changes.items():
            if field == "role":
                lines.append(
                    _("Your role changed from %(old)s to %(new)s.") % {"old": Role(old).label, "new": Role(new).label}
                )
            elif field == "is_active":
                lines.append(_("Your account was reactivated.") if new else _("Your account was deactivated."))
            elif field == "full_name":
                lines.append(_("Your name on the portal is now %(name)s.") % {"name": new})
            elif field == "preferred_language":
                lines.append(_("Your preferred language is now %(language)s.") % {"language": Language(new).label})
        return [str(line) for line in lines]


def account_credentials_revoke(*, user: User, sign_out_everywhere: bool = True) -> None:
    """Every API token of ``user`` stops working and, unless told otherwise, every session of theirs ends.

    Called on a two-factor reset, a deactivation and a password change (where Django already ends the other
    sessions). Side effects: tokens deleted; the sessions generation raised (see ``User._get_session_auth_hash``).
    """
    Token.objects.filter(user=user).delete()
    if sign_out_everywhere:
        User.objects.filter(pk=user.pk).update(sessions_generation=F("sessions_generation") + 1)
        user.refresh_from_db(fields=["sessions_generation"])


def _password_link(account: User) -> str:
    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(account)
    with translation.override(account.preferred_language):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(account), "key": token})
    return settings.SITE_URL + path


@transaction.atomic
def account_create(
    *, email: str, full_name: str, role: str, preferred_language: str, by: User, is_active: bool = True
) -> User:
    """Staff open an account for someone (an expert, a reviewer...). It has no password: the person is emailed a
    link to choose one. Only the project manager gives a staff role.

    Side effects: the address is recorded as verified (staff vouch for it; the link proves it); audit record;
    the email with the link is queued after commit.
    """
    if not access.is_wco_staff(by):
        raise PermissionDenied
    if not access.can_assign_role(by, role):
        raise ValidationError({"role": _("Only the project manager can give a WCO staff role.")})
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists.")})
    account = User(
        email=email, full_name=full_name.strip(), role=role, preferred_language=preferred_language, is_active=is_active
    )
    account.set_unusable_password()
    account.full_clean()
    account.save()
    EmailAddress.objects.create(user=account, email=email, verified=True, primary=True)
    audit_record(actor=by, action="members.account.created", target=account, role=role)
    if is_active:
        _account_email(account=account, template="account_created", context={"link": _password_link(account)})
    return account


@transaction.atomic
def account_update(*, account: User, by: User, **values) -> dict:
    """Change an account's name, role, language or activation (``ACCOUNT_FIELDS``); returns the changes made.

    Only the project manager changes a staff account or gives a staff role; a project manager is demoted or
    deactivated only by a project manager, and never the last active one. Side effects: one audit record listing
    each change (old and new value); on deactivation every token and session of the person ends; the person is
    emailed what changed.
    """
    unknown = set(values) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"Not an account field: {', '.join(sorted(unknown))}")
    # Lock the managers' rows: two managers demoting each other at once must not leave none.
    list(_active_managers().select_for_update().values_list("pk", flat=True))
    account = User.objects.select_for_update().get(pk=account.pk)
    changes = {
        field: [getattr(account, field), value] for field, value in values.items() if getattr(account, field) != value
    }
    if not changes:
        return {}
    account_change_check(
        account=account,
        by=by,
        role=values.get("role", account.role),
        is_active=values.get("is_active", account.is_active),
    )
    for field, (_old, new) in changes.items():
        setattr(account, field, new)
    account.full_clean()
    account.save(update_fields=list(changes))
    if "is_active" in changes and not account.is_active:
        account_credentials_revoke(user=account)
    audit_record(actor=by, action="members.account.changed", target=account, changes=changes)
    _account_email(
        account=account, template="account_changed", context={"changes": _describe_changes(account, changes)}
    )
    return changes


@transaction.atomic
def account_password_link_send(*, account: User, by: User) -> None:
    """Staff send someone a link to choose a new password (nobody sets another person's password).

    Side effects: audit record; the email is queued after commit. Staff accounts: the project manager only.
    """
    if not access.can_manage_account(by, account):
        raise PermissionDenied(_("Only the project manager manages the accounts of WCO staff."))
    if not account.is_active:
        raise TransitionError(_("This account is deactivated."))
    audit_record(actor=by, action="members.account.password_reset_link_sent", target=account)
    _account_email(account=account, template="password_link", context={"link": _password_link(account)})


@transaction.atomic
def account_tokens_revoke(*, account: User, by: User) -> None:
    """Staff revoke someone's API tokens (a leaked token). Side effects: audit record; the person is emailed."""
    if not access.can_manage_account(by, account):
        raise PermissionDenied(_("Only the project manager manages the accounts of WCO staff."))
    deleted, _unused = Token.objects.filter(user=account).delete()
    if not deleted:
        raise TransitionError(_("This user has no API token."))
    audit_record(actor=by, action="members.api_token.revoked", target=account)
    _account_email(account=account, template="account_changed", context={"changes": [_revoked_line(account, "token")]})


def _revoked_line(account: User, what: str) -> str:
    with translation.override(account.preferred_language):
        if what == "token":
            return str(_("Your API token was revoked; create a new one on your account page if you need it."))
        return str(
            _(
                "Your two-factor authentication was reset and you were signed out everywhere; set up your "
                "authenticator again when you next sign in."
            )
        )


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> None:
    """Remove a user's authenticators and recovery codes (a lost phone); they set up TOTP again at next sign-in.

    Staff accounts: the project manager only. Side effects: every token and session of the person ends; audit
    record; the person is emailed. Staff with ``BACUDA_STAFF_MFA_REQUIRED`` must set it up before continuing.
    """
    if not access.can_manage_account(by, user):
        raise PermissionDenied(_("Only the project manager manages the accounts of WCO staff."))
    deleted, _unused = Authenticator.objects.filter(user=user).delete()
    if not deleted:
        raise TransitionError(_("This user has no two-factor authentication to reset."))
    account_credentials_revoke(user=user)
    audit_record(actor=by, action="members.two_factor.reset", target=user)
    _account_email(account=user, template="account_changed", context={"changes": [_revoked_line(user, "mfa")]})


def account_deletable(*, account: User, by: User) -> bool:
    """Deleting someone is the project manager's (the admin also asks for the permission); never the last
    active project manager."""
    if not access.is_project_manager(by):
        return False
    if access.is_manager_account(account) and account.is_active:
        return _active_managers().exclude(pk=account.pk).exists()
    return True


@transaction.atomic
def account_delete(*, account: User, by: User) -> None:
    """Side effects: audit record (kept: it names the account by id only). Refuses what ``account_deletable``
    refuses."""
    list(_active_managers().select_for_update().values_list("pk", flat=True))
    if not account_deletable(account=account, by=by):
        raise PermissionDenied(_("Only the project manager deletes accounts, and never the last project manager."))
    audit_record(actor=by, action="members.account.deleted", account_id=account.pk)
    account.delete()


def password_changed(*, user: User) -> None:
    """The person changed, set or reset their own password: their API tokens stop working (Django already ends
    their other sessions, the password being part of each session's hash). Side effects: audit record."""
    account_credentials_revoke(user=user, sign_out_everywhere=False)
    audit_record(actor=user, action="members.password.changed", target=user)


@transaction.atomic
def api_token_regenerate(*, user: User) -> Token:
    """Issue a new API token (the old one stops working). Side effects: audit record."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(actor=user, action="members.api_token.created", target=user)
    return token


@transaction.atomic
def api_token_revoke(*, user: User) -> None:
    """Side effects: audit record when a token existed."""
    deleted, _unused = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, action="members.api_token.revoked", target=user)
