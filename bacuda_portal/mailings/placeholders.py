"""The placeholders of mailings: ``{{ name }}`` and a few others, each available for some audiences only."""

import re
from typing import Any

from django.utils.translation import gettext as _

from bacuda_portal.core import placeholders as core_placeholders

from .enums import WORKSHOP_AUDIENCES, Audience

# name -> the audiences it has a value for (None: every audience).
PLACEHOLDERS: dict[str, tuple[str, ...] | None] = {
    "name": None,
    "administration": None,
    "workshop": WORKSHOP_AUDIENCES,
    "call": (Audience.CALL_APPLICANTS,),
}


def _shown(name: str) -> str:
    return "{{ " + name + " }}"


# Anything else that looks like template syntax is refused rather than sent as typed.
_STRAY_BRACES = re.compile(r"\{\{|\}\}|\{%|%\}")


def placeholder_problems(text: str, *, audience: str | None = None) -> list[str]:
    """What is wrong with the placeholders of ``text``: unknown names, names the audience has no value for
    (``audience`` None: a template, any known name is fine), and braces that open or close no placeholder."""
    problems = []
    names = core_placeholders.placeholder_names(text)
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        problems.append(
            _("Unknown placeholder: %(names)s. Use %(known)s.")
            % {
                "names": ", ".join(_shown(name) for name in unknown),
                "known": ", ".join(_shown(name) for name in PLACEHOLDERS),
            }
        )
    if audience:
        unavailable = sorted(
            {
                name
                for name in names
                if name in PLACEHOLDERS and PLACEHOLDERS[name] is not None and audience not in PLACEHOLDERS[name]
            }
        )
        if unavailable:
            problems.append(
                _("This audience has no value for %(names)s.")
                % {"names": ", ".join(_shown(name) for name in unavailable)}
            )
    if _STRAY_BRACES.search(core_placeholders.PLACEHOLDER.sub("", text)):
        problems.append(_("Write placeholders as {{ name }}: some braces open or close no placeholder."))
    return problems


def fill_placeholders(text: str, values: dict[str, Any]) -> str:
    """A placeholder without a value is left out (the checks above refuse unknown names before saving)."""
    return core_placeholders.fill_placeholders(text, values, missing="")
