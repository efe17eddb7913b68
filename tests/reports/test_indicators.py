"""Each computed indicator from fixture data with known answers, including the edge cases."""

import datetime as dt

import pytest
from django.utils import timezone

from bacuda_portal.members.models import Administration
from bacuda_portal.reports import indicators
from tests.missions.factories import MissionFactory
from tests.workshops.factories import AssignmentFactory, ExpertFactory

from .factories import delivered_workshop, participant, scholar

pytestmark = pytest.mark.django_db

Y_START, Y_END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def trained(start=Y_START, end=Y_END, **filters):
    return indicators.compute("officials_trained", start, end, **filters)


def test_a_participant_in_two_workshops_counts_once():
    first = delivered_workshop(dt.date(2025, 3, 14))
    second = delivered_workshop(dt.date(2025, 9, 12))
    participant(first, email="grace@kra.go.ke", attended=5)
    participant(second, email="Grace@KRA.go.ke", attended=5)
    participant(second, email="john@kra.go.ke", attended=5, gender="male")
    result = trained()
    assert result.value == 2
    assert result.by_sex == {"female": 1, "male": 1}


def test_withdrawn_declined_and_waitlisted_participants_never_count():
    workshop = delivered_workshop(dt.date(2025, 5, 9))
    participant(workshop, email="withdrawn@kra.go.ke", attended=5, status="withdrawn")
    participant(workshop, email="declined@kra.go.ke", attended=5, status="declined")
    participant(workshop, email="waiting@kra.go.ke", attended=5, status="waitlisted")
    participant(workshop, email="accepted@kra.go.ke", attended=5)
    assert trained().value == 1


def test_below_the_certificate_attendance_share_does_not_count(settings):
    settings.BACUDA_CERTIFICATE_ATTENDANCE_SHARE = 0.8
    workshop = delivered_workshop(dt.date(2025, 5, 9), sessions=5)
    participant(workshop, email="three@kra.go.ke", attended=3)  # 60 %
    participant(workshop, email="four@kra.go.ke", attended=4)  # 80 %: exactly the share
    participant(workshop, email="late@kra.go.ke", attended=4, mark="late")  # late counts as attended
    participant(workshop, email="excused@kra.go.ke", attended=5, mark="excused")  # excused does not
    assert trained().value == 2
    settings.BACUDA_CERTIFICATE_ATTENDANCE_SHARE = 1.0
    assert trained().value == 0


def test_a_workshop_without_sessions_or_not_delivered_trains_nobody():
    empty = delivered_workshop(dt.date(2025, 5, 9), sessions=0)
    participant(empty, email="a@kra.go.ke", attended=0)
    confirmed = delivered_workshop(dt.date(2025, 6, 9), status="confirmed")
    participant(confirmed, email="b@kra.go.ke", attended=5)
    assert trained().value == 0


def test_period_boundaries_follow_the_workshops_end_date():
    last_day = delivered_workshop(dt.date(2025, 12, 31))
    day_after = delivered_workshop(dt.date(2026, 1, 1))  # starts in December 2025
    first_day = delivered_workshop(dt.date(2025, 1, 1), sessions=1)
    participant(last_day, email="last@kra.go.ke", attended=5)
    participant(day_after, email="after@kra.go.ke", attended=5)
    participant(first_day, email="first@kra.go.ke", attended=1)
    assert trained().value == 2
    assert trained(dt.date(2026, 1, 1), dt.date(2026, 12, 31)).value == 1
    assert trained(dt.date(2025, 10, 1), dt.date(2025, 12, 31)).value == 1  # the fourth quarter
    assert indicators.officials_trained_by_year(2024, 2026) == {2024: 0, 2025: 2, 2026: 1}


def test_share_of_women_leaves_unknown_sex_out():
    workshop = delivered_workshop(dt.date(2025, 5, 9))
    participant(workshop, email="w1@kra.go.ke", attended=5, gender="female")
    participant(workshop, email="w2@kra.go.ke", attended=5, gender="female")
    participant(workshop, email="m1@kra.go.ke", attended=5, gender="male")
    participant(workshop, email="o1@kra.go.ke", attended=5, gender="other")
    result = indicators.compute("share_of_women_trained", Y_START, Y_END)
    assert str(result.value) == "66.7"  # 2 women of 3 people whose sex is known
    assert result.by_sex == {"female": 2, "male": 1, "other": 1}
    assert trained().value == 4


def test_share_of_women_is_none_without_anybody_of_known_sex():
    workshop = delivered_workshop(dt.date(2025, 5, 9))
    participant(workshop, email="o1@kra.go.ke", attended=5, gender="other")
    assert indicators.compute("share_of_women_trained", Y_START, Y_END).value is None


def test_officials_trained_by_region_and_by_administration(kenya, senegal):
    regional = delivered_workshop(dt.date(2025, 6, 6), administrations=[kenya, senegal], kind="regional")
    participant(regional, email="k1@kra.go.ke", attended=5, administration=kenya)
    participant(regional, email="k2@kra.go.ke", attended=5, administration=kenya, gender="male")
    participant(regional, email="s1@douanes.sn", attended=5, administration=senegal)
    result = trained()
    assert result.value == 3
    assert result.by_region == {kenya.region.code: 2, senegal.region.code: 1}
    assert trained(administration=kenya).value == 2
    assert trained(administration=senegal).by_sex == {"female": 1}
    assert trained(region=senegal.region).value == 1
    women = indicators.compute("share_of_women_trained", Y_START, Y_END)
    assert {k: str(v) for k, v in women.by_region.items()} == {kenya.region.code: "50.0", senegal.region.code: "100.0"}


def test_administrations_reached_per_region(kenya, senegal):
    morocco = Administration.objects.get(code="MAR")
    delivered_workshop(dt.date(2025, 2, 7), administrations=[kenya])
    delivered_workshop(dt.date(2025, 4, 4), administrations=[kenya, senegal], kind="regional")
    delivered_workshop(dt.date(2025, 4, 4), administrations=[morocco], status="cancelled")
    delivered_workshop(dt.date(2024, 4, 4), administrations=[morocco])
    result = indicators.compute("administrations_reached", Y_START, Y_END)
    assert result.value == 2
    assert result.by_region == {kenya.region.code: 1, senegal.region.code: 1}
    assert indicators.compute("administrations_reached", Y_START, Y_END, administration=morocco).value == 0


def test_workshops_delivered_by_kind(kenya, senegal):
    delivered_workshop(dt.date(2025, 2, 7))
    delivered_workshop(dt.date(2025, 3, 7), status="delivered")
    delivered_workshop(dt.date(2025, 4, 4), administrations=[kenya, senegal], kind="regional")
    delivered_workshop(dt.date(2025, 5, 2), status="planned")
    delivered_workshop(dt.date(2025, 5, 2), status="cancelled")
    result = indicators.compute("workshops_delivered", Y_START, Y_END)
    assert result.value == 3
    assert result.breakdown == {"national": 2, "regional": 1}
    assert result.by_region == {kenya.region.code: 3, senegal.region.code: 1}
    assert indicators.compute("workshops_delivered", Y_START, Y_END, administration=senegal).value == 1
    assert indicators.workshops_delivered_by_year(2025, 2025) == {2025: 3}


def test_experts_deployed_counts_each_expert_once(kenya):
    workshop = delivered_workshop(dt.date(2025, 3, 7))
    other = delivered_workshop(dt.date(2025, 8, 8))
    lead = ExpertFactory(administration=kenya)
    AssignmentFactory(workshop=workshop, expert=lead, status="confirmed")
    AssignmentFactory(workshop=other, expert=lead, status="confirmed")
    AssignmentFactory(workshop=workshop, status="proposed")  # never confirmed
    AssignmentFactory(workshop=delivered_workshop(dt.date(2025, 9, 5), status="cancelled"), status="confirmed")
    MissionFactory(traveller_expert=lead, start_date=dt.date(2025, 3, 2), end_date=dt.date(2025, 3, 8))
    MissionFactory(start_date=dt.date(2025, 11, 2), end_date=dt.date(2025, 11, 6))  # another expert travelled
    MissionFactory(start_date=dt.date(2024, 11, 2), end_date=dt.date(2024, 11, 6))  # the year before
    result = indicators.compute("experts_deployed", Y_START, Y_END)
    assert result.value == 2
    assert result.by_region[kenya.region.code] == 1


def test_scholars_selected_from_released_decisions(kenya, senegal):
    from scholarships.models import Decision
    from tests.scholarships.factories import SubmittedApplicationFactory

    released = timezone.make_aware(dt.datetime(2025, 6, 1, 10))
    applications = [
        SubmittedApplicationFactory(administration=kenya, gender="female"),
        SubmittedApplicationFactory(administration=senegal, gender="male"),
        SubmittedApplicationFactory(administration=kenya, gender="female"),
        SubmittedApplicationFactory(administration=kenya, gender="undisclosed"),
    ]
    outcomes = [("selected", "released"), ("selected", "released"), ("reserve", "released"), ("selected", "pending")]
    for application, (outcome, status) in zip(applications, outcomes, strict=True):
        Decision.objects.create(
            application=application,
            call=application.call,
            outcome=outcome,
            status=status,
            reserve_rank=1 if outcome == "reserve" else None,
            released_at=released if status == "released" else None,
        )
    result = indicators.compute("scholars_selected", Y_START, Y_END)
    assert result.value == 2
    assert result.by_sex == {"female": 1, "male": 1}
    assert indicators.compute("scholars_selected", Y_START, Y_END, administration=senegal).value == 1
    assert indicators.compute("scholars_selected", dt.date(2026, 1, 1), dt.date(2026, 12, 31)).value == 0


def test_scholars_graduated_by_graduation_date_in_the_period(kenya, senegal):
    scholar(kenya, outcome_on=dt.date(2025, 1, 1))  # the first day counts
    scholar(senegal, outcome_on=dt.date(2025, 12, 31), gender="male")  # the last day counts
    scholar(kenya, outcome_on=dt.date(2024, 12, 31))  # the day before: not
    scholar(kenya, outcome_on=dt.date(2026, 1, 1))  # the day after: not
    scholar(kenya, outcome_on=dt.date(2025, 6, 30), result="not_completed")  # did not complete: never
    scholar(kenya, outcome_on=None)  # accepted, still studying
    result = indicators.compute("scholars_graduated", Y_START, Y_END)
    assert result.value == 2
    assert result.by_sex == {"female": 1, "male": 1}
    assert result.by_region == {kenya.region.code: 1, senegal.region.code: 1}
    assert indicators.compute("scholars_graduated", Y_START, Y_END, administration=kenya).value == 1
    assert indicators.compute("scholars_graduated", Y_START, Y_END, administration=senegal).value == 1
    assert indicators.compute("scholars_graduated", Y_START, Y_END, region=senegal.region).value == 1
    assert indicators.compute("scholars_graduated", dt.date(2026, 1, 1), dt.date(2026, 12, 31)).value == 1


def test_a_corrected_outcome_moves_the_graduate(kenya, staff):
    from scholarships import services

    application = scholar(kenya, outcome_on=None)
    record = {"application": application, "by": staff, "today": dt.date(2026, 6, 1)}
    services.programme_outcome_record(result="graduated", ended_on=dt.date(2025, 7, 1), **record)
    assert indicators.compute("scholars_graduated", Y_START, Y_END).value == 1
    services.programme_outcome_record(result="not_completed", ended_on=dt.date(2025, 7, 1), reason="Left", **record)
    assert indicators.compute("scholars_graduated", Y_START, Y_END).value == 0


def test_courses_published_in_the_period_and_not_per_administration(kenya):
    from tests.elearning.factories import CourseFactory

    inside = CourseFactory(stage="published", clikc_url="https://clikc.wcoomd.org/course/1")
    outside = CourseFactory(stage="published", clikc_url="https://clikc.wcoomd.org/course/2")
    CourseFactory(stage="pilot")
    type(inside).objects.filter(pk=inside.pk).update(published_at=timezone.make_aware(dt.datetime(2025, 12, 31, 12)))
    type(outside).objects.filter(pk=outside.pk).update(published_at=timezone.make_aware(dt.datetime(2026, 1, 1, 12)))
    assert indicators.compute("courses_published", Y_START, Y_END).value == 1
    assert indicators.compute("courses_published", Y_START, Y_END, administration=kenya).value is None


def test_model_jobs_and_versions_per_administration(kenya, senegal):
    from algorithms.models import Algorithm, AlgorithmVersion, ModelJob

    finished = timezone.make_aware(dt.datetime(2025, 4, 1, 9))
    for administration, status in ((kenya, "succeeded"), (kenya, "succeeded"), (senegal, "succeeded"),
                                   (kenya, "failed")):  # fmt: skip
        ModelJob.objects.create(kind="date_train", administration=administration, status=status, finished_at=finished)
    ModelJob.objects.create(kind="date_train", administration=kenya, status="succeeded",
                            finished_at=finished.replace(year=2024))  # fmt: skip
    jobs = indicators.compute("model_jobs_run", Y_START, Y_END)
    assert jobs.value == 3
    assert jobs.breakdown == {"KEN": 2, "SEN": 1}
    assert indicators.compute("model_jobs_run", Y_START, Y_END, administration=senegal).value == 1
    algorithm = Algorithm.objects.create(slug="date", kind="date", name_en="DATE")
    AlgorithmVersion.objects.create(algorithm=algorithm, number=1, administration=kenya, publication="published",
                                    published_at=finished)  # fmt: skip
    AlgorithmVersion.objects.create(algorithm=algorithm, number=2, administration=kenya)  # a draft
    AlgorithmVersion.objects.create(algorithm=algorithm, number=3, publication="published", published_at=finished)
    versions = indicators.compute("algorithm_versions_deployed", Y_START, Y_END)
    assert versions.value == 2  # the WCO release counts in the total
    assert versions.breakdown == {"KEN": 1}
    assert indicators.compute("algorithm_versions_deployed", Y_START, Y_END, administration=senegal).value == 0


def test_every_registered_indicator_answers_for_an_empty_portal(kenya):
    for key in indicators.REGISTRY:
        result = indicators.compute(key, Y_START, Y_END)
        assert result.value in (0, None), key
        assert indicators.compute(key, Y_START, Y_END, administration=kenya).value in (0, None), key
