"""The evaluation indicators (mean satisfaction, knowledge gain, application at follow-up) against figures
worked out by hand on a small world, with their disaggregation by sex and region and the empty cases.

The world (period 2025):
* W1, national for Kenya (ESA), ended 10 March 2025. Anonymous reaction survey: 5, 4, 3. Knowledge tests:
  Ann (f) 2 -> 4, Ben (m) 3 -> 3, Cat (f) 1 -> (no post-test). Named follow-up: Ann rates the application 5 (and
  an unflagged question 1), Ben rates it 2.
* W2, regional for Kenya and Senegal (WCA), ended 30 June 2025. Named reaction survey: Dia (m, Senegal) 2,
  Eve (f, Kenya) 5.
* W0, ended 31 December 2024 (outside the period): anonymous reaction survey 1, 1, 1.
"""

import datetime as dt
from decimal import Decimal

import pytest

from bacuda_portal.members.models import Administration, Region
from bacuda_portal.reports import indicators
from tests.evaluations.conftest import knowledge_answers, open_questionnaire
from tests.evaluations.factories import QuestionFactory, choice_question
from workshops.evaluations import services

from .factories import delivered_workshop, participant

pytestmark = pytest.mark.django_db

Y_START, Y_END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def compute(key, start=Y_START, end=Y_END, **filters):
    return indicators.compute(key, start, end, **filters)


def _rated(workshop, staff, people_ratings, *, anonymous, question):
    survey = open_questionnaire(workshop, "reaction", [question], staff, anonymous=anonymous)
    for person, rating in people_ratings:
        services.submit(nomination=person, questionnaire=survey, answers={str(question.pk): rating})


@pytest.fixture
def world(staff):
    kenya, senegal = Administration.objects.get(code="KEN"), Administration.objects.get(code="SEN")
    satisfaction = QuestionFactory(text_en="How satisfied are you?")
    w1 = delivered_workshop(dt.date(2025, 3, 10))
    ann = participant(w1, email="ann@kra.example", attended=5)
    ben = participant(w1, email="ben@kra.example", attended=5, gender="male")
    cat = participant(w1, email="cat@kra.example", attended=5)
    _rated(w1, staff, [(ann, 5), (ben, 4), (cat, 3)], anonymous=True, question=satisfaction)
    knowledge = [
        choice_question(f"Question {n}", ["yes", "no"], correct=["yes"], points=1, by=staff) for n in range(1, 6)
    ]
    pre = open_questionnaire(w1, "pre_test", knowledge, staff)
    post = open_questionnaire(w1, "post_test", [], staff)
    for person, before, after in ((ann, 2, 4), (ben, 3, 3), (cat, 1, None)):
        services.submit(nomination=person, questionnaire=pre, answers=knowledge_answers(knowledge, before))
        if after is not None:
            services.submit(nomination=person, questionnaire=post, answers=knowledge_answers(knowledge, after))
    applies = QuestionFactory(text_en="I apply what I learnt at work", measures_application=True)
    other = QuestionFactory(text_en="How often do you use Python?")
    follow_up = open_questionnaire(w1, "follow_up", [applies, other], staff)
    for person, rating in ((ann, 5), (ben, 2)):
        services.submit(nomination=person, questionnaire=follow_up, answers={str(applies.pk): rating, str(other.pk): 1})
    w2 = delivered_workshop(dt.date(2025, 6, 30), administrations=[kenya, senegal], kind="regional")
    dia = participant(w2, email="dia@douanes.example", attended=5, gender="male", administration=senegal)
    eve = participant(w2, email="eve@kra.example", attended=5)
    _rated(w2, staff, [(dia, 2), (eve, 5)], anonymous=False, question=satisfaction)
    w0 = delivered_workshop(dt.date(2024, 12, 31))
    earlier = [participant(w0, email=f"old{n}@kra.example", attended=5) for n in range(3)]
    _rated(w0, staff, [(person, 1) for person in earlier], anonymous=True, question=satisfaction)
    return {"kenya": kenya, "senegal": senegal}


def test_mean_satisfaction_is_the_mean_of_every_rating_of_the_period(world):
    result = compute("mean_satisfaction")
    assert result.value == Decimal("3.80")  # (5 + 4 + 3 + 2 + 5) / 5; the 2024 workshop's ones left out
    assert result.by_sex == {"female": Decimal("5.00"), "male": Decimal("2.00"), "unknown": Decimal("4.00")}
    assert result.by_region == {"ESA": Decimal("4.25"), "WCA": Decimal("2.00")}


def test_mean_satisfaction_for_one_administration_or_region(world):
    # Kenya: W1's anonymous answers (a workshop for Kenya alone) and Eve's named one; not Dia's.
    assert compute("mean_satisfaction", administration=world["kenya"]).value == Decimal("4.25")
    assert compute("mean_satisfaction", administration=world["senegal"]).value == Decimal("2.00")
    wca = compute("mean_satisfaction", region=Region.objects.get(code="WCA"))
    assert wca.value == Decimal("2.00") and wca.by_region == {"WCA": Decimal("2.00")}


def test_anonymous_answers_of_a_regional_workshop_count_in_each_region_but_for_no_single_administration(staff):
    kenya, senegal = Administration.objects.get(code="KEN"), Administration.objects.get(code="SEN")
    question = QuestionFactory()
    workshop = delivered_workshop(dt.date(2025, 5, 2), administrations=[kenya, senegal], kind="regional")
    people = [participant(workshop, email=f"p{n}@example.org", attended=5) for n in range(3)]
    _rated(workshop, staff, list(zip(people, (4, 4, 1), strict=True)), anonymous=True, question=question)
    result = compute("mean_satisfaction")
    assert result.value == Decimal("3.00")
    assert result.by_region == {"ESA": Decimal("3.00"), "WCA": Decimal("3.00")}
    assert result.by_sex == {"unknown": Decimal("3.00")}
    assert compute("mean_satisfaction", administration=kenya).value is None


def test_share_with_knowledge_gain_counts_participants_who_took_both_tests(world):
    result = compute("share_with_knowledge_gain")
    assert result.value == Decimal("50.0")  # Ann gained, Ben did not; Cat took the pre-test only
    assert result.by_sex == {"female": Decimal("100.0"), "male": Decimal("0.0")}
    assert result.by_region == {"ESA": Decimal("50.0")}
    assert compute("share_with_knowledge_gain", administration=world["senegal"]).value is None


def test_share_applying_learning_reads_only_the_questions_that_measure_it(world):
    result = compute("share_applying_learning")
    assert result.value == Decimal("50.0")  # Ann 5 (applies), Ben 2; the unflagged rating of 1 is not read
    assert result.by_sex == {"female": Decimal("100.0"), "male": Decimal("0.0")}
    assert result.by_region == {"ESA": Decimal("50.0")}


@pytest.mark.parametrize("key", ["mean_satisfaction", "share_with_knowledge_gain", "share_applying_learning"])
def test_a_period_without_evaluations_has_no_value(world, key):
    result = compute(key, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert result.value is None and result.by_sex == {} and result.by_region == {}


def test_drafts_and_workshops_not_delivered_do_not_count(staff):
    question = QuestionFactory()
    planned = delivered_workshop(dt.date(2025, 4, 4), status="confirmed")
    person = participant(planned, email="a@example.org", attended=5)
    _rated(planned, staff, [(person, 5)], anonymous=False, question=question)
    delivered = delivered_workshop(dt.date(2025, 4, 4))
    drafter = participant(delivered, email="b@example.org", attended=5)
    survey = open_questionnaire(delivered, "reaction", [question], staff, anonymous=False)
    services.save_draft(nomination=drafter, questionnaire=survey, answers={str(question.pk): 5})
    assert compute("mean_satisfaction").value is None


def test_the_evaluation_indicators_run_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for key, most in (("mean_satisfaction", 4), ("share_with_knowledge_gain", 1), ("share_applying_learning", 4)):
        with django_assert_max_num_queries(most):
            compute(key)
