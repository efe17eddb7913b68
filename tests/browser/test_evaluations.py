"""Evaluations in a real browser: staff build a questionnaire from the bank, preview it, and read the results with
their charts; every page passes the accessibility check (screenshots in test-artifacts/browser/)."""

import pytest

from tests.evaluations.conftest import knowledge_answers, reaction_answers
from tests.evaluations.factories import QuestionFactory, choice_question
from tests.workshops.factories import NominationFactory, WorkshopFactory
from workshops.evaluations import services

from .conftest import run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_build_a_questionnaire_preview_it_and_read_the_results(page, journey, staff, kenya):
    workshop = WorkshopFactory(title="Risk analytics for Kenya Revenue Authority", status="delivered")
    people = [
        NominationFactory(workshop=workshop, status="accepted", full_name=f"Participant {n}") for n in range(1, 5)
    ]
    reaction = [
        QuestionFactory(text_en="How useful was the workshop?"),
        choice_question("Was the pace right?", ["Too slow", "Right", "Too fast"], by=staff),
        choice_question("Which sessions helped most?", ["DATE", "AI-HS", "AI-Synth"], kind="multiple", by=staff),
        QuestionFactory(text_en="What should we improve?", kind="text", low_label_en="", high_label_en=""),
    ]
    knowledge = [
        choice_question(f"Knowledge question {n}", ["yes", "no", "maybe"], correct=["yes"], points=1, by=staff)
        for n in range(1, 6)
    ]
    sign_in(page, staff.email)
    found = {}

    def check(label):
        journey.shot(label)
        violations = run_axe(page)
        if violations:
            found[label] = violations

    # A new scored question through the bank's form.
    page.goto("/en/evaluations/questions/new/")
    page.fill("input[name=text_en]", "Which library builds gradient-boosted trees?")
    page.select_option("select[name=kind]", "single")
    page.fill("input[name=points]", "1")
    page.fill("textarea[name=options_en]", "*XGBoost\nk-means")
    check("new question")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "The question was added to the bank." in page.content()
    check("question bank")

    # The reaction survey from the bank, opened, then previewed as a participant.
    page.goto(f"/en/evaluations/workshops/{workshop.pk}/")
    page.select_option("select[name=kind]", "reaction")
    for question in reaction:
        page.check(f"input[name=questions][value='{question.pk}']")
    check("workshop questionnaires")
    page.get_by_role("button", name="Create the questionnaire").click()
    page.wait_for_load_state()
    assert "Questionnaire created: Reaction survey." in page.content()
    page.get_by_role("button", name="Open the questionnaire").click()
    page.wait_for_load_state()
    assert "accepting answers" in page.content()
    check("questionnaire")
    page.get_by_role("link", name="Preview as participant").click()
    page.wait_for_load_state()
    assert "Nothing you do here is saved." in page.content()
    check("preview")

    # Answers (the participants' personal link comes later), then the results with their charts.
    from workshops.evaluations.models import Questionnaire

    survey = Questionnaire.objects.get(workshop=workshop, kind="reaction")
    pre = services.questionnaire_open(
        questionnaire=services.questionnaire_create(workshop=workshop, kind="pre_test", questions=knowledge, by=staff),
        by=staff,
    )
    post = services.questionnaire_open(
        questionnaire=services.questionnaire_create(workshop=workshop, kind="post_test", by=staff), by=staff
    )
    for index, person in enumerate(people):
        services.submit(
            nomination=person,
            questionnaire=survey,
            answers=reaction_answers(reaction, rating=3 + index % 3, text=f"Comment number {index + 1}"),
        )
        services.submit(nomination=person, questionnaire=pre, answers=knowledge_answers(knowledge, index % 3))
        services.submit(nomination=person, questionnaire=post, answers=knowledge_answers(knowledge, 3 + index % 3))
    page.goto(f"/en/evaluations/workshops/{workshop.pk}/results/")
    content = page.content()
    assert "4 submitted out of 4 accepted participants" in content
    assert page.locator("svg.chart").count() == 3 + 2 * 5  # reaction: 3 charted questions; each test: 5
    check("results")
    assert not found, found
    assert not page.console_errors
