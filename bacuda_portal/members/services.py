"""Every write and state change of the members app: one function each, in a transaction, audited."""

import secrets
from datetime import date
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from bacuda_portal.core.emails import send_templated_email
from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record

from . import reference_data
from .enums import ContactPointRole, InvitationStatus, Role
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
@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> None:
    """Remove a user's authenticators and recovery codes (a lost phone); they set up TOTP again at next sign-in.

    Side effects: audit record. Staff with ``BACUDA_STAFF_MFA_REQUIRED`` must set it up before continuing.
    """
    deleted, _unused = Authenticator.objects.filter(user=user).delete()
    if not deleted:
        raise TransitionError(_("This user has no two-factor authentication to reset."))
    audit_record(actor=by, action="members.two_factor.reset", target=user)


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
