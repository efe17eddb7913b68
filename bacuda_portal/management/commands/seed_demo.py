"""Demo data for a first look at the portal (``make run``): each app seeds its own part (its ``demo.py``); this
command, in the project package, only puts them in order. Idempotent."""

import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from algorithms.demo import seed_algorithms
from algorithms.scale import seed_large_jobs
from bacuda_portal.members.demo import has_reference_data, seed_members
from bacuda_portal.members.scale import large_set_loaded, seed_large_contact_points
from bacuda_portal.reports.demo import seed_reports
from scholarships.demo import seed_scholarships
from scholarships.scale import seed_large_scholarships
from workshops.demo import seed_workshops
from workshops.scale import seed_large_workshops

LARGE_SEED = 20261124


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
        if not has_reference_data():
            raise CommandError("No administrations: run `python manage.py migrate` first.")
        users = seed_members()
        manager, officer = users["manager@example.org"], users["officer@example.org"]
        contact_point = users["contact.kenya@example.org"]
        seed_workshops(
            manager=manager, officer=officer, contact_point=contact_point, expert_user=users["expert@example.org"]
        )
        seed_reports(manager=manager)
        seed_algorithms(manager=manager, contact_point=contact_point)
        seed_scholarships(officer=officer, reviewer_user=users["reviewer@example.org"])
        if scale == "large":
            self._seed_large(officer)
        if not quiet:
            call_command("demo_accounts", stdout=self.stdout)

    def _seed_large(self, officer):
        if large_set_loaded():
            self.stdout.write("The large data set is already loaded.")
            return
        started = time.perf_counter()
        rng = random.Random(LARGE_SEED)  # noqa: S311 - repeatable demo data, not security
        seed_large_contact_points(rng=rng)
        seed_large_workshops(rng=rng, officer=officer)
        seed_large_scholarships(rng=rng)
        seed_large_jobs(rng=rng, officer=officer)
        self.stdout.write(f"Large data set loaded in {time.perf_counter() - started:.0f} s.")
