from django.template import Context, Template

from bacuda_portal.core.markdown import render_markdown


def test_markdown_renders_formatting_tables_and_links():
    html = render_markdown(
        "## Intended use\n\n*Risk* scoring, see [paper](https://example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h3>Intended use</h3>" in html  # one level down: the page owns h1; ids are not in the allow-list
    assert "<em>Risk</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">paper</a>' in html
    assert "<table>" in html and "<td>1</td>" in html


def test_markdown_drops_scripts_handlers_and_javascript_links():
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src="x" onerror="alert(2)">\n\n[click](javascript:alert(3))\n\n'
        '<iframe src="https://evil.example"></iframe>'
    )
    assert "<script" not in html and "alert(1)" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html


def test_top_heading_becomes_h2_because_the_page_owns_h1():
    assert render_markdown("# Title").startswith("<h2")


def test_template_filter():
    rendered = Template("{% load portal_markdown %}{{ text|markdown }}").render(
        Context({"text": "**bold** <b onclick=x>"})
    )
    assert "<strong>bold</strong>" in rendered and "onclick" not in rendered
