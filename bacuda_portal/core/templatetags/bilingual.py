"""Show bilingual content with its fallback marked: ``{% load bilingual %}``.

``{{ workshop.localized_title|bilingual }}`` prints the text as it is when it is in the reader's language; when
the other language stands in for a missing translation it wraps the text in an element with that language's
``lang`` (so screen readers pronounce it right) and adds a small badge "in English" (or "in French").
"""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from bacuda_portal.core.bilingual import LocalizedText, reader_language

register = template.Library()


def _fallback_badge(language: str) -> SafeString:
    label = gettext("in English") if language == "en" else gettext("in French")
    # The hidden brackets keep the words apart for screen readers ("... analysts (en anglais)").
    return format_html(
        '<span class="badge badge-language" lang="{}"><span class="visually-hidden"> (</span>{}'
        '<span class="visually-hidden">)</span></span>',
        reader_language(),
        label,
    )


def _is_fallback(value) -> bool:
    return isinstance(value, LocalizedText) and value.is_fallback


@register.filter
def bilingual(value):
    """Inline text (a title, a name); the stand-in text gets its ``lang`` and the badge."""
    if not _is_fallback(value):
        return conditional_escape(value)
    # No space between the two spans: inside a link it would be underlined (the badge's hidden brackets and its
    # margin keep the words apart).
    return format_html('<span lang="{}">{}</span>{}', value.language, str(value), _fallback_badge(value.language))


@register.filter
def bilingual_paragraph(value):
    """A text with line breaks (a description) as one paragraph; the stand-in text is marked as above."""
    if not value:
        return ""
    if not _is_fallback(value):
        return format_html("<p>{}</p>", linebreaksbr(str(value), autoescape=True))
    return format_html(
        '<p lang="{}">{} {}</p>', value.language, _fallback_badge(value.language), linebreaksbr(str(value), True)
    )


@register.filter
def is_fallback(value) -> bool:
    """``{% if value|is_fallback %}``: the text stands in for a missing translation."""
    return _is_fallback(value)
