from django import template

from bacuda_portal.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """``{{ post.body|markdown }}``: sanitised HTML from Markdown (see core.markdown)."""
    return render_markdown(text)
