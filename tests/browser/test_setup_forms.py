"""The staff set-up forms with row tables (a call's rubric, phases and curriculum; a programme) fit a phone: the
tables scroll inside their frame and nothing widens the page (visually hidden labels inside a scrolling table
used to escape its frame and widen the whole page)."""

import pytest

from tests.scholarships.factories import CallFactory

from .conftest import ARTIFACTS, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_call_and_programme_set_up_forms_fit_a_phone_in_both_languages(page, staff):
    call = CallFactory()
    folder = ARTIFACTS / "setup"
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page, staff.email)
    page.set_viewport_size({"width": 375, "height": 900})
    problems = {}
    for language in ("en", "fr"):
        for name, url in (
            ("call", f"/{language}/scholarships/manage/calls/{call.pk}/"),
            ("programme", f"/{language}/scholarships/manage/programmes/{call.programme.pk}/"),
        ):
            page.goto(url)
            assert page.locator("form table").count() >= (3 if name == "call" else 0)
            page.screenshot(path=str(folder / f"{name}-{language}-phone.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems[f"{name} {language} overflow"] = overflow
            if violations := run_axe(page):
                problems[f"{name} {language} axe"] = violations
    assert not problems, problems
