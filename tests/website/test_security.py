"""Security headers on every response (pages, API, admin, static files), and no inline script in our templates."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from bacuda_portal.core.security import policy_for

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Emails are read in mail programs and PDF templates are read by WeasyPrint: neither is served to a browser
# under our CSP, and both need inline styles.
NOT_SERVED_UNDER_CSP = ("emails/",)


def _served_to_browsers(relative: str) -> bool:
    return not relative.startswith(NOT_SERVED_UNDER_CSP) and "/pdf/" not in f"/{relative}"


def _assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in csp
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    return directives


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/fr/news/",
        "/en/contact/",
        "/en/accounts/login/",
        "/en/does-not-exist/",
        "/api/v1/administrations/",
        "/api/v1/me/",  # 401
        "/api/schema/",
        "/admin/login/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
    ],
)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    directives = _assert_security_headers(response)
    assert directives["style-src"] == "'self'"


def test_signed_in_staff_pages_and_admin_carry_the_headers(client, project_manager):
    client.force_login(project_manager)
    for url in ("/en/workshops/", "/admin/", "/admin/website/newspost/add/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _assert_security_headers(response)["style-src"] == "'self'"


def test_only_the_swagger_page_allows_inline_styles_and_its_script_is_not_inline(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    directives = _assert_security_headers(response)
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "Swagger UI must load its script from a URL"
    assert client.get(reverse("api-docs") + "?script=").status_code == 200
    assert policy_for("/en/") != policy_for("/api/docs/")


def test_hsts_is_on_in_production_settings_and_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/en/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def _our_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if _served_to_browsers(relative):
            yield relative, path.read_text()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_of_ours_has_inline_script_event_handlers_or_style_attributes():
    offenders = []
    for name, text in _our_templates():
        for label, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("event handler attribute", EVENT_HANDLER),
            ("style attribute", STYLE_ATTRIBUTE),
            ("javascript: URL", JAVASCRIPT_URL),
            ("<style> element", re.compile(r"<style[\s>]", re.I)),
        ):
            if pattern.search(text):
                offenders.append(f"{name}: {label}")
    assert not offenders, offenders
    assert sum(1 for _ in _our_templates()) > 50  # the walk really reads our templates


def test_the_template_check_catches_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/x.js"></script>')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert STYLE_ATTRIBUTE.search('<div class="x" style="color: red">')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')
