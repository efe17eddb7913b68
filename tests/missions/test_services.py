"""Every transition of the flow, allowed and refused, with the message the user reads."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.models import AuditEntry
from workshops.missions import services
from workshops.missions.enums import ClaimStatus, TravelRequestStatus
from workshops.missions.models import Claim, ClaimLine, Mission, TravelRequest

from .factories import ClaimFactory, MissionFactory, TravelRequestFactory, pdf_receipt

REQUEST_FIELDS = {
    "itinerary": "GVA–NBO 3 March, NBO–GVA 7 March",
    "currency": "EUR",
    "dsa_days": 4,
    "dsa_rate": Decimal("250.00"),
    "terminal_expenses": Decimal("120.00"),
    "advance": Decimal("500.00"),
}


def line_fields(**overrides):
    fields = {
        "date": timezone.localdate() - dt.timedelta(days=12),
        "category": "local_transport",
        "description": "Taxi from the airport",
        "amount": Decimal("45.00"),
        "currency": "EUR",
        "receipt": pdf_receipt(),
    }
    return {**fields, **overrides}


def receipt_files() -> set[Path]:
    """Every stored private file (the folder is shared by the test session: compare before and after)."""
    return {path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()}


# --- Missions ------------------------------------------------------------------------------------------
def test_staff_create_a_mission(staff, expert_profile, kenya):
    mission = services.mission_create(
        by=staff,
        traveller_expert=expert_profile,
        destination_city="Mombasa",
        destination_country=kenya,
        start_date=dt.date(2026, 5, 4),
        end_date=dt.date(2026, 5, 8),
        purpose="Workshop delivery",
        mission_number="  MS-2026-7 ",
    )
    assert mission.created_by == staff
    assert mission.mission_number == "MS-2026-7"
    assert AuditEntry.objects.filter(action="missions.mission.created", target_id=str(mission.pk)).exists()


def test_an_expert_cannot_create_a_mission(expert, expert_profile, kenya):
    with pytest.raises(TransitionError, match="Only WCO staff can do this"):
        services.mission_create(
            by=expert,
            traveller_expert=expert_profile,
            destination_city="Mombasa",
            destination_country=kenya,
            start_date=dt.date(2026, 5, 4),
            end_date=dt.date(2026, 5, 8),
            purpose="Workshop delivery",
        )
    assert not Mission.objects.exists()


def test_a_mission_with_two_travellers_is_refused(staff, expert_profile, kenya):
    with pytest.raises(ValidationError) as error:
        services.mission_create(
            by=staff,
            traveller_user=staff,
            traveller_expert=expert_profile,
            destination_city="Mombasa",
            destination_country=kenya,
            start_date=dt.date(2026, 5, 4),
            end_date=dt.date(2026, 5, 8),
            purpose="Workshop delivery",
        )
    assert error.value.message_dict["traveller_user"] == [
        "Choose one traveller: a staff member or an expert, not both."
    ]
    assert not Mission.objects.exists()


def test_the_traveller_is_fixed_once_the_request_is_submitted(submitted_request, staff):
    with pytest.raises(TransitionError, match="the traveller can no longer be changed"):
        services.mission_update(
            mission=submitted_request.mission, by=staff, traveller_expert=None, traveller_user=staff
        )


def test_a_mission_cannot_change_once_its_claim_is_submitted(submitted_claim, staff):
    with pytest.raises(TransitionError, match="can no longer be changed"):
        services.mission_update(mission=submitted_claim.mission, by=staff, destination_city="Kisumu")
    submitted_claim.mission.refresh_from_db()
    assert submitted_claim.mission.destination_city == "Nairobi"


def test_a_mission_update_is_audited_with_the_changed_fields(mission, staff):
    services.mission_update(mission=mission, by=staff, destination_city="Kisumu", purpose=mission.purpose)
    entry = AuditEntry.objects.get(action="missions.mission.updated")
    assert entry.data["fields"] == ["destination_city"]


# --- Travel requests -----------------------------------------------------------------------------------
def test_staff_write_a_draft_request(mission, staff):
    request = services.travel_request_save(mission=mission, by=staff, **REQUEST_FIELDS)
    assert request.status == TravelRequestStatus.DRAFT
    assert request.total == Decimal("1120.00")


def test_a_request_with_an_advance_over_the_total_is_not_saved(mission, staff):
    with pytest.raises(ValidationError) as error:
        services.travel_request_save(mission=mission, by=staff, **{**REQUEST_FIELDS, "advance": Decimal("2000.00")})
    assert "advance" in error.value.message_dict
    assert not TravelRequest.objects.exists()


def test_a_request_in_an_unknown_currency_is_not_saved(mission, staff):
    with pytest.raises(ValidationError) as error:
        services.travel_request_save(mission=mission, by=staff, **{**REQUEST_FIELDS, "currency": "XYZ"})
    assert error.value.message_dict["currency"] == ["XYZ is not an ISO 4217 currency code."]
    assert not TravelRequest.objects.exists()


def test_staff_submit_a_draft_request(draft_request, staff):
    services.travel_request_submit(travel_request=draft_request, by=staff)
    draft_request.refresh_from_db()
    assert draft_request.status == TravelRequestStatus.SUBMITTED
    assert draft_request.submitted_by == staff
    with pytest.raises(TransitionError, match="Only a draft travel request can be submitted"):
        services.travel_request_submit(travel_request=draft_request, by=staff)


def test_an_expert_cannot_submit_a_request(draft_request, expert):
    with pytest.raises(TransitionError, match="Only WCO staff can do this"):
        services.travel_request_submit(travel_request=draft_request, by=expert)


def test_a_submitted_request_cannot_be_edited(submitted_request, staff):
    with pytest.raises(TransitionError, match="Only a draft or a rejected travel request can be changed"):
        services.travel_request_save(mission=submitted_request.mission, by=staff, dsa_days=9)


def test_the_project_manager_approves_and_the_traveller_is_emailed(
    submitted_request, project_manager, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.travel_request_approve(travel_request=submitted_request, by=project_manager, comment="Fine.")
    submitted_request.refresh_from_db()
    assert submitted_request.status == TravelRequestStatus.APPROVED
    assert submitted_request.decided_by == project_manager
    assert submitted_request.decided_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["expert@example.org"]
    assert "approved" in mail.outbox[0].subject
    assert "1120.00 EUR" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="missions.request.approved").exists()


def test_a_project_officer_cannot_approve(submitted_request, staff):
    with pytest.raises(TransitionError, match="Only the project manager can approve or reject"):
        services.travel_request_approve(travel_request=submitted_request, by=staff)
    submitted_request.refresh_from_db()
    assert submitted_request.status == TravelRequestStatus.SUBMITTED


def test_the_project_manager_cannot_approve_what_they_submitted(mission, project_manager):
    request = TravelRequestFactory(mission=mission, submitted=True, submitted_by=project_manager)
    with pytest.raises(TransitionError, match="You cannot decide on your own travel or on something you submitted"):
        services.travel_request_approve(travel_request=request, by=project_manager)


def test_the_project_manager_cannot_approve_their_own_travel(project_manager, staff):
    request = TravelRequestFactory(
        mission=MissionFactory(traveller_expert=None, traveller_user=project_manager),
        submitted=True,
        submitted_by=staff,
    )
    with pytest.raises(TransitionError, match="You cannot decide on your own travel"):
        services.travel_request_approve(travel_request=request, by=project_manager)


def test_only_a_submitted_request_is_decided(draft_request, project_manager):
    with pytest.raises(TransitionError, match="Only a submitted travel request can be approved or rejected"):
        services.travel_request_approve(travel_request=draft_request, by=project_manager)


def test_a_rejection_needs_a_comment_and_is_corrected_back_to_draft(
    submitted_request, project_manager, staff, eager_tasks, django_capture_on_commit_callbacks
):
    with pytest.raises(TransitionError, match="the comment is required"):
        services.travel_request_reject(travel_request=submitted_request, by=project_manager, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.travel_request_reject(
            travel_request=submitted_request, by=project_manager, comment="The DSA rate for Nairobi is 231."
        )
    submitted_request.refresh_from_db()
    assert submitted_request.status == TravelRequestStatus.REJECTED
    assert "The DSA rate for Nairobi is 231." in mail.outbox[0].body

    corrected = services.travel_request_save(mission=submitted_request.mission, by=staff, dsa_rate=Decimal("231.00"))
    assert corrected.status == TravelRequestStatus.DRAFT
    assert corrected.decided_at is None
    assert corrected.comment == "The DSA rate for Nairobi is 231."
    assert corrected.total == Decimal("1044.00")


# --- Claims --------------------------------------------------------------------------------------------
def test_the_traveller_adds_a_line_and_the_claim_is_created(approved_request, expert):
    line = services.claim_line_add(mission=approved_request.mission, by=expert, **line_fields())
    assert line.claim.status == ClaimStatus.DRAFT
    assert line.added_by == expert
    assert line.receipt.read().startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="missions.claim.line_added").exists()


def test_staff_add_a_line_on_the_travellers_behalf(approved_request, staff):
    services.claim_line_add(mission=approved_request.mission, by=staff, **line_fields())
    assert ClaimLine.objects.count() == 1


def test_another_expert_cannot_add_a_line(approved_request, other_expert):
    with pytest.raises(TransitionError, match="Only the traveller or WCO staff can change this claim"):
        services.claim_line_add(mission=approved_request.mission, by=other_expert, **line_fields())
    assert not Claim.objects.exists()


def test_no_claim_before_the_request_is_approved(submitted_request, expert):
    with pytest.raises(TransitionError, match="once the mission's travel request is approved"):
        services.claim_line_add(mission=submitted_request.mission, by=expert, **line_fields())
    assert not Claim.objects.exists()


def test_a_line_in_an_unknown_currency_leaves_nothing_behind(approved_request, expert):
    files_before = receipt_files()
    with pytest.raises(ValidationError) as error:
        services.claim_line_add(mission=approved_request.mission, by=expert, **line_fields(currency="XYZ"))
    assert error.value.message_dict["currency"] == ["XYZ is not an ISO 4217 currency code."]
    assert not Claim.objects.exists()
    assert not ClaimLine.objects.exists()
    assert receipt_files() == files_before


def test_a_foreign_line_needs_an_exchange_rate(approved_request, expert):
    with pytest.raises(ValidationError) as error:
        services.claim_line_add(
            mission=approved_request.mission, by=expert, **line_fields(currency="KES", amount=Decimal("3500.00"))
        )
    assert "give the exchange rate" in error.value.message_dict["exchange_rate"][0]
    assert not Claim.objects.exists()

    line = services.claim_line_add(
        mission=approved_request.mission,
        by=expert,
        **line_fields(currency="kes", amount=Decimal("3500.00"), exchange_rate=Decimal("0.0071")),
    )
    assert line.currency == "KES"
    assert line.amount_in("EUR") == Decimal("24.85")


def test_a_rate_given_for_a_line_in_the_request_currency_is_ignored(approved_request, expert):
    line = services.claim_line_add(
        mission=approved_request.mission, by=expert, **line_fields(exchange_rate=Decimal("1.5"))
    )
    assert line.exchange_rate is None
    assert line.amount_in("EUR") == Decimal("45.00")


def test_a_receipt_that_is_not_a_pdf_or_image_is_refused(approved_request, expert):
    files_before = receipt_files()
    receipt = SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not really a PDF", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.claim_line_add(mission=approved_request.mission, by=expert, **line_fields(receipt=receipt))
    assert error.value.message_dict["receipt"] == ["This file type is not accepted. Accepted: PDF, PNG, JPEG."]
    assert not Claim.objects.exists()
    assert receipt_files() == files_before


def test_a_receipt_over_five_megabytes_is_refused(approved_request, expert):
    files_before = receipt_files()
    receipt = pdf_receipt(content=b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.claim_line_add(mission=approved_request.mission, by=expert, **line_fields(receipt=receipt))
    assert error.value.message_dict["receipt"] == ["The file is too large (5.0 MB); the limit is 5 MB."]
    assert not Claim.objects.exists()
    assert receipt_files() == files_before


def test_removing_a_line_deletes_its_receipt(claim_line, expert, django_capture_on_commit_callbacks):
    path = Path(claim_line.receipt.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_line_remove(line=claim_line, by=expert)
    assert not ClaimLine.objects.exists()
    assert not path.exists()


def test_the_traveller_submits_the_claim_after_the_mission(draft_claim, expert):
    services.claim_submit(claim=draft_claim, by=expert)
    draft_claim.refresh_from_db()
    assert draft_claim.status == ClaimStatus.SUBMITTED
    assert draft_claim.submitted_by == expert
    with pytest.raises(TransitionError, match="Only a draft or a rejected claim can be changed"):
        services.claim_line_add(mission=draft_claim.mission, by=expert, **line_fields())


def test_a_claim_before_the_mission_ends_is_refused(draft_claim, expert):
    mission = draft_claim.mission
    with pytest.raises(TransitionError) as error:
        services.claim_submit(claim=draft_claim, by=expert, today=mission.end_date)
    assert str(error.value) == (
        f"A claim can be submitted only after the mission has ended (it ends on {mission.end_date.isoformat()})."
    )
    draft_claim.refresh_from_db()
    assert draft_claim.status == ClaimStatus.DRAFT
    services.claim_submit(claim=draft_claim, by=expert, today=mission.end_date + dt.timedelta(days=1))


def test_a_claim_without_lines_cannot_be_submitted(approved_request, expert):
    claim = ClaimFactory(mission=approved_request.mission)
    with pytest.raises(TransitionError, match="Add at least one expense"):
        services.claim_submit(claim=claim, by=expert)


def test_another_expert_cannot_submit_the_claim(draft_claim, other_expert):
    with pytest.raises(TransitionError, match="Only the traveller or WCO staff can submit this claim"):
        services.claim_submit(claim=draft_claim, by=other_expert)


def test_the_project_manager_approves_a_claim_and_the_traveller_is_emailed(
    submitted_claim, project_manager, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=submitted_claim, by=project_manager)
    submitted_claim.refresh_from_db()
    assert submitted_claim.status == ClaimStatus.APPROVED
    assert mail.outbox[0].to == ["expert@example.org"]
    assert "480.00 EUR" in mail.outbox[0].body


def test_a_project_officer_cannot_approve_a_claim(submitted_claim, staff):
    with pytest.raises(TransitionError, match="Only the project manager can approve or reject"):
        services.claim_approve(claim=submitted_claim, by=staff)


def test_the_project_manager_cannot_approve_a_claim_they_submitted(draft_claim, project_manager):
    services.claim_submit(claim=draft_claim, by=project_manager)
    with pytest.raises(TransitionError, match="You cannot decide on your own travel or on something you submitted"):
        services.claim_approve(claim=draft_claim, by=project_manager)


def test_a_rejected_claim_is_corrected_back_to_draft(submitted_claim, project_manager, expert):
    with pytest.raises(TransitionError, match="the comment is required"):
        services.claim_reject(claim=submitted_claim, by=project_manager, comment="")
    services.claim_reject(claim=submitted_claim, by=project_manager, comment="The taxi receipt is missing.")
    submitted_claim.refresh_from_db()
    assert submitted_claim.status == ClaimStatus.REJECTED
    services.claim_line_add(mission=submitted_claim.mission, by=expert, **line_fields())
    submitted_claim.refresh_from_db()
    assert submitted_claim.status == ClaimStatus.DRAFT
    assert submitted_claim.comment == "The taxi receipt is missing."
    assert submitted_claim.lines.count() == 2


def test_staff_record_the_payment_of_an_approved_claim(
    approved_request, staff, eager_tasks, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(mission=approved_request.mission, approved=True)
    with pytest.raises(TransitionError, match="Give the payment reference"):
        services.claim_mark_paid(claim=claim, by=staff, paid_on=timezone.localdate(), payment_reference=" ")
    with pytest.raises(TransitionError, match="cannot be in the future"):
        services.claim_mark_paid(
            claim=claim, by=staff, paid_on=timezone.localdate() + dt.timedelta(days=1), payment_reference="PAY-1"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_mark_paid(claim=claim, by=staff, paid_on=timezone.localdate(), payment_reference="PAY-1")
    claim.refresh_from_db()
    assert (claim.status, claim.payment_reference, claim.paid_by) == (ClaimStatus.PAID, "PAY-1", staff)
    assert "PAY-1" in mail.outbox[0].body


def test_only_an_approved_claim_is_paid(submitted_claim, staff):
    with pytest.raises(TransitionError, match="Only an approved claim can be marked as paid"):
        services.claim_mark_paid(claim=submitted_claim, by=staff, paid_on=timezone.localdate(), payment_reference="P")


def test_an_expert_cannot_record_a_payment(approved_request, expert):
    claim = ClaimFactory(mission=approved_request.mission, approved=True)
    with pytest.raises(TransitionError, match="Only WCO staff can do this"):
        services.claim_mark_paid(claim=claim, by=expert, paid_on=timezone.localdate(), payment_reference="P")


def test_a_staff_traveller_cannot_record_their_own_payment(staff, project_manager):
    mission = MissionFactory(traveller_expert=None, traveller_user=staff)
    TravelRequestFactory(mission=mission, approved=True, decided_by=project_manager)
    claim = ClaimFactory(mission=mission, approved=True)
    with pytest.raises(TransitionError, match="You cannot record the payment of your own claim"):
        services.claim_mark_paid(claim=claim, by=staff, paid_on=timezone.localdate(), payment_reference="P")
