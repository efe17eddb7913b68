"""Demo accounts (one per role) and demo workshops, for a first look at the portal. Idempotent."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bacuda_portal.members import services
from bacuda_portal.members.enums import ContactPointRole, Role
from bacuda_portal.members.models import Administration, ContactPoint, Invitation, User

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


class Command(BaseCommand):
    help = "Create the demo accounts (one per role) and print them with their password."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the accounts.")
        parser.add_argument(
            "--scale",
            choices=["demo", "large"],
            default="demo",
            help="large: ten years of activity on top of the demo (1,500 contact points, 800 experts, "
            "2,000 workshops, 40,000 nominations); for benchmarks, on an empty database.",
        )

    @transaction.atomic
    def handle(self, *args, quiet=False, scale="demo", **options):
        if not Administration.objects.exists():
            raise CommandError("No administrations: run `python manage.py migrate` first.")
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
        manager = User.objects.get(email="manager@example.org")
        if not Invitation.objects.filter(email="new.contact@example.org").exists():
            services.invitation_create(
                email="new.contact@example.org",
                full_name="Nadia Benali",
                administration=Administration.objects.get(code="MAR"),
                by=manager,
                language="fr",
            )
        from workshops.demo import seed_workshops

        seed_workshops(
            manager=manager,
            officer=User.objects.get(email="officer@example.org"),
            contact_point=User.objects.get(email="contact.kenya@example.org"),
            expert_user=User.objects.get(email="expert@example.org"),
        )
        from bacuda_portal.reports.demo import seed_reports

        seed_reports(manager=manager)
        from algorithms.demo import seed_algorithms

        seed_algorithms(manager=manager, contact_point=User.objects.get(email="contact.kenya@example.org"))
        from scholarships.demo import seed_scholarships

        seed_scholarships(
            officer=User.objects.get(email="officer@example.org"),
            reviewer_user=User.objects.get(email="reviewer@example.org"),
        )
        if scale == "large":
            self._seed_large()
        if not quiet:
            self._print_accounts()

    def _seed_large(self):
        import random
        import time

        from bacuda_portal.members.models import ContactPoint
        from bacuda_portal.members.scale import seed_large_contact_points
        from workshops.scale import seed_large_workshops

        if ContactPoint.objects.filter(user__email__endswith="@scale.example.org").exists():
            self.stdout.write("The large data set is already loaded.")
            return
        started = time.perf_counter()
        rng = random.Random(20261124)  # noqa: S311 - repeatable demo data, not security
        seed_large_contact_points(rng=rng)
        seed_large_workshops(rng=rng, officer=User.objects.get(email="officer@example.org"))
        from scholarships.scale import seed_large_scholarships

        seed_large_scholarships(rng=rng)
        from algorithms.scale import seed_large_jobs

        seed_large_jobs(rng=rng, officer=User.objects.get(email="officer@example.org"))
        self.stdout.write(f"Large data set loaded in {time.perf_counter() - started:.0f} s.")

    def _print_accounts(self):
        line = "-" * 78
        self.stdout.write(line)
        self.stdout.write(
            f"Demo accounts (password for all: {DEMO_PASSWORD}) at {settings.SITE_URL}/en/accounts/login/"
        )
        self.stdout.write(line)
        for email, _name, role, code, _cp_role in DEMO_USERS:
            where = f" ({code})" if code else ""
            self.stdout.write(f"  {Role(role).label:<28} {email}{where}")
        self.stdout.write(line)
        self.stdout.write(f"  The project manager signs in with TOTP: add the secret {DEMO_TOTP_SECRET}")
        self.stdout.write("  to an authenticator app, or print the current code with `make totp`.")
        self.stdout.write("  Django admin: /admin/ (staff accounts).  API docs: /api/docs/")
        self.stdout.write(line)
