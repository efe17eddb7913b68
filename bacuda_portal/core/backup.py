"""Back up the database and the uploaded files into one folder, and restore them into an empty instance.

A backup folder holds:

- ``database.json``: every row, written by ``dumpdata`` with natural keys (content types and permissions are
  referred to by name, so the fixture loads into any freshly migrated instance, on SQLite or PostgreSQL alike).
  Content types and permissions are left out (``migrate`` creates them) and so are sessions (a restore signs
  everyone out).
- ``files.tar.gz``: the public media folder (``MEDIA_ROOT``) under ``media/`` and the private uploads
  (``PRIVATE_MEDIA_ROOT``: CVs, receipts, application documents, certificates, datasets) under ``private/``.
- ``manifest.json``: when and from what it was made, the row count of every model, and the SHA-256 of every file
  in the archive and of the two data files.

``restore_backup`` checks the folder against its manifest first, refuses a database that already has users or
audit entries (unless forced), loads the rows, unpacks the files, and then compares the instance with the manifest:
row counts per model and the checksum of every file. What does not match is returned, so that the command can say
exactly what is missing.

JSON rather than ``pg_dump``: one format that restores on both engines and across PostgreSQL versions, readable
with any tool. A large instance should add the database's own dumps (``pg_dump -Fc``) on its own schedule; see
docs/production.md.
"""

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction

DATABASE_FILE = "database.json"
FILES_ARCHIVE = "files.tar.gz"
MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1
# Created by migrate in every instance, or not worth keeping.
EXCLUDED = ("contenttypes", "auth.permission", "sessions")


class BackupError(Exception):
    """The backup folder is incomplete or damaged, or the target instance is not empty."""


@dataclass
class Verification:
    missing_rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # model: (expected, found)
    extra_rows: dict[str, tuple[int, int]] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing_rows or self.missing_files or self.changed_files)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def _backed_up_models():
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in EXCLUDED or meta.label_lower in EXCLUDED:
            continue
        yield model


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in _backed_up_models()}


def _files_on_disk() -> dict[str, Path]:
    found = {}
    for name, root in _file_roots().items():
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    found[f"{name}/{path.relative_to(root).as_posix()}"] = path
    return found


def _natural(model) -> bool:
    return hasattr(model, "natural_key")


def _rows(model):
    """Every row of ``model`` in primary-key order, with what natural keys need joined or prefetched.

    ``dumpdata --natural-foreign`` fetches the related object of every foreign key to a model with a natural key
    (the user, for instance) one query per row; at 40,000 nominations that is most of the time. Joining them here
    gives the same output in a few queries per thousand rows.
    """
    meta = model._meta
    joined = [
        field.name
        for field in meta.concrete_fields
        if field.is_relation and field.many_to_one and _natural(field.related_model)
    ]
    prefetched = [field.name for field in meta.many_to_many if field.remote_field.through._meta.auto_created]
    rows = model._default_manager.order_by(meta.pk.name)
    if joined:
        rows = rows.select_related(*joined)
    if prefetched:
        rows = rows.prefetch_related(*prefetched)
    return rows.iterator(chunk_size=2000)


def _dump(target: Path) -> None:
    """One JSON array of every row (the ``dumpdata`` format, natural keys on), written model by model."""
    models = serializers.sort_dependencies([(None, list(_backed_up_models()))], allow_cycles=True)
    with target.open("w", encoding="utf-8") as handle:
        handle.write("[")
        first = True
        for model in models:
            chunk = serializers.serialize(
                "json", _rows(model), use_natural_foreign_keys=True, use_natural_primary_keys=True
            )
            inner = chunk.strip()[1:-1].strip()
            if inner:
                handle.write(("" if first else ",\n") + inner)
                first = False
        handle.write("]\n")


def create_backup(output: Path) -> dict:
    """Write a backup into ``output`` (created; must be empty if it exists). Returns the manifest."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty.")
    output.mkdir(parents=True, exist_ok=True)
    outermost = not connection.in_atomic_block
    with transaction.atomic():  # one consistent picture of the rows (a snapshot on PostgreSQL)
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = row_counts()
        _dump(output / DATABASE_FILE)
    files = {}
    with tarfile.open(output / FILES_ARCHIVE, "w:gz") as archive:
        for name, path in _files_on_disk().items():
            files[name] = _sha256(path)
            archive.add(path, arcname=name, recursive=False)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "django": django.get_version(),
        "database_vendor": connection.vendor,
        "rows": counts,
        "files": files,
        "checksums": {DATABASE_FILE: _sha256(output / DATABASE_FILE), FILES_ARCHIVE: _sha256(output / FILES_ARCHIVE)},
    }
    (output / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def read_manifest(folder: Path) -> dict:
    """The folder's manifest, after checking that its data files are there and unchanged."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"No {MANIFEST_FILE} in {folder}.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["checksums"].items():
        path = folder / name
        if not path.exists():
            raise BackupError(f"{name} is missing from {folder}.")
        if _sha256(path) != expected:
            raise BackupError(f"{name} does not match its checksum in the manifest: the backup is damaged.")
    return manifest


def instance_is_empty() -> bool:
    """Nobody has signed up and nothing has happened: what a freshly migrated instance looks like."""
    from django.contrib.auth import get_user_model

    from .models import AuditEntry

    return not get_user_model().objects.exists() and not AuditEntry.objects.exists()


def _extract(folder: Path) -> None:
    roots = _file_roots()
    with tarfile.open(folder / FILES_ARCHIVE, "r:gz") as archive:
        for member in archive.getmembers():
            top, _, relative = member.name.partition("/")
            if not member.isfile() or top not in roots or not relative:
                continue
            target = (roots[top] / relative).resolve()
            if roots[top].resolve() not in target.parents:
                raise BackupError(f"Refusing to write outside the media folders: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            with target.open("wb") as handle:
                shutil.copyfileobj(source or io.BytesIO(), handle)


def verify(manifest: dict) -> Verification:
    """Compare this instance with a manifest: rows per model and every file's checksum."""
    result = Verification()
    counts = row_counts()
    for model, expected in manifest["rows"].items():
        found = counts.get(model, 0)
        if found < expected:
            result.missing_rows[model] = (expected, found)
        elif found > expected:
            result.extra_rows[model] = (expected, found)
    on_disk = _files_on_disk()
    for name, expected in manifest["files"].items():
        if name not in on_disk:
            result.missing_files.append(name)
        elif _sha256(on_disk[name]) != expected:
            result.changed_files.append(name)
    return result


def restore_backup(folder: Path, *, force: bool = False) -> Verification:
    folder = Path(folder)
    manifest = read_manifest(folder)
    if not force and not instance_is_empty():
        raise BackupError(
            "This database already has users or audit entries. Restore into an empty instance "
            "(a freshly migrated database), or use --force to load over it."
        )
    with transaction.atomic():
        call_command("loaddata", str(folder / DATABASE_FILE), verbosity=0)
    _extract(folder)
    return verify(manifest)
