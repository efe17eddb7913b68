"""English and French: every user-facing string is in the French catalogue, translated and compiled."""

import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    assert not catalogue.untranslated_entries(), [entry.msgid for entry in catalogue.untranslated_entries()]
    assert not catalogue.fuzzy_entries(), [entry.msgid for entry in catalogue.fuzzy_entries()]


def test_compiled_catalogue_matches_the_sources():
    source = {
        entry.msgid: entry.msgstr or entry.msgstr_plural for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete
    }
    compiled = {
        entry.msgid: entry.msgstr or entry.msgstr_plural for entry in polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    }
    compiled.pop("", None)
    assert compiled == source, "Run `make messages` (compilemessages) and commit locale/fr/LC_MESSAGES/django.mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_translatable_string_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh and compare with the committed catalogue: a new string fails here."""
    copy = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "tests", "__pycache__", "*.sqlite3"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location", "--ignore=tests", "-v", "0"],
        cwd=copy,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "bacuda_portal.settings.test", "PATH": "/usr/bin:/bin"},
    )
    extracted = {
        entry.msgid for entry in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po")) if not entry.obsolete
    }
    committed = {entry.msgid for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    assert extracted - committed == set(), "Run makemessages and translate the new strings"
