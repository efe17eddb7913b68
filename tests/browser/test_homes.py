"""Every role's home (issue 20) and inbox (issue 19) in English and French, at desktop and phone widths: a
screenshot of each in ``test-artifacts/browser/homes/``, no horizontal overflow, no serious accessibility
violation on the homes."""

import datetime as dt

import pytest
from django.utils import timezone

from algorithms.enums import JobStatus
from tests.algorithms.factories import ModelJobFactory
from tests.reports.factories import delivered_workshop, participant
from tests.scholarships.factories import ApplicationFactory, SubmittedApplicationFactory
from tests.workshops.factories import (
    AssignmentFactory,
    ExpertFactory,
    NominationFactory,
    WorkshopFactory,
    WorkshopRequestFactory,
)
from workshops.enums import RequestStatus

from .conftest import ARTIFACTS, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.fixture
def homes_world(kenya, contact_point, expert, applicant):
    workshop = WorkshopFactory(title="Risk management with machine learning: a national workshop for analysts")
    NominationFactory.create_batch(3, workshop=workshop)
    WorkshopFactory(
        title="Post-clearance audit and data analytics", start_date=timezone.localdate() + dt.timedelta(days=60)
    )
    WorkshopRequestFactory(status=RequestStatus.SUBMITTED)
    delivered = delivered_workshop(timezone.localdate() - dt.timedelta(days=20), title="Valuation analytics, Mombasa")
    participant(delivered, email="amina.odhiambo@kra.example", attended=5)
    AssignmentFactory(workshop=workshop, expert=ExpertFactory(user=expert, full_name="Jean-Pierre Expert"))
    SubmittedApplicationFactory(full_name="Wanjiru Kamau")
    ApplicationFactory(applicant=applicant)
    ModelJobFactory(dataset__administration=kenya, status=JobStatus.FAILED, finished_at=timezone.now())
    ModelJobFactory(dataset__administration=kenya, status=JobStatus.SUCCEEDED, finished_at=timezone.now())


@pytest.mark.parametrize("role", ["staff", "contact_point", "expert", "applicant"])
def test_every_roles_home_fits_desktop_and_phone_in_both_languages(page, cast, homes_world, role):
    folder = ARTIFACTS / "homes"
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page, cast[role].email)
    problems = {}
    for language in ("en", "fr"):
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"/{language}/dashboard/")
            assert page.locator("h1").first.inner_text().startswith("Welcome" if language == "en" else "Bienvenue")
            page.screenshot(path=str(folder / f"{role}-{language}-{width_name}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems[f"{language} {width_name} overflow"] = overflow
            if violations := run_axe(page):
                problems[f"{language} {width_name} axe"] = violations
            page.goto(f"/{language}/inbox/")
            page.screenshot(path=str(folder / f"{role}-{language}-{width_name}-inbox.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems[f"{language} {width_name} inbox overflow"] = overflow
    assert not problems, problems
    assert page.console_errors == []
