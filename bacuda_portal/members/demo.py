"""Demo accounts for ``seed_demo`` (``make run``): one per role, the Kenyan and Senegalese contact points, a
pending invitation. Idempotent. Demo data only: the password and the TOTP secret are printed by the command."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from . import services
from .enums import ContactPointRole, Role
from .models import Administration, ContactPoint, Invitation, User

DEMO_PASSWORD = "bacuda-demo-2026"
# Base32 secret of the demo project manager's authenticator (add it to any TOTP app). Demo data only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_USERS = [
    # email, full name, role, administration code (contact points), contact point role
    ("manager@example.org", "Mina Park", Role.PROJECT_MANAGER, None, None),
    ("officer@example.org", "Olivier Dubois", Role.PROJECT_OFFICER, None, None),
    ("contact.kenya@example.org", "Wanjiru Kamau", Role.CONTACT_POINT, "KEN", ContactPointRole.BACUDA_FOCAL_POINT),
    ("contact.kenya2@example.org", "Otieno Ouma", Role.CONTACT_POINT, "KEN", ContactPointRole.CLIKC_COORDINATOR),
    ("contact.senegal@example.org", "Awa Ndiaye", Role.CONTACT_POINT, "SEN", ContactPointRole.BACUDA_FOCAL_POINT),
    ("expert@example.org", "Elena Rossi", Role.EXPERT, None, None),
    ("reviewer@example.org", "Raj Mehta", Role.REVIEWER, None, None),
    ("applicant@example.org", "Amadou Diallo", Role.APPLICANT, None, None),
]


def has_reference_data() -> bool:
    """The WCO Members are loaded (by the members data migration)."""
    return Administration.objects.exists()


def seed_members() -> dict[str, User]:
    """The demo accounts by email, with their verified address, contact point and (manager) authenticator."""
    users = {}
    for email, full_name, role, code, contact_point_role in DEMO_USERS:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "role": role})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if code:
            ContactPoint.objects.get_or_create(
                user=user,
                defaults={"administration": Administration.objects.get(code=code), "role": contact_point_role},
            )
        if role == Role.PROJECT_MANAGER and not Authenticator.objects.filter(user=user).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        users[email] = user
    if not Invitation.objects.filter(email="new.contact@example.org").exists():
        services.invitation_create(
            email="new.contact@example.org",
            full_name="Nadia Benali",
            administration=Administration.objects.get(code="MAR"),
            by=users["manager@example.org"],
            language="fr",
        )
    return users
