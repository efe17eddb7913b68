"""``manage.py restore DIR``: load a backup into an empty instance, then check that nothing is missing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bacuda_portal.core import backup


class Command(BaseCommand):
    help = (
        "Restore a folder written by `manage.py backup` into an empty, freshly migrated instance, then compare "
        "row counts per model and file checksums with the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--force", action="store_true", help="load even though the database already has users or audit entries"
        )
        parser.add_argument("--verify-only", action="store_true", help="only compare this instance with the backup")

    def handle(self, *args, folder, force=False, verify_only=False, **options):
        try:
            if verify_only:
                result = backup.verify(backup.read_manifest(Path(folder)))
            else:
                result = backup.restore_backup(Path(folder), force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        for model, (expected, found) in sorted(result.extra_rows.items()):
            self.stdout.write(f"More rows than in the backup: {model}: {found} (backup {expected})")
        for model, (expected, found) in sorted(result.missing_rows.items()):
            self.stdout.write(f"MISSING rows: {model}: {found} of {expected}")
        for name in result.missing_files:
            self.stdout.write(f"MISSING file: {name}")
        for name in result.changed_files:
            self.stdout.write(f"CHANGED file (checksum differs): {name}")
        if not result.ok:
            raise CommandError("The instance does not match the backup: see the lines above.")
        self.stdout.write(self.style.SUCCESS("Restored and verified: every row count and every file matches."))
