"""Ten years of activity for ``seed_demo --scale large``: 800 experts, 2,000 workshops with 5 sessions each,
40,000 nominations (half accepted, with attendance), 6,000 expert assignments. Repeatable (seeded random)."""

import datetime as dt
import random

from django.db import transaction

from bacuda_portal.members.models import Administration, User

EXPERTS, WORKSHOPS, SESSIONS_PER_WORKSHOP, NOMINATIONS_PER_WORKSHOP, ASSIGNMENTS_PER_WORKSHOP = 800, 2000, 5, 20, 3
FIRST_DAY = dt.date(2016, 1, 11)


@transaction.atomic
def seed_large_workshops(*, rng: random.Random, officer: User) -> None:
    from workshops.experts.models import Expert, ExpertiseArea, ExpertLanguage
    from workshops.models import Assignment, Attendance, Beneficiary, Nomination, Session, Workshop

    administrations = list(Administration.objects.select_related("region"))
    areas = list(ExpertiseArea.objects.all())
    experts = Expert.objects.bulk_create(
        Expert(full_name=f"Expert {n}", email=f"expert{n}@scale.example.org",
               administration=rng.choice(administrations), accreditation_status="accredited")
        for n in range(EXPERTS)
    )  # fmt: skip
    ExpertLanguage.objects.bulk_create(
        ExpertLanguage(expert=expert, language=language, level=rng.choice(["B2", "C1", "C2"]))
        for expert in experts
        for language in rng.sample(["en", "fr", "es", "ar", "pt", "ru"], 2)
    )
    through = Expert.expertise_areas.through
    through.objects.bulk_create(
        through(expert_id=expert.pk, expertisearea_id=area.pk) for expert in experts for area in rng.sample(areas, 2)
    )
    beneficiaries = rng.choices(administrations, k=WORKSHOPS)
    workshops = Workshop.objects.bulk_create(
        Workshop(title=f"Workshop {n + 1} on data analytics", kind="national", status="closed",
                 region=administration.region, host_city="Capital", venue="Customs training centre",
                 start_date=FIRST_DAY + dt.timedelta(days=n * 2), end_date=FIRST_DAY + dt.timedelta(days=n * 2 + 4),
                 time_zone="UTC", languages=["en"], seats=NOMINATIONS_PER_WORKSHOP, created_by=officer)
        for n, administration in enumerate(beneficiaries)
    )  # fmt: skip
    Beneficiary.objects.bulk_create(
        Beneficiary(workshop=w, administration=a, quota=NOMINATIONS_PER_WORKSHOP)
        for w, a in zip(workshops, beneficiaries, strict=True)
    )
    sessions = Session.objects.bulk_create(
        Session(workshop=w, date=w.start_date + dt.timedelta(days=day), start_time=dt.time(9), end_time=dt.time(12),
                topic=f"Day {day + 1}")
        for w in workshops for day in range(SESSIONS_PER_WORKSHOP)
    )  # fmt: skip
    nominations = Nomination.objects.bulk_create(
        Nomination(workshop=w, administration=a, nominated_by=officer, full_name=f"Participant {w.pk}-{n}",
                   gender=rng.choice(["female", "male"]), position="Officer", email=f"p{w.pk}-{n}@scale.example.org",
                   language="en", consent_to_list=True, status="accepted" if n % 2 == 0 else "declined")
        for w, a in zip(workshops, beneficiaries, strict=True) for n in range(NOMINATIONS_PER_WORKSHOP)
    )  # fmt: skip
    sessions_by_workshop: dict[int, list] = {}
    for session in sessions:
        sessions_by_workshop.setdefault(session.workshop_id, []).append(session)
    Attendance.objects.bulk_create(
        (
            Attendance(session=session, nomination=nomination, status=rng.choice(["present"] * 8 + ["late", "absent"]))
            for nomination in nominations
            if nomination.status == "accepted"
            for session in sessions_by_workshop[nomination.workshop_id]
        ),
        batch_size=5000,
    )
    Assignment.objects.bulk_create(
        Assignment(workshop=w, expert=expert, role="trainer", status="confirmed")
        for w in workshops
        for expert in rng.sample(experts, ASSIGNMENTS_PER_WORKSHOP)
    )
    # The latest workshop is delivered, so its attendance page and certificates can be exercised.
    Workshop.objects.filter(pk=workshops[-1].pk).update(status="delivered")
