"""The job page's progress bar in a real browser (Chromium through Playwright): static/js/algorithms.js polls
the status endpoint under the portal's Content-Security-Policy; the pages pass axe's serious/critical rules."""

import pytest

from algorithms.models import ModelJob
from tests.algorithms.factories import AlgorithmFactory, DatasetFactory, ModelJobFactory
from tests.browser.conftest import run_axe, sign_in, wait_until
from tests.factories import ContactPointFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_progress_bar_follows_the_job_and_the_pages_are_accessible(page):
    from bacuda_portal.members.models import Administration

    kenya = Administration.objects.get(code="KEN")
    user = ContactPointFactory(administration=kenya, user__email="cp.browser@example.org").user
    job = ModelJobFactory(
        dataset=DatasetFactory(administration=kenya), status="running", percent=10, stage="Reading", log="start\n"
    )
    sign_in(page, user.email)
    page.goto(f"/en/algorithms/jobs/{job.pk}/")
    assert page.locator("#job-percent").get_attribute("value") == "10"
    ModelJob.objects.filter(pk=job.pk).update(percent=60, stage="Training DATE", log="start\nTraining DATE\n")
    wait_until(lambda: page.locator("#job-percent").evaluate("e => e.value") == 60, timeout=20)
    assert page.locator("#job-stage").inner_text() == "Training DATE"
    assert "Training DATE" in page.locator("#job-log").inner_text()
    assert page.get_by_role("button", name="Cancel the job").is_visible()
    ModelJob.objects.filter(pk=job.pk).update(status="failed", error="The data has no fraud at all.")
    # the page puts itself in its final state, without a reload: "Run again" instead of "Cancel", no "No file yet."
    wait_until(lambda: page.get_by_role("button", name="Run again with the same seed").is_visible(), timeout=20)
    assert page.get_by_role("button", name="Cancel the job").count() == 0
    assert "No file yet." not in page.content() and "This job left no file." in page.content()
    assert page.locator("#job-error").inner_text() == "The data has no fraud at all."
    assert not page.locator("#job-reload-hint").is_visible()
    assert run_axe(page) == []
    assert page.console_errors == []
    AlgorithmFactory(slug="date", publication="published")
    page.goto("/en/algorithms/cards/date/")
    assert run_axe(page) == []
    page.goto("/en/algorithms/datasets/new/")
    assert run_axe(page) == []
