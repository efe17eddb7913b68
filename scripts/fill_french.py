"""Fill the French catalogue from reviewed translation files in locale/pending/.

Each locale/pending/*.json maps an English msgid to its French text, or to
[singular, plural] for a plural entry; a "context|msgid" key fills a pgettext entry.
Run after `manage.py makemessages -l fr`, then `compilemessages`; delete the pending
files once the catalogue holds them. Prints the msgids that still have no French.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def load_pending(folder: Path) -> dict:
    translations = {}
    for path in sorted(folder.glob("*.json")):
        translations.update(json.loads(path.read_text(encoding="utf-8")))
    return translations


def fill(catalogue: polib.POFile, translations: dict) -> list[str]:
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        key = f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid
        french = translations.get(key)
        if french is not None:
            if entry.msgid_plural:
                singular, plural = french if isinstance(french, list) else (french, french)
                entry.msgstr_plural = {0: singular, 1: plural}
            else:
                entry.msgstr = french if isinstance(french, str) else french[0]
        if "fuzzy" in entry.flags and french is not None:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if not translated or "fuzzy" in entry.flags:
            missing.append(key)
    return missing


def main() -> int:
    catalogue = polib.pofile(str(CATALOGUE))
    missing = fill(catalogue, load_pending(ROOT / "locale" / "pending"))
    catalogue.save(str(CATALOGUE))
    for key in missing:
        print(f"MISSING: {key!r}")
    print(f"{len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
