"""Erasure of user accounts, contact points' details and invitations (the members app's part of the
data-protection register, ``members/privacy.py``). Each function erases one row and returns the names and
addresses it removed (for the audit log to be scrubbed of them), or None when there was nothing left to erase.

An erased account is kept as a row (audit entries, decisions and datasets point at it) but no longer names
anyone: its address is an invalid placeholder, its name a pseudonym, its password unusable; it is inactive, its
API tokens, email addresses and two-factor devices are deleted. Its sessions stop working at once: the
authentication backend refuses inactive users, and the changed password hash no longer matches the one each
session was signed with.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from bacuda_portal.core import privacy

from .models import ContactPoint, Invitation, User


@transaction.atomic
def user_account_erase(user: User, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Deactivate and pseudonymise a user account; end the contact point role it held.

    Side effects: the user row; API tokens, allauth email addresses and MFA authenticators deleted; the contact
    point's position and telephone blanked and its role ended today.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if privacy.is_erased_email(user.email):
        return None
    removed = {user.email, user.full_name} | set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    user.email = privacy.erased_email(f"user{user.pk}")
    user.full_name = privacy.pseudonym("user", user.pk)
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    Token.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    contact_point = ContactPoint.objects.filter(user=user).first()
    if contact_point is not None:
        removed |= contact_point_erase(contact_point, now=now, on_request=on_request) or set()
        today = timezone.localdate(now)
        if contact_point.active_to is None or contact_point.active_to > today:
            ContactPoint.objects.filter(pk=contact_point.pk).update(
                active_to=max(today, contact_point.active_from), updated_at=now
            )
    return {text for text in removed if text}


def contact_point_erase(contact_point: ContactPoint, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Blank a contact point's position and telephone; who spoke for which administration, when, stays.
    Side effects: the contact point row."""
    if not contact_point.position and not contact_point.phone:
        return None
    removed = {contact_point.phone}
    ContactPoint.objects.filter(pk=contact_point.pk).update(position="", phone="", updated_at=now)
    return removed


def invitation_erase(invitation: Invitation, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Replace an invitation's address and name; who invited whom to which administration, when, stays.
    Side effects: the invitation row."""
    if privacy.is_erased_email(invitation.email):
        return None
    removed = {invitation.email, invitation.full_name}
    Invitation.objects.filter(pk=invitation.pk).update(
        email=privacy.erased_email("invitation"), full_name="", updated_at=now
    )
    return {text for text in removed if text}
