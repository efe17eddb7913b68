"""Template helpers of the public website: language alternates of the current page, optional links."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """The current page in each language: code, local name, address (for the switcher and hreflang links)."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    alternates = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        alternates.append({"code": code, "name": info["name_local"], "url": translate_url(path, code)})
    return alternates


@register.simple_tag
def optional_url(name: str, *args, **kwargs) -> str:
    """The address of a named URL, or "" when that URL does not exist (a page another app adds later)."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "") -> str:
    """``path`` (default: the current page) as an absolute address on the configured site."""
    if not path:
        request = context.get("request")
        path = request.path if request is not None else "/"
    return settings.SITE_URL + path
