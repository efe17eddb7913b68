"""The placeholders of decision letter templates: ``{{ name }}`` with a fixed list of names."""

from bacuda_portal.core.placeholders import fill_placeholders, placeholder_names

PLACEHOLDERS = ("full_name", "call", "programme", "university", "reply_by", "reserve_rank", "status_url")

__all__ = ["PLACEHOLDERS", "fill_placeholders", "unknown_placeholders"]


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in placeholder_names(text) if name not in PLACEHOLDERS})
