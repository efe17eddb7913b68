"""Render and check the staff-edited templates: Django template syntax, the kind's variables only.

The engine has no template loaders and no tag libraries beyond the built-in ones, so a template can neither
include a file nor load a library; it renders plain text (no HTML escaping) in the recipient's language.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.base import VariableNode
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .kinds import KINDS

ENGINE = Engine(autoescape=False, libraries={}, loaders=[], string_if_invalid="")
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Message:
    subject: str
    text: str


def _compile(source: str, allowed: set[str]):
    template = ENGINE.from_string(source)
    unknown = sorted(
        {
            str(node.filter_expression.var).split(".")[0]
            for node in template.nodelist.get_nodes_by_type(VariableNode)
            if hasattr(node.filter_expression.var, "var")
        }
        - allowed
        - {"forloop", "event"}
    )
    if unknown:
        raise ValidationError(
            gettext_lazy("Unknown variable: %(names)s. This notification may use: %(allowed)s."),
            params={"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))},
        )
    return template


def _render_one(source: str, allowed: set[str], context: dict[str, Any]) -> str:
    try:
        return _compile(source, allowed).render(Context(context))
    except ValidationError:
        raise
    except TemplateDoesNotExist as error:
        raise ValidationError(gettext_lazy("A notification cannot include other templates.")) from error
    except Exception as error:  # a syntax error, or a filter or tag failing on the values
        raise ValidationError(
            gettext_lazy("The template does not render: %(error)s"), params={"error": str(error)}
        ) from error


def render(*, kind: str, subject: str, text: str, context: dict[str, Any], language: str) -> Message:
    """Render one message in ``language``; raises ``ValidationError`` when the template is not valid."""
    allowed = set(KINDS[kind].all_variables())
    with translation.override(language):
        subject_out = _render_one(subject, allowed, context)
        text_out = _render_one(text, allowed, context)
    subject_out = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject_out.split())
    return Message(subject=subject_out[:300], text=text_out.strip() + "\n")


def check_template(*, kind: str, texts: dict[str, str]) -> dict[str, list[str]]:
    """The errors of each field (``subject_en``, ``text_fr``...) rendered with the kind's sample values."""
    sample = KINDS[kind].sample_context()
    errors: dict[str, list[str]] = {}
    for language in LANGUAGES:
        for part in ("subject", "text"):
            name = f"{part}_{language}"
            source = texts.get(name, "")
            if not source.strip():
                errors[name] = [_("This text is required.")]
                continue
            try:
                with translation.override(language):  # the sample values in the template's language
                    _render_one(source, set(KINDS[kind].all_variables()), sample)
            except ValidationError as error:
                errors[name] = error.messages  # the reasons in the reader's language (lazy until here)
    return errors
