"""A finished DATE training job's page as its administration's contact point reads it (issue 20), in English and
French at desktop and phone widths: a screenshot of each in ``test-artifacts/browser/design/``, no horizontal
overflow, no serious or critical accessibility violation."""

import pytest

from tests.algorithms.test_job_report_pages import date_job

from .conftest import run_axe, sign_in
from .test_design import FOLDER, WIDEST_ELEMENTS, WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_job_result_page_fits_every_width_in_both_languages(page, kenya, contact_point):
    FOLDER.mkdir(parents=True, exist_ok=True)
    job = date_job(kenya)
    sign_in(page, contact_point.email)
    problems = {}
    for language in ("en", "fr"):
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(job.get_absolute_url().replace("/en/", f"/{language}/", 1))
            assert response.status == 200
            assert page.locator("#job-parameters").count() == 1  # the finished job's report, not a placeholder
            if language == "fr":  # the training period is the model's (entraînement), not a training course
                assert "Entraînement : 2111" in page.content() and "Formation : 2111" not in page.content()
            name = f"job-result-{language}-{width_name}"
            page.screenshot(path=str(FOLDER / f"{name}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems[f"{name} overflow"] = (overflow, page.evaluate(WIDEST_ELEMENTS))
            if violations := run_axe(page):
                problems[f"{name} axe"] = violations
    assert not problems, problems
    assert page.console_errors == []
