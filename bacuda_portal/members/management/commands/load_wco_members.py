from django.core.management.base import BaseCommand

from bacuda_portal.members import reference_data, services


class Command(BaseCommand):
    help = (
        "Create or update WCO regions and Member administrations from CSV files (default: the shipped list). "
        "Matches rows by code; never deletes or retires (staff retire a Member in the admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", default=str(reference_data.MEMBERS_FILE), help="Members CSV file.")
        parser.add_argument("--regions", default=str(reference_data.REGIONS_FILE), help="Regions CSV file.")

    def handle(self, *args, members, regions, **options):
        from pathlib import Path

        result = services.reference_data_sync(members_file=Path(members), regions_file=Path(regions))
        self.stdout.write(
            f"{len(result.created)} created, {len(result.updated)} updated, {result.unchanged} unchanged."
        )
        for code in result.created:
            self.stdout.write(f"  + {code}")
        for code in result.updated:
            self.stdout.write(f"  ~ {code}")
