"""The evaluation sections of the workshop report and of the donor progress report, in English and French:
figures from the evaluations, and "Not collected" only when nobody answered."""

import datetime as dt
import shutil

import pytest

from bacuda_portal.reports import services
from tests.evaluations.conftest import knowledge_answers, open_questionnaire
from tests.evaluations.factories import QuestionFactory, choice_question
from workshops.evaluations import services as evaluation_services

from .factories import delivered_workshop, framework, participant
from .test_reports import Y2025, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def evaluated_workshop(staff):
    """Four participants: reaction ratings 5, 4, 4, 2 (mean 3.75; 4 of 4 answered); knowledge tests out of 4:
    1 -> 3, 2 -> 2, 0 -> 4 (2 of 3 gained); follow-up application 5 and 3 (1 of 2 applies)."""
    workshop = delivered_workshop(dt.date(2025, 4, 11), title="Risk analytics in Nairobi")
    people = [participant(workshop, email=f"p{n}@kra.example", attended=5) for n in range(4)]
    rating = QuestionFactory(text_en="How satisfied are you with the workshop?")
    reaction = open_questionnaire(workshop, "reaction", [rating], staff)
    for person, value in zip(people, (5, 4, 4, 2), strict=True):
        evaluation_services.submit(nomination=person, questionnaire=reaction, answers={str(rating.pk): value})
    knowledge = [choice_question(f"Question {n}", ["yes", "no"], correct=["yes"], points=1, by=staff) for n in range(4)]
    pre = open_questionnaire(workshop, "pre_test", knowledge, staff)
    post = open_questionnaire(workshop, "post_test", [], staff)
    for person, before, after in zip(people, (1, 2, 0), (3, 2, 4), strict=False):
        evaluation_services.submit(nomination=person, questionnaire=pre, answers=knowledge_answers(knowledge, before))
        evaluation_services.submit(nomination=person, questionnaire=post, answers=knowledge_answers(knowledge, after))
    applies = QuestionFactory(text_en="I apply what I learnt", measures_application=True)
    follow_up = open_questionnaire(workshop, "follow_up", [applies], staff)
    for person, value in zip(people, (5, 3), strict=False):
        evaluation_services.submit(nomination=person, questionnaire=follow_up, answers={str(applies.pk): value})
    return workshop


def _render(committed, staff, kind, language, **arguments):
    with committed():
        report, _ = services.report_request(kind=kind, language=language, by=staff, **arguments)
    report.refresh_from_db()
    assert report.status == "ready", report.error
    return report


def _section(text: str, start: str, end: str) -> str:
    """The text from ``start`` to the next ``end`` (section titles also run in the page headers)."""
    after = text[text.index(start) :]
    return after[: after.index(end)]


def _keep(report, tmp_path, name):
    """Keep the PDF beside the test's temporary files, to look at it (pdftoppm) when the layout changes."""
    with report.file.open("rb") as handle, open(tmp_path / name, "wb") as copy:
        shutil.copyfileobj(handle, copy)


def test_the_workshop_report_shows_the_evaluation(staff, eager_tasks, committed, evaluated_workshop, tmp_path):
    report = _render(committed, staff, "workshop", "en", parameters={"workshop": evaluated_workshop.pk})
    _keep(report, tmp_path, "workshop-en.pdf")
    text = pdf_text(report)
    section = _section(text, "Questionnaire", "5. Experts")
    assert "Not collected" not in section
    assert "3.75 / 5" in section and "67 %" in section and "50 %" in section
    assert "4 / 4" in section and "100 %" in section  # reaction answers / accepted, response rate
    assert "3 / 4" in section and "75 %" in section  # the pre-test: three answered
    assert "1.0 / 4" in section and "3.0 / 4" in section  # average pre and post scores
    french = _render(committed, staff, "workshop", "fr", parameters={"workshop": evaluated_workshop.pk})
    _keep(french, tmp_path, "workshop-fr.pdf")
    text = pdf_text(french)
    assert "3,75 / 5" in text and "Non collecté" not in text


def test_the_workshop_report_says_not_collected_when_nobody_answered(staff, eager_tasks, committed, kenya):
    workshop = delivered_workshop(dt.date(2025, 4, 11))
    participant(workshop, email="p@kra.example", attended=5)
    open_questionnaire(workshop, "reaction", [QuestionFactory()], staff)  # open, but nobody answered
    text = pdf_text(_render(committed, staff, "workshop", "en", parameters={"workshop": workshop.pk}))
    assert "Not collected: no participant has answered" in text


def test_the_progress_report_shows_the_evaluation_figures(staff, eager_tasks, committed, evaluated_workshop, tmp_path):
    framework(2025)
    report = _render(committed, staff, "progress", "en", **Y2025)
    _keep(report, tmp_path, "progress-en.pdf")
    section = _section(pdf_text(report), "From the questionnaires participants answered", "6. Scholarship programme")
    assert "Not collected" not in section
    assert "3.75 / 5" in section and "66.7 %" in section and "50 %" in section
    assert "Unknown" in section and "Women" in section  # anonymous ratings; named tests
    assert "Risk analytics in Nairobi" in section and "4 / 4 (100 %)" in section
    french = _render(committed, staff, "progress", "fr", **Y2025)
    _keep(french, tmp_path, "progress-fr.pdf")
    assert "3,75 / 5" in pdf_text(french)


def test_the_progress_report_says_not_collected_without_answers(staff, eager_tasks, committed, kenya):
    delivered_workshop(dt.date(2025, 4, 11))
    text = pdf_text(_render(committed, staff, "progress", "en", **Y2025))
    assert "Not collected: no participant of the workshops delivered in the period" in text
