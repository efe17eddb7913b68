"""Demo workshops for ``seed_demo``: one of each situation a project officer meets, made through the services."""

import datetime as dt

from django.utils import timezone

from bacuda_portal.members.models import Administration, User

from . import services
from .models import Workshop


def seed_workshops(*, manager: User, officer: User, contact_point: User, expert_user: User) -> None:
    if Workshop.objects.filter(title__startswith="[Demo]").exists():
        return
    from workshops.experts import services as expert_services
    from workshops.experts.models import Expert

    kenya, senegal = (Administration.objects.get(code=code) for code in ("KEN", "SEN"))
    expert = Expert.objects.filter(user=expert_user).first() or expert_services.expert_create(
        by=officer, full_name=expert_user.full_name, email=expert_user.email, user=expert_user, nationality=None
    )
    today = timezone.localdate()

    upcoming = services.workshop_create(
        by=officer,
        beneficiaries=[(kenya, 4), (senegal, 4)],
        title="[Demo] Regional workshop on machine learning for risk management",
        title_fr="[Démo] Atelier régional sur l'apprentissage automatique pour la gestion des risques",
        description="Five mornings of hands-on work on your administration's own risk data. Bring a laptop.",
        description_fr=(
            "Cinq matinées de travaux pratiques sur les données de risque de votre administration. "
            "Apportez un ordinateur portable."
        ),
        kind="regional",
        region=kenya.region,
        host_city="Nairobi",
        venue="Kenya School of Revenue Administration",
        start_date=today + dt.timedelta(days=21),
        end_date=today + dt.timedelta(days=25),
        time_zone="Africa/Nairobi",
        languages=["en", "fr"],
        seats=8,
    )
    assignment, _conflicts = services.assignment_create(
        workshop=upcoming, expert=expert, role="lead_trainer", by=officer
    )
    services.assignment_answer(assignment=assignment, accept=True, by=expert_user)
    for day in range(5):
        services.session_add(
            workshop=upcoming,
            by=officer,
            date=upcoming.start_date + dt.timedelta(days=day),
            start_time=dt.time(9, 0),
            end_time=dt.time(12, 30),
            topic=f"Day {day + 1}: hands-on session",
            topic_fr=f"Jour {day + 1} : séance pratique",
            trainer=expert,
        )
    for name, gender in (("Achieng Otieno", "female"), ("Brian Mwangi", "male")):
        services.nomination_create(
            workshop=upcoming,
            administration=kenya,
            by=contact_point,
            full_name=name,
            gender=gender,
            position="Risk analyst",
            email=f"{name.split()[0].lower()}@kra.example",
            language="en",
            consent_to_list=True,
        )
    services.workshop_confirm(workshop=upcoming, by=officer)

    past = services.workshop_create(
        by=officer,
        beneficiaries=[(kenya, 5)],
        title="[Demo] National workshop on data analytics with Python",
        title_fr="[Démo] Atelier national sur l'analyse de données avec Python",
        kind="national",
        region=kenya.region,
        host_city="Mombasa",
        venue="Customs Training Centre",
        start_date=today - dt.timedelta(days=30),
        end_date=today - dt.timedelta(days=26),
        time_zone="Africa/Nairobi",
        languages=["en"],
        seats=10,
    )
    sessions = [
        services.session_add(
            workshop=past,
            by=officer,
            date=past.start_date + dt.timedelta(days=day),
            start_time=dt.time(9, 0),
            end_time=dt.time(16, 0),
            topic=f"Day {day + 1}",
            topic_fr=f"Jour {day + 1}",
        )
        for day in range(5)
    ]
    participants = [
        services.nomination_create(
            workshop=past,
            administration=kenya,
            by=contact_point,
            full_name=name,
            gender=gender,
            position="Officer",
            email=f"{name.split()[0].lower()}.past@kra.example",
            language="en",
            consent_to_list=True,
        )
        for name, gender in (("Grace Njeri", "female"), ("Peter Kamau", "male"), ("Faith Chebet", "female"))
    ]
    assignment, _conflicts = services.assignment_create(workshop=past, expert=expert, role="lead_trainer", by=officer)
    services.assignment_answer(assignment=assignment, accept=True, by=expert_user)
    for participant in participants:
        services.nomination_accept(nomination=participant, by=officer)
    services.workshop_confirm(workshop=past, by=officer)
    marks = {(s.pk, p.pk): "present" for s in sessions for p in participants}
    marks[(sessions[0].pk, participants[2].pk)] = "absent"
    marks[(sessions[1].pk, participants[2].pk)] = "absent"
    services.attendance_record(workshop=past, marks=marks, by=officer)
    from .evaluations import demo as evaluation_demo

    bank = evaluation_demo.seed_question_bank(by=officer)
    evaluation_demo.seed_before_delivery(workshop=past, by=officer, bank=bank)
    services.workshop_deliver(workshop=past, by=officer)  # schedules the follow-up survey
    evaluation_demo.seed_answers(workshop=past, participants=participants, by=officer, bank=bank)

    _seed_mission(past=past, expert=expert, manager=manager, officer=officer, expert_user=expert_user, kenya=kenya)

    services.request_submit(
        administration=kenya,
        by=contact_point,
        topic="[Demo] AI-HS classification workshop",
        preferred_start=today + dt.timedelta(days=120),
        preferred_end=today + dt.timedelta(days=124),
        language="en",
        expected_participants=15,
        justification="Our tariff classification unit wants to pilot AI-HS.",
    )


def _seed_mission(*, past: Workshop, expert, manager: User, officer: User, expert_user: User, kenya) -> None:
    """The lead trainer's mission to the past workshop: approved travel request, a draft claim with one line."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from workshops.missions import services as mission_services

    mission = mission_services.mission_create(
        by=officer,
        traveller_expert=expert,
        workshop=past,
        destination_city="Mombasa",
        destination_country=kenya,
        start_date=past.start_date - dt.timedelta(days=1),
        end_date=past.end_date + dt.timedelta(days=1),
        purpose="Lead trainer of the national workshop on data analytics with Python.",
        mission_number="WCO-M-2026-0417",
    )
    travel_request = mission_services.travel_request_save(
        mission=mission,
        by=officer,
        itinerary="BRU-NBO-MBA and back",
        currency="EUR",
        dsa_days=6,
        dsa_rate=Decimal("210.00"),
        terminal_expenses=Decimal("120.00"),
        advance=Decimal("800.00"),
    )
    mission_services.travel_request_submit(travel_request=travel_request, by=officer)
    mission_services.travel_request_approve(travel_request=travel_request, by=manager)
    receipt = SimpleUploadedFile("taxi.pdf", _demo_receipt_pdf(), content_type="application/pdf")
    mission_services.claim_line_add(
        mission=mission,
        by=expert_user,
        date=past.start_date,
        category="local_transport",
        description="Taxi from the airport",
        amount=Decimal("3500.00"),
        currency="KES",
        exchange_rate=Decimal("0.0071"),
        receipt=receipt,
    )


def _demo_receipt_pdf() -> bytes:
    """A blank A6 page: a real PDF, since receipts go through the upload check like any other."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=298, height=420)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
