"""National tariff codes as administrations publish them: HS6, HS8 or HS10, and the HS6 subheading they fall under.

A declarations file may carry the six-digit HS subheading ("HS6 Code") or the national code that extends it (an
eight-digit HS8, a ten-digit HS10: "HS10 Code", "Tariff Code", "Commodity code"...). The national code is kept as
published; its first six digits are the HS6 subheading the models group by.

A code that went through a spreadsheet as a number lost its leading zero: chapters 01 to 09 ("0101.21" read as
10121). Such a code has an odd length (5, 7 or 9 digits), and cutting its first six characters gives a wrong
subheading that still looks valid (a 9-digit "207149000" gives "207149", not "020714"). ``read_code`` restores the
zero when the column's name announces the longer length (HS8, HS10), for five digits (only a subheading without
its zero), and otherwise unless the HS 2022 nomenclature shipped in ``algorithms/data/hs/`` knows the code's first
six digits as they stand and not the restored ones (a national code of odd length, such as Japan's nine digits).
It says whether it restored one, so an upload can report how many were. On the public HS10 data (54,000 rows),
2,567 codes lost their zero; restored, every HS6 equals the published HS6 version's.
"""

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

HS_FILE = Path(__file__).resolve().parent / "data" / "hs" / "harmonized-system.csv"
PUBLISHED_LENGTHS = (6, 8, 10, 12)  # the HS6 subheading and its national extensions as administrations publish them
_DIGITS_IN_NAME = re.compile(r"(?<!\d)(6|8|10|12)(?!\d)")
_AS_NUMBER = re.compile(r"^(\d{5,12})\.0+$")  # a spreadsheet's float: "4202311090.0"


@lru_cache(maxsize=1)
def hs6_codes() -> frozenset[str]:
    """The six-digit subheadings of the HS 2022 nomenclature shipped in the repository."""
    with HS_FILE.open(encoding="utf-8", newline="") as handle:
        return frozenset(
            row["hscode"] for row in csv.DictReader(handle) if row["level"] == "6" and row["section"] != "TOTAL"
        )


def width_from_name(column_name: str) -> int | None:
    """The code length a column's name announces ("HS10 Code" -> 10, "HS 8" -> 8), else None."""
    match = _DIGITS_IN_NAME.search(column_name or "")
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class TariffCode:
    national: str  # the code as published, digits only, with a lost leading zero restored
    hs6: str  # its first six digits: the HS subheading
    restored: bool  # a leading zero was put back


class CodeRefused(ValueError):
    """The cell is not a tariff code; ``str(error)`` says why, for the user."""


def digits_of(text: str) -> str:
    """The code as typed ("0101.21.00", "0101 21 00", "4202311090.0" from a spreadsheet) as digits only."""
    text = (text or "").strip()
    as_number = _AS_NUMBER.match(text)
    if as_number:
        return as_number.group(1)
    return "".join(text.split()).replace(".", "").replace("-", "")


def read_code(text: str, *, width: int | None = None) -> TariffCode:
    """The tariff code in a cell. ``width``: the length the column's name announces, if any (see
    ``width_from_name``). Raises CodeRefused for anything that is not 6 to 12 digits once a lost zero is restored."""
    code = digits_of(text)
    if not code.isdigit():
        raise CodeRefused(_("“%(value)s” is not a tariff code (6, 8 or 10 digits).") % {"value": text[:40]})
    if len(code) < 5 or len(code) > 12 or (len(code) == 5 and width not in (None, 6)):
        message = _("“%(value)s” has %(count)d digits; a tariff code has 6, 8 or 10.")
        raise CodeRefused(message % {"value": text[:40], "count": len(code)})
    if width is not None and len(code) > width:  # an HS6 column with HS10 codes: the column's name is wrong
        message = _("“%(value)s” has %(count)d digits; the column's name announces %(width)d.")
        raise CodeRefused(message % {"value": text[:40], "count": len(code), "width": width})
    if len(code) % 2 == 1 and width != len(code):  # 5, 7, 9 or 11 digits: a published code that lost its zero?
        padded = "0" + code
        known = hs6_codes()
        kept_as_is = len(code) >= 6 and code[:6] in known and padded[:6] not in known  # the nomenclature says so
        if width == len(padded) or len(code) == 5 or not kept_as_is:
            return TariffCode(national=padded, hs6=padded[:6], restored=True)
    return TariffCode(national=code, hs6=code[:6], restored=False)
