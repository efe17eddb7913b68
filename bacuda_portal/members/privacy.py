"""The members app's personal data in the data-protection register: user accounts, contact points' details and
invitations. Selectors live here, the erase services in ``erasure.py``.

Staff accounts are never erased by the dormant-account rule: the project manager closes them (and only the
project manager may carry out a staff member's erasure request; see ``privacy_access``).
"""

import datetime as dt

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import Token

from bacuda_portal.core import privacy

from .enums import STAFF_ROLES
from .erasure import contact_point_erase, invitation_erase, user_account_erase
from .models import ContactPoint, Invitation, User

ERASED_ADDRESS = "@" + privacy.ERASED_DOMAIN


# --- User accounts -----------------------------------------------------------------------------------------------
def accounts_held() -> QuerySet[User]:
    return User.objects.exclude(email__iendswith=ERASED_ADDRESS)


def accounts_due(now: dt.datetime) -> QuerySet[User]:
    """Accounts (staff excepted) nobody signed in to for the retention period (never: since they were made)."""
    cutoff = privacy.years_before(now, settings.BACUDA_RETENTION_DORMANT_ACCOUNT_YEARS)
    dormant = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    return accounts_held().filter(dormant, is_superuser=False).exclude(role__in=STAFF_ROLES)


def _account_export(user: User) -> dict:
    contact_point = ContactPoint.objects.filter(user=user).select_related("administration").first()
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "preferred_language": user.preferred_language,
        "active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user)
        ],
        "two_factor_methods": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        "has_api_token": Token.objects.filter(user=user).exists(),
        "contact_point": {
            "administration": contact_point.administration.code,
            "role": contact_point.role,
            "position": contact_point.position,
            "phone": contact_point.phone,
            "active_from": contact_point.active_from,
            "active_to": contact_point.active_to,
        }
        if contact_point
        else None,
    }


def _account_retention() -> str:
    years = settings.BACUDA_RETENTION_DORMANT_ACCOUNT_YEARS
    return ngettext(
        "As long as you use it; an account nobody signed in to for %(count)d year is closed and erased (staff "
        "accounts are closed by the project manager). You may ask for its erasure at any time.",
        "As long as you use it; an account nobody signed in to for %(count)d years is closed and erased (staff "
        "accounts are closed by the project manager). You may ask for its erasure at any time.",
        years,
    ) % {"count": years}


privacy.register(
    privacy.Category(
        key="members.accounts",
        title=_("User accounts"),
        purpose=_("To let you sign in and use the portal in your role, and to record who did what."),
        legal_basis=_("Your use of the portal; for staff and contact points, their function."),
        data=_(
            "Email addresses, full name, role, preferred language, when you joined and last signed in, two-factor "
            "devices, API token, and the record of what you did in the portal (audit log)."
        ),
        retention=_account_retention,
        held=accounts_held,
        due=accounts_due,
        due_since="date_joined",
        erase=user_account_erase,
        of_subject=lambda subject: User.objects.filter(pk=subject.user_id),
        export=_account_export,
        order=100,  # last: the other categories find the person's rows through the account
        display_order=10,
    )
)


# --- Contact points' details -------------------------------------------------------------------------------------
def contact_points_held() -> QuerySet[ContactPoint]:
    return ContactPoint.objects.exclude(position="", phone="")


def contact_points_due(now: dt.datetime) -> QuerySet[ContactPoint]:
    cutoff = privacy.years_before(timezone.localtime(now), settings.BACUDA_RETENTION_CONTACT_POINT_YEARS).date()
    return contact_points_held().filter(active_to__lt=cutoff)


def _contact_point_retention() -> str:
    years = settings.BACUDA_RETENTION_CONTACT_POINT_YEARS
    return ngettext(
        "%(count)d year after the role ends; then the position and telephone are erased.",
        "%(count)d years after the role ends; then the position and telephone are erased.",
        years,
    ) % {"count": years}


privacy.register(
    privacy.Category(
        key="members.contact_points",
        title=_("Contact points of Member administrations"),
        purpose=_("To know who speaks for each administration in the BACUDA project, and how to reach them."),
        legal_basis=_("The administration's designation of its contact point."),
        data=_("Administration, role, position, telephone, the period of the role."),
        retention=_contact_point_retention,
        held=contact_points_held,
        due=contact_points_due,
        due_since="active_to",
        erase=contact_point_erase,
        of_subject=lambda subject: ContactPoint.objects.filter(user_id=subject.user_id),
        export=lambda row: {"administration": row.administration.code, "position": row.position, "phone": row.phone},
        order=70,
        display_order=60,
    )
)


# --- Invitations -------------------------------------------------------------------------------------------------
def invitations_held() -> QuerySet[Invitation]:
    return Invitation.objects.exclude(email__iendswith=ERASED_ADDRESS)


def invitations_due(now: dt.datetime) -> QuerySet[Invitation]:
    # An invitation is accepted or revoked before it expires: its expiry is its last event.
    return invitations_held().filter(expires_at__lt=now - dt.timedelta(days=settings.BACUDA_RETENTION_INVITATION_DAYS))


def invitations_of(subject: privacy.DataSubject) -> QuerySet[Invitation]:
    return Invitation.objects.annotate(address=Lower("email")).filter(address__in=subject.emails)


def _invitation_retention() -> str:
    days = settings.BACUDA_RETENTION_INVITATION_DAYS
    return ngettext(
        "%(count)d day after the invitation expires; then the name and address are erased.",
        "%(count)d days after the invitation expires; then the name and address are erased.",
        days,
    ) % {"count": days}


privacy.register(
    privacy.Category(
        key="members.invitations",
        title=_("Invitations to become a contact point"),
        purpose=_("To invite the person an administration designates, with a link only they receive."),
        legal_basis=_("The administration's designation of its contact point."),
        data=_("Name and email address of the person invited, the administration, the dates."),
        retention=_invitation_retention,
        held=invitations_held,
        due=invitations_due,
        due_since="expires_at",
        erase=invitation_erase,
        of_subject=invitations_of,
        export=lambda row: {
            "administration": row.administration.code,
            "email": row.email,
            "full_name": row.full_name,
            "sent_at": row.created_at,
            "accepted_at": row.accepted_at,
        },
        order=60,
        display_order=61,
    )
)
