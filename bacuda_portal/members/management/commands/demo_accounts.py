from django.conf import settings
from django.core.management.base import BaseCommand

from bacuda_portal.members.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS
from bacuda_portal.members.enums import Role


class Command(BaseCommand):
    help = "Print the demo accounts (one per role) with their password (after seed_demo)."

    def handle(self, *args, **options):
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
