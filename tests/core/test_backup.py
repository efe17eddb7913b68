"""Backup and restore: a world with rows and files is backed up, restored into a fresh database (a second SQLite
file, migrated by a separate process, whatever engine the suite runs on), and compared row by row and byte by byte."""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from bacuda_portal.core import backup
from bacuda_portal.core.services import audit_record
from tests.factories import ContactPointFactory

# The backup reads the test database through the test's own connection (dumpdata), so a plain db test works.
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(kenya, staff):
    contact = ContactPointFactory(administration=kenya, user__email="backup.person@example.org").user
    audit_record(actor=staff, action="test.backup.marker", target=kenya, note="Émile Zola ✓")
    private = Path(settings.PRIVATE_MEDIA_ROOT) / "backup-test" / "cv.pdf"
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_bytes(b"%PDF-1.4 private bytes \x00\xff")
    public = Path(settings.MEDIA_ROOT) / "news" / "picture.png"
    public.parent.mkdir(parents=True, exist_ok=True)
    public.write_bytes(b"\x89PNG public bytes")
    yield {"contact": contact, "private": private, "public": public}
    private.unlink(missing_ok=True)
    public.unlink(missing_ok=True)


def _fresh_instance(tmp_path: Path) -> dict:
    """Environment of a second, empty instance: its own SQLite file and media folders, migrated."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bacuda_portal.settings.base",
        "DJANGO_DEBUG": "False",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "BACUDA_PRIVATE_MEDIA_ROOT": str(tmp_path / "restored-private"),
        "BACUDA_BROKER_DIR": str(tmp_path / "broker"),
    }
    env.pop("REDIS_URL", None)
    result = _manage(env, "migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_backup_writes_rows_files_and_a_manifest(world, tmp_path):
    out = tmp_path / "backup"
    call_command("backup", output=str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows"]["members.user"] >= 2
    assert manifest["rows"]["core.auditentry"] >= 1
    assert "contenttypes.contenttype" not in manifest["rows"]
    assert manifest["files"]["private/backup-test/cv.pdf"] == backup._sha256(world["private"])
    assert manifest["files"]["media/news/picture.png"] == backup._sha256(world["public"])
    fixture = json.loads((out / "database.json").read_text())
    emails = {row["fields"].get("email") for row in fixture if row["model"] == "members.user"}
    assert "backup.person@example.org" in emails
    with tarfile.open(out / "files.tar.gz") as archive:
        assert archive.extractfile("private/backup-test/cv.pdf").read() == world["private"].read_bytes()


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", output=str(tmp_path))


def test_restore_into_a_fresh_instance_then_refuse_a_second_time(world, tmp_path):
    out = tmp_path / "backup"
    call_command("backup", output=str(out))
    env = _fresh_instance(tmp_path)

    result = _manage(env, "restore", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every row count and every file matches" in result.stdout

    # Independently of the command's own check: the rows and the bytes are there.
    database = sqlite3.connect(tmp_path / "restored.sqlite3")
    users = {row[0] for row in database.execute("SELECT email FROM members_user")}
    assert {"backup.person@example.org", "officer@example.org"} <= users
    (data,) = database.execute("SELECT data FROM core_auditentry WHERE action = 'test.backup.marker'").fetchone()
    assert json.loads(data) == {"note": "Émile Zola ✓"}
    (kenya_contacts,) = database.execute(
        "SELECT count(*) FROM members_contactpoint cp JOIN members_administration a ON a.id = cp.administration_id "
        "WHERE a.code = 'KEN'"
    ).fetchone()
    assert kenya_contacts == 1
    assert (tmp_path / "restored-private/backup-test/cv.pdf").read_bytes() == world["private"].read_bytes()
    assert (tmp_path / "restored-media/news/picture.png").read_bytes() == world["public"].read_bytes()

    again = _manage(env, "restore", str(out))
    assert again.returncode != 0
    assert "already has users" in again.stderr

    # A file lost after the restore is named by the check.
    (tmp_path / "restored-private/backup-test/cv.pdf").unlink()
    check = _manage(env, "restore", "--verify-only", str(out))
    assert check.returncode != 0
    assert "MISSING file: private/backup-test/cv.pdf" in check.stdout


def test_a_damaged_backup_is_refused_before_anything_is_loaded(world, tmp_path):
    out = tmp_path / "backup"
    call_command("backup", output=str(out))
    with (out / "database.json").open("a") as handle:
        handle.write(" ")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(out), force=True)


def test_verify_names_missing_rows(world, tmp_path):
    out = tmp_path / "backup"
    call_command("backup", output=str(out))
    manifest = backup.read_manifest(out)
    world["contact"].contact_point.delete()
    result = backup.verify(manifest)
    assert not result.ok
    expected = manifest["rows"]["members.contactpoint"]
    assert result.missing_rows["members.contactpoint"] == (expected, expected - 1)
