"""The training cycle in a real browser, from nomination to certificate (issue 16, "Done when"): a contact point
nominates an official, staff accept them, the official opens the personal link from the email a real worker sent,
answers the knowledge pre-test, staff run the workshop to delivered and issue the certificates (rendered by the
worker), and the official answers the post-test and downloads their certificate from their page."""

import datetime as dt
import email
import re

import pytest
from django.utils import timezone

from tests.evaluations.factories import choice_question
from tests.worker import WorkerProcess
from tests.workshops.factories import SessionFactory, WorkshopFactory
from workshops.evaluations import services
from workshops.evaluations.models import AnswerReceipt, Response
from workshops.models import Certificate, Nomination

from .conftest import sign_in, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OFFICIAL = ("Wanjiku Kariuki", "wanjiku.kariuki@kra.example.go.ke")
# Several pages and a worker share a busy machine in CI: a step may take longer than the usual 15 s.
STEP_TIMEOUT = 60_000
LINK = re.compile(r"https?://[^\s\"<>]+/participant/[A-Za-z0-9_-]+/")


def _mails_to(worker, address: str) -> list[str]:
    """The plain-text bodies, decoded, of the messages the worker sent to ``address``."""
    bodies = []
    for raw in worker.mails():
        message = email.message_from_string(raw.rstrip().removesuffix("-" * 79))
        if address not in message.get("To", ""):
            continue
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                bodies.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
    return bodies


def _answer_knowledge_test(page, questions, right: int) -> None:
    """Tick the first ``right`` questions' correct option ("yes") and the others' wrong one ("no")."""
    for index, question in enumerate(questions):
        options = {option.text_en: option.pk for option in question.options.all()}
        chosen = options["yes"] if index < right else options["no"]
        page.check(f"input[name=q{question.pk}][value='{chosen}']")


@pytest.mark.worker
def test_an_official_is_nominated_answers_both_tests_and_downloads_their_certificate(
    browser, page, journey, live_server, staff, contact_point, kenya, tmp_path
):
    today = timezone.localdate()
    workshop = WorkshopFactory(
        title="Data analytics for risk management",
        status="confirmed",
        start_date=today - dt.timedelta(days=1),
        end_date=today,
    )
    for day, topic in ((workshop.start_date, "Risk indicators"), (workshop.end_date, "Targeting with DATE")):
        SessionFactory(workshop=workshop, date=day, topic=topic)
    questions = [
        choice_question(f"Is statement {n} about risk targeting true?", ["yes", "no"], correct=["yes"], points=1)
        for n in (1, 2, 3)
    ]
    pre = services.questionnaire_create(workshop=workshop, kind="pre_test", questions=questions, by=staff)
    services.questionnaire_open(questionnaire=pre, by=staff)
    post = services.questionnaire_create(workshop=workshop, kind="post_test", by=staff)  # opened by staff below
    # The worker starts once the test's rows are written (see test_journeys: SQLite and a second writer).
    worker = WorkerProcess(tmp_path, queues="default,reports")  # emails; certificates
    contexts = []

    def new_page():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(STEP_TIMEOUT)
        contexts.append(context)
        return context.new_page()

    page.set_default_timeout(STEP_TIMEOUT)
    try:
        # The contact point nominates an official of their administration.
        sign_in(page, contact_point.email)
        page.goto(workshop.get_absolute_url())
        form = page.locator(f"form[action$='/workshops/{workshop.pk}/nominate/']")
        form.get_by_label("Full name").fill(OFFICIAL[0])
        form.get_by_label("Gender").select_option("female")
        form.get_by_label("Position").fill("Risk analyst")
        form.get_by_label("Email address").fill(OFFICIAL[1])
        form.get_by_label("Preferred language").select_option("en")
        journey.shot("contact point nominates an official")
        form.get_by_role("button", name="Nominate").click()
        page.wait_for_load_state()
        assert page.locator("table").get_by_text(OFFICIAL[0]).is_visible()
        nomination = Nomination.objects.get(workshop=workshop, email=OFFICIAL[1])

        # Staff accept the nomination: the official is emailed their personal link (by the worker).
        staff_page = new_page()
        sign_in(staff_page, staff.email)
        staff_page.goto(workshop.get_absolute_url())
        staff_page.locator("form[action*='/accept/'] button").first.click()
        staff_page.wait_for_load_state()
        nomination.refresh_from_db()
        assert nomination.status == "accepted"
        journey.page = staff_page
        journey.shot("staff accepted the nomination")
        mail = wait_until(lambda: next((m for m in _mails_to(worker, OFFICIAL[1]) if LINK.search(m)), None), 60)
        link = LINK.search(mail).group(0)
        assert link.startswith(live_server.url)

        # The official opens their page from the email and answers the pre-test (a draft first).
        official = new_page()
        official.goto(link)
        assert official.get_by_role("heading", name="Questionnaires").is_visible()
        journey.page = official
        journey.shot("the official's page")
        official.get_by_role("link", name="Knowledge pre-test").click()
        official.wait_for_load_state()
        _answer_knowledge_test(official, questions[:1], right=1)
        official.get_by_role("button", name="Save as draft").click()
        official.wait_for_load_state()
        assert "Your answers were saved as a draft." in official.content()
        _answer_knowledge_test(official, questions, right=1)
        journey.shot("answering the pre-test")
        official.get_by_role("button", name="Submit my answers").click()
        official.wait_for_load_state()
        assert "Thank you: your answers were recorded." in official.content()
        assert Response.objects.get(questionnaire=pre, nomination=nomination).score == 1
        # A second answer is refused politely.
        official.goto(f"{link}questionnaires/{pre.pk}/")
        assert "You have already answered this questionnaire" in official.content()

        # Staff mark attendance, deliver the workshop, issue the certificates and open the post-test.
        staff_page.goto(workshop.get_absolute_url())
        staff_page.locator("main").get_by_role("link", name="Attendance").first.click()
        staff_page.wait_for_url(re.compile(rf"/workshops/{workshop.pk}/attendance/$"))
        selects = staff_page.locator("table.attendance select")
        assert selects.count() == 2
        for index in range(2):
            selects.nth(index).select_option("present")
        staff_page.get_by_role("button", name="Save attendance").click()
        staff_page.wait_for_load_state()
        staff_page.goto(workshop.get_absolute_url())
        staff_page.get_by_role("button", name="Mark delivered").click()
        staff_page.wait_for_load_state()
        staff_page.get_by_role("button", name="Issue certificates to eligible participants").click()
        staff_page.wait_for_load_state()
        journey.page = staff_page
        journey.shot("workshop delivered and certificates issued")
        staff_page.goto(f"/en/evaluations/questionnaires/{post.pk}/")
        staff_page.get_by_role("button", name="Open the questionnaire").click()
        staff_page.wait_for_load_state()
        assert "accepting answers" in staff_page.content()
        wait_until(lambda: Certificate.objects.filter(nomination=nomination, status="ready").exists(), 120)

        # The official answers the post-test and downloads their certificate from their page.
        official.goto(link)
        official.get_by_role("link", name="Knowledge post-test").click()
        official.wait_for_load_state()
        _answer_knowledge_test(official, questions, right=3)
        official.get_by_role("button", name="Submit my answers").click()
        official.wait_for_load_state()
        assert "Thank you: your answers were recorded." in official.content()
        assert AnswerReceipt.objects.filter(nomination=nomination).count() == 2
        assert Response.objects.get(questionnaire=post, nomination=nomination).score == 3
        official.goto(link)
        assert official.get_by_text("Answered: thank you").count() == 2
        journey.page = official
        journey.shot("both tests answered and the certificate ready")
        with official.expect_download() as download_info:
            official.get_by_role("link", name="Download your certificate (PDF)").click()
        pdf = journey.folder / "certificate.pdf"
        download_info.value.save_as(pdf)
        assert pdf.read_bytes()[:5] == b"%PDF-"
        assert download_info.value.suggested_filename.startswith("certificate-")
        # The certificate's email reached the official too.
        assert wait_until(lambda: [m for m in _mails_to(worker, OFFICIAL[1]) if "certificate" in m.lower()], 60)
    finally:
        for context in contexts:
            context.close()
        worker.stop()
