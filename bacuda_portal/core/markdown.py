"""Markdown written by staff (news posts, model cards), rendered to HTML that is safe to show anyone.

The HTML that Markdown produces is passed through nh3 (the Ammonia sanitiser) with an allow-list of tags and
attributes: raw HTML, scripts, event handlers and ``javascript:`` links typed into the Markdown never reach a page.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
}
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]


def render_markdown(text: str) -> SafeString:
    """Markdown source to sanitised HTML. Headings start at h2: the page owns its h1."""
    html = markdown_lib.markdown(text or "", extensions=EXTENSIONS, extension_configs={"toc": {"baselevel": 2}})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
