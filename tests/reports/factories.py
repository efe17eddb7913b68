"""Helpers that build the portal data the indicators are computed from, with known answers."""

import datetime as dt

from bacuda_portal.members.models import Administration
from bacuda_portal.reports.enums import IndicatorSource
from bacuda_portal.reports.models import Indicator, IndicatorTarget, Objective
from tests.workshops.factories import NominationFactory, SessionFactory, WorkshopFactory
from workshops.models import Attendance


def delivered_workshop(end_date: dt.date, *, sessions: int = 5, administrations=None, kind="national", **fields):
    """A closed workshop ending on ``end_date`` with ``sessions`` sessions, for Kenya unless told."""
    administrations = administrations or [Administration.objects.get(code="KEN")]
    workshop = WorkshopFactory(
        start_date=end_date - dt.timedelta(days=max(sessions - 1, 0)),
        end_date=end_date,
        status=fields.pop("status", "closed"),
        kind=kind,
        beneficiaries=[(administration, 20) for administration in administrations],
        **fields,
    )
    for day in range(sessions):
        SessionFactory(workshop=workshop, date=workshop.start_date + dt.timedelta(days=day), topic=f"Day {day + 1}")
    return workshop


def participant(workshop, *, email: str, attended: int, gender="female", status="accepted", administration=None,
                mark="present"):  # fmt: skip
    """A nomination who attended the first ``attended`` sessions of ``workshop`` (absent from the others)."""
    nomination = NominationFactory(
        workshop=workshop,
        email=email,
        gender=gender,
        status=status,
        administration=administration or Administration.objects.get(code="KEN"),
        full_name=email.split("@")[0].title(),
    )
    sessions = list(workshop.sessions.order_by("date", "start_time"))
    Attendance.objects.bulk_create(
        Attendance(session=session, nomination=nomination, status=mark if index < attended else "absent")
        for index, session in enumerate(sessions)
    )
    return nomination


def framework(year: int) -> dict[str, Indicator]:
    """An objective with one indicator per computed key, each with a yearly target, and one manual indicator."""
    from bacuda_portal.reports.indicators import REGISTRY

    objective = Objective.objects.create(code="O1", title_en="Officials are trained", title_fr="Formation")
    indicators = {}
    for order, key in enumerate(REGISTRY):
        indicators[key] = Indicator.objects.create(
            objective=objective,
            code=f"1.{order + 1}",
            title_en=str(REGISTRY[key].title),
            unit="n",
            source=IndicatorSource.COMPUTED,
            computed_key=key,
            order=order,
        )
        IndicatorTarget.objects.create(
            indicator=indicators[key], period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31), value=10
        )
    indicators["manual"] = Indicator.objects.create(
        objective=objective, code="9.1", title_en="Seizures reported", unit="n", source=IndicatorSource.MANUAL, order=99
    )
    return indicators


def scholar(administration, *, outcome_on: dt.date | None, result="graduated", gender="female"):
    """A candidate selected (released 1 March 2024) who accepted the offer, with their programme outcome on
    ``outcome_on`` (None: no outcome recorded yet)."""
    from django.utils import timezone

    from scholarships.models import Decision, ProgrammeOutcome
    from tests.scholarships.factories import SubmittedApplicationFactory

    application = SubmittedApplicationFactory(administration=administration, gender=gender)
    released = timezone.make_aware(dt.datetime(2024, 3, 1, 10))
    Decision.objects.create(application=application, call=application.call, outcome="selected", status="released",
                            released_at=released, offer_status="accepted", replied_at=released)  # fmt: skip
    if outcome_on is not None:
        ProgrammeOutcome.objects.create(application=application, result=result, ended_on=outcome_on,
                                        reason="" if result == "graduated" else "Recalled to duty")  # fmt: skip
    return application
