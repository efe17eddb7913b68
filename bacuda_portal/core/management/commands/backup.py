"""``manage.py backup --output DIR``: the database (JSON with natural keys) and the uploaded files, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bacuda_portal.core import backup


class Command(BaseCommand):
    help = "Back up the database and the public and private media files into an empty folder (see core/backup.py)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="folder to write; created, and must be empty")

    def handle(self, *args, output, **options):
        try:
            manifest = backup.create_backup(Path(output))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {rows:,} rows of {len(manifest['rows'])} models and {len(manifest['files']):,} files "
                f"to {output}."
            )
        )
