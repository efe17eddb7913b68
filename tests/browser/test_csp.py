"""The Content-Security-Policy does not break the pages it covers: the browser reports no violation."""

import pytest

from .conftest import ARTIFACTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _violations(page) -> list[str]:
    return [error for error in page.console_errors if "Content Security Policy" in error or "Refused" in error]


def test_swagger_ui_works_under_its_policy(page):
    page.goto("/api/docs/")
    page.locator(".swagger-ui .info").first.wait_for(state="visible")
    assert page.locator(".opblock").count() > 0
    (ARTIFACTS / "csp").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "csp" / "api-docs.png"))
    assert _violations(page) == [], page.console_errors


def test_admin_works_under_the_strict_policy(page, project_manager):
    sign_in(page, project_manager.email)
    page.goto("/admin/website/newspost/add/")
    page.get_by_label("Title (English)").press_sequentially("A post written in the admin")
    # The admin's own script fills the address from the English title (prepopulated fields).
    assert page.locator("#id_slug").input_value() == "a-post-written-in-the-admin"
    page.screenshot(path=str(ARTIFACTS / "csp" / "admin-news-add.png"), full_page=True)
    assert _violations(page) == [], page.console_errors


def test_a_violation_would_be_reported(page):
    # The check can fail: an inline script injected into our page is refused and reported.
    page.goto("/en/about/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; "
        "document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.x") == "undefined"
    assert _violations(page), page.console_errors
