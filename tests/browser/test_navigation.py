"""The main navigation per role (issue 20) in a real browser: every role's page with its menu closed and open, at
desktop and phone widths, in English and French, screenshots in ``test-artifacts/browser/navigation/``; no
horizontal overflow, no serious accessibility violation, the page's heading on a phone's first screen, the
menus operable by keyboard and without JavaScript."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.scholarships.factories import ReviewerFactory
from tests.workshops.factories import ExpertFactory, WorkshopFactory

from .conftest import ARTIFACTS, PASSWORD, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 667}}
ROLES = ["staff", "contact_point", "expert", "reviewer", "applicant", "anonymous"]
# The group a wide screen opens for the "open" screenshot (the account menu for roles whose menu has no group).
FIRST_GROUP = {"staff": ("Training", "Formation"), "contact_point": ("Algorithms", "Algorithmes")}


@pytest.fixture
def navigation_world(cast):
    ExpertFactory(user=cast["expert"], full_name="Jean-Pierre Expert")
    ReviewerFactory(user=cast["reviewer"])
    WorkshopFactory(title="Risk management with machine learning")
    return cast


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _home(role: str, language: str) -> str:
    with translation.override(language):
        return reverse("website:home") if role == "anonymous" else reverse("home")


@pytest.mark.parametrize("role", ROLES)
def test_every_roles_menu_closed_and_open_fits_desktop_and_phone_in_both_languages(page, navigation_world, role):
    folder = ARTIFACTS / "navigation"
    folder.mkdir(parents=True, exist_ok=True)
    if role != "anonymous":
        sign_in(page, navigation_world[role].email)
    problems = {}

    def check(label: str):
        page.screenshot(path=str(folder / f"{role}-{label}.png"), full_page=True)
        if (overflow := _overflow(page)) > 0:
            problems[f"{label} overflow"] = overflow
        if violations := run_axe(page):
            problems[f"{label} axe"] = violations

    header = page.locator("header")
    for language in ("en", "fr"):
        for name, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            page.goto(_home(role, language))
            label = f"{language}-{name}"
            check(f"{label}-closed")
            if name == "phone":
                # The heading of the page is on the first screen, under a header of two short rows.
                heading = page.locator("main h1").first.bounding_box()
                if heading["y"] + heading["height"] > viewport["height"]:
                    problems[f"{label} heading below the first screen"] = heading
                assert not header.locator(".nav-bar").is_visible()
                header.locator(".nav-phone > summary").click()
                links = header.locator(".nav-phone-panel a")
                assert links.count() > 0 and links.first.is_visible()
                if role != "anonymous":  # the account's links are in the phone's menu too
                    assert header.locator(".nav-stack-account a").first.is_visible()
                check(f"{label}-open")
                header.locator(".nav-phone > summary").click()
                assert not links.first.is_visible()
            else:
                assert not header.locator(".nav-phone").is_visible()
                group = FIRST_GROUP.get(role)
                if group:
                    header.locator(".nav-bar summary", has_text=group[0 if language == "en" else 1]).click()
                    assert header.locator(".nav-bar details[open] .nav-panel a").first.is_visible()
                elif role != "anonymous":
                    header.locator(".account-menu > summary").click()
                    assert header.locator(".account-menu .nav-panel a").first.is_visible()
                check(f"{label}-open")
    assert not problems, problems
    assert page.console_errors == []


def test_staff_menus_open_one_at_a_time_mark_the_current_page_and_work_by_keyboard(page, navigation_world):
    (ARTIFACTS / "navigation").mkdir(parents=True, exist_ok=True)
    sign_in(page, navigation_world["staff"].email)
    page.goto(reverse("workshops:list"))
    bar = page.locator("header .nav-bar")
    training, results = bar.locator("details", has_text="Training"), bar.locator("details", has_text="Results")
    # The current section is marked: its group is underlined, the page's link carries aria-current.
    assert "is-current" in training.get_attribute("class")
    assert training.locator("a[aria-current=page]").get_attribute("href") == reverse("workshops:list")
    training.locator("summary").click()
    assert training.get_attribute("open") is not None
    results.locator("summary").click()  # opening another closes the first
    assert results.get_attribute("open") is not None and training.get_attribute("open") is None
    page.locator("main h1").click()  # a click on the page closes it
    assert results.get_attribute("open") is None

    # Keyboard: Tab to a group, Enter opens it, Tab reaches its links, Escape closes it and returns to its button.
    results.locator("summary").focus()
    page.keyboard.press("Enter")
    assert results.get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Results dashboard"
    page.keyboard.press("Escape")
    assert results.get_attribute("open") is None
    assert page.evaluate("document.activeElement.textContent") == "Results"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('reports:dashboard')}")
    # On a tablet the header's rows wrap, and the last group's menu still opens inside the page.
    page.set_viewport_size({"width": 768, "height": 900})
    page.locator("header .nav-bar summary", has_text="Administration").click()
    assert page.locator("header .nav-bar").get_by_role("link", name="Administration site").is_visible()
    page.screenshot(path=str(ARTIFACTS / "navigation" / "staff-en-tablet-open.png"))
    assert _overflow(page) <= 0
    page.set_viewport_size(VIEWPORTS["desktop"])
    # The account menu holds my data, my account and sign out.
    account = page.locator("header .account-menu")
    account.locator("summary").click()
    assert account.get_by_role("link", name="My data").is_visible()
    assert account.get_by_role("link", name="My account").is_visible()
    account.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.locator("header .sign-in-link").is_visible()
    page.screenshot(path=str(ARTIFACTS / "navigation" / "signed-out.png"))
    assert page.console_errors == []


def test_the_menus_work_without_javascript(browser, live_server, navigation_world):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    try:
        page.goto("/en/accounts/login/")
        page.fill("input[name=login]", navigation_world["contact_point"].email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        header = page.locator("header")
        header.locator(".nav-phone > summary").click()
        header.locator(".nav-phone-panel").get_by_role("link", name="Model jobs").click()
        page.wait_for_url(f"**{reverse('algorithms:job_list')}")
        header.locator(".nav-phone > summary").click()
        current = header.locator(".nav-phone-panel a[aria-current=page]")
        assert current.inner_text() == "Model jobs"
        page.set_viewport_size(VIEWPORTS["desktop"])
        page.reload()
        header.locator(".nav-bar summary", has_text="Algorithms").click()
        assert header.locator(".nav-bar").get_by_role("link", name="Datasets").is_visible()
    finally:
        context.close()
