"""The one rule for a cell of a CSV the portal writes (plain Python, no Django: model engines use it too)."""

from typing import Any

# Spreadsheets run cells starting with these as formulas (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should show it: a text that would start a formula gets a leading quote; None is
    an empty cell."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return "" if value is None else value
