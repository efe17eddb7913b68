"""axe-core (WCAG 2.1 A and AA rules) on the public pages and the main staff pages: no serious or critical
violation."""

import pytest

from tests.scholarships.factories import CallFactory
from tests.website.factories import NewsPostFactory
from tests.workshops.factories import WorkshopFactory

from .conftest import ARTIFACTS, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PAGES = [
    "/en/",
    "/fr/",
    "/en/news/",
    "/fr/news/",
    "/en/events/",
    "/en/elearning-courses/",
    "/en/about/",
    "/en/contact/",
    "/en/scholarships/",
    "/en/accounts/login/",
    "/en/workshops/certificates/verify/",
    "/fr/no-such-page/",
]


@pytest.fixture
def content(db):
    NewsPostFactory.create_batch(3)
    WorkshopFactory.create_batch(3)
    CallFactory()


def test_public_pages_have_no_serious_accessibility_violations(page, content):
    found = {}
    shots = ARTIFACTS / "public_pages"
    shots.mkdir(parents=True, exist_ok=True)
    for url in PUBLIC_PAGES:
        page.goto(url)
        page.screenshot(path=str(shots / f"{url.strip('/').replace('/', '-') or 'root'}.png"), full_page=True)
        violations = run_axe(page)
        if violations:
            found[url] = violations
    assert not found, found
    # No CSP violation or broken resource; only the 404 page's own status is reported by the browser.
    assert [e for e in page.console_errors if "status of 404" not in e] == [], page.console_errors


def test_news_post_page_has_no_serious_accessibility_violations(page, content):
    from bacuda_portal.website.models import NewsPost

    page.goto(NewsPost.objects.first().get_absolute_url())
    assert run_axe(page) == []


def test_main_staff_pages_have_no_serious_accessibility_violations(page, staff, content):
    sign_in(page, staff.email)
    found = {}
    for url in ("/en/workshops/", "/en/workshops/dashboard/", "/en/scholarships/applications/", "/en/administrations/"):
        page.goto(url)
        violations = run_axe(page)
        if violations:
            found[url] = violations
    assert not found, found


def test_keyboard_user_reaches_the_content_through_the_skip_link(page):
    page.goto("/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_axe_check_does_find_a_violation(page):
    # The check can fail: a picture without a text alternative and an unlabelled field are reported.
    page.goto("/en/about/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        '\'<img src="/static/img/bacuda-mark.svg"><input type="text">\')'
    )
    ids = {violation["id"] for violation in run_axe(page)}
    assert {"image-alt", "label"} <= ids
