"""``{{ name }}`` placeholders in texts staff write (decision letters, mailings): found and filled here; each
feature keeps its own list of names and its own checks."""

import re
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def placeholder_names(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def fill_placeholders(text: str, values: dict[str, Any], *, missing: str | None = None) -> str:
    """Each placeholder replaced by its value; one without a value becomes ``missing`` (None: left as written)."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in values:
            return str(values[name])
        return match.group(0) if missing is None else missing

    return PLACEHOLDER.sub(value, text)
