"""The formats of CLiKC! (the WCO's Moodle) the portal writes and reads; plain Python, no database."""

import datetime as dt
import re

from django.utils import timezone

# --- Out: Moodle's user upload -----------------------------------------------------------------------------------
# Moodle reads the columns by these exact names (admin/tool/uploaduser). No password column: the administrator
# chooses "Create password if needed and send via email", so nobody's password passes through the portal.
MOODLE_USER_COLUMNS = (
    "username",
    "firstname",
    "lastname",
    "email",
    "course1",
    "group1",
    "role1",
    "lang",
    "institution",
    "country",
)
MOODLE_STUDENT_ROLE = "student"  # the shortname of Moodle's standard student role
MOODLE_LANGUAGES = ("en", "fr")  # the language packs of CLiKC!; anyone else reads it in English


def moodle_username(email: str) -> str:
    """The CLiKC! username of a participant: their email address as Moodle cleans a username (lower case, and
    only letters, digits and - . @ _ kept, as with Moodle's default "allow extended characters" off)."""
    return re.sub(r"[^-.@_a-z0-9]", "", email.strip().lower())


def moodle_names(full_name: str) -> tuple[str, str]:
    """First and last name from the one name the nomination has: the last word is the last name. Moodle refuses an
    empty last name, so a single word is both."""
    words = full_name.split()
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], words[0]
    return " ".join(words[:-1]), words[-1]


def moodle_language(language: str) -> str:
    return language if language in MOODLE_LANGUAGES else "en"


# --- In: Moodle's course-completion report -------------------------------------------------------------------------
# How Moodle writes a completion time: the course-completion report uses the language pack's strftimedatetimeshort
# (English "05/03/24, 14:02", French "05/03/24 14:02"), the custom reports strftimedaydatetime; a workbook cell
# comes as ISO text (core.imports).
MOODLE_DATETIME_FORMATS = (
    "%d/%m/%y, %H:%M",
    "%d/%m/%y %H:%M",
    "%d/%m/%Y, %H:%M",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%A, %d %B %Y, %I:%M %p",
    "%d %B %Y, %I:%M %p",
)
MOODLE_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y")
COMPLETED_WORDS = {"yes", "y", "oui", "o", "true", "vrai", "1", "x", "completed", "complete", "complété", "terminé"}
NOT_COMPLETED_WORDS = {"no", "n", "non", "false", "faux", "0", "not completed", "incomplete", "non complété",
                       "non terminé", "pas terminé"}  # fmt: skip


def parse_moodle_time(text: str) -> dt.datetime | None:
    """The completion time in the portal's time zone (Moodle writes it in its user's), None when not readable."""
    text = " ".join(text.split())
    for pattern in MOODLE_DATETIME_FORMATS + MOODLE_DATE_FORMATS:
        try:
            moment = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return timezone.make_aware(moment)
    return None
