"""The placeholders of decision letter templates: ``{{ name }}`` with a fixed list of names."""

import re
from typing import Any

PLACEHOLDERS = ("full_name", "call", "programme", "university", "reply_by", "reserve_rank", "status_url")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def fill_placeholders(text: str, values: dict[str, Any]) -> str:
    return _PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)
