"""The mission pages: forms that refuse clearly and keep what was typed, the detail page's figures and buttons,
the list's filters and export, and the number of queries each page needs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import StaffFactory
from tests.workshops.factories import ExpertFactory, WorkshopFactory
from workshops.missions.enums import ClaimStatus
from workshops.missions.models import Claim, ClaimLine, Mission, TravelRequest
from workshops.missions.selectors import pending_claims, pending_travel_requests

from .factories import PDF_BYTES, PNG_BYTES, ClaimFactory, ClaimLineFactory, MissionFactory, TravelRequestFactory


def _line_post(mission, **overrides):
    data = {
        "date": (mission.start_date + dt.timedelta(days=1)).isoformat(),
        "category": "local_transport",
        "description": "Taxi from the airport",
        "amount": "45.00",
        "currency": "EUR",
        "exchange_rate": "",
        "receipt": SimpleUploadedFile("taxi.pdf", PDF_BYTES, content_type="application/pdf"),
    }
    return {**data, **overrides}


# --- Mission form ----------------------------------------------------------------------------------------
def test_staff_create_a_mission_from_the_page(client_as, staff, expert_profile, kenya):
    response = client_as(staff).post(
        reverse("missions:create"),
        {
            "traveller_expert": expert_profile.pk,
            "destination_city": "Mombasa",
            "destination_country": kenya.pk,
            "start_date": "2026-05-04",
            "end_date": "2026-05-08",
            "purpose": "Workshop delivery",
            "mission_number": "MS-2026-7",
        },
    )
    mission = Mission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == mission.get_absolute_url()
    assert mission.created_by == staff


def test_the_mission_form_keeps_what_was_typed_when_refused(client_as, staff, expert_profile, kenya):
    response = client_as(staff).post(
        reverse("missions:create"),
        {
            "traveller_user": staff.pk,
            "traveller_expert": expert_profile.pk,
            "destination_city": "Mombasa",
            "destination_country": kenya.pk,
            "start_date": "2026-05-08",
            "end_date": "2026-05-04",
            "purpose": "Workshop delivery",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one traveller: a staff member or an expert, not both." in page
    assert "The mission cannot end before it starts." in page
    assert 'value="Mombasa"' in page
    assert not Mission.objects.exists()


def test_a_duplicate_mission_number_is_refused_on_the_form(client_as, staff, mission, kenya):
    other = MissionFactory()
    response = client_as(staff).post(
        reverse("missions:update", args=[other.pk]),
        {
            "traveller_expert": other.traveller_expert_id,
            "destination_city": "Nairobi",
            "destination_country": kenya.pk,
            "start_date": other.start_date.isoformat(),
            "end_date": other.end_date.isoformat(),
            "purpose": "Workshop delivery",
            "mission_number": mission.mission_number,
        },
    )
    assert response.status_code == 400
    assert "Another mission already has this WCO mission number." in response.content.decode()


# --- Travel request form -----------------------------------------------------------------------------------
def test_an_unknown_currency_is_refused_on_the_request_form(client_as, staff, mission):
    response = client_as(staff).post(
        reverse("missions:request_edit", args=[mission.pk]),
        {
            "itinerary": "GVA–NBO–GVA",
            "currency": "xyz",
            "dsa_days": "4",
            "dsa_rate": "250.00",
            "terminal_expenses": "120.00",
            "advance": "0",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "XYZ is not an ISO 4217 currency code." in page
    assert "GVA–NBO–GVA" in page
    assert 'value="250.00"' in page
    assert not TravelRequest.objects.exists()


def test_staff_save_then_submit_a_request_from_the_pages(client_as, staff, mission):
    client = client_as(staff)
    client.post(
        reverse("missions:request_edit", args=[mission.pk]),
        {
            "itinerary": "GVA–NBO–GVA",
            "currency": "eur",
            "dsa_days": "4",
            "dsa_rate": "250.00",
            "terminal_expenses": "120.00",
            "advance": "500.00",
        },
    )
    request = TravelRequest.objects.get()
    assert (request.currency, request.total) == ("EUR", Decimal("1120.00"))
    client.post(reverse("missions:request_submit", args=[mission.pk]))
    request.refresh_from_db()
    assert request.status == "submitted"
    # A submitted request is no longer editable: the form sends back to the mission.
    assert client.get(reverse("missions:request_edit", args=[mission.pk])).status_code == 302


def test_the_advance_over_the_total_is_refused_on_the_request_form(client_as, staff, mission):
    response = client_as(staff).post(
        reverse("missions:request_edit", args=[mission.pk]),
        {
            "itinerary": "GVA–NBO–GVA",
            "currency": "EUR",
            "dsa_days": "1",
            "dsa_rate": "100.00",
            "terminal_expenses": "0",
            "advance": "150.00",
        },
    )
    assert response.status_code == 400
    assert "The advance cannot be more than the total of the request (100.00 EUR)." in response.content.decode()


# --- Claim line form: clear refusals, nothing partial saved ----------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"currency": "XYZ"}, "XYZ is not an ISO 4217 currency code."),
        (
            {"receipt": SimpleUploadedFile("receipt.pdf", b"PK\x03\x04 a zip file", content_type="application/pdf")},
            "This file type is not accepted. Accepted: PDF, PNG, JPEG.",
        ),
        (
            {"receipt": SimpleUploadedFile("scan.png", PNG_BYTES + b"0" * (5 * 1024 * 1024))},
            "The file is too large (5.0 MB); the limit is 5 MB.",
        ),
        ({"currency": "USD"}, "give the exchange rate (how many EUR one USD was worth)"),
    ],
    ids=["unknown-currency", "not-pdf-or-image", "over-5-mb", "foreign-without-rate"],
)
def test_a_refused_line_says_why_keeps_the_entries_and_saves_nothing(
    client_as, expert, approved_request, overrides, message
):
    mission = approved_request.mission
    response = client_as(expert).post(
        reverse("missions:claim_line_add", args=[mission.pk]),
        _line_post(mission, description="Taxi from Jomo Kenyatta airport", **overrides),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="Taxi from Jomo Kenyatta airport"' in page
    assert "choose the receipt file again" in page
    assert not Claim.objects.exists()
    assert not ClaimLine.objects.exists()


def test_a_line_without_a_receipt_is_refused(client_as, expert, approved_request):
    mission = approved_request.mission
    data = _line_post(mission)
    del data["receipt"]
    response = client_as(expert).post(reverse("missions:claim_line_add", args=[mission.pk]), data)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Claim.objects.exists()


def test_the_traveller_adds_a_foreign_currency_line_with_a_png_receipt(client_as, expert, approved_request):
    mission = approved_request.mission
    response = client_as(expert).post(
        reverse("missions:claim_line_add", args=[mission.pk]),
        _line_post(
            mission,
            amount="3500.00",
            currency="kes",
            exchange_rate="0.0071",
            receipt=SimpleUploadedFile("taxi.png", PNG_BYTES, content_type="image/png"),
        ),
    )
    assert response.status_code == 302
    line = ClaimLine.objects.get()
    assert (line.currency, line.exchange_rate, line.amount_in("EUR")) == ("KES", Decimal("0.0071"), Decimal("24.85"))
    detail = client_as(expert).get(mission.get_absolute_url()).content.decode()
    assert "24.85" in detail


# --- Detail page ---------------------------------------------------------------------------------------------
def test_the_detail_page_shows_the_computed_totals_and_highlights_an_over_variance(client_as, staff, draft_claim):
    ClaimLineFactory(claim=draft_claim, category="airfare", amount=Decimal("900.00"))
    page = client_as(staff).get(draft_claim.mission.get_absolute_url()).content.decode()
    assert "1120.00 EUR" in page  # requested total
    assert "1380.00" in page  # claimed: 480.00 + 900.00
    assert "260.00" in page  # variance
    assert "over the request" in page
    assert 'class="variance-over"' in page


def test_a_claim_under_the_request_is_not_highlighted(client_as, staff, draft_claim):
    page = client_as(staff).get(draft_claim.mission.get_absolute_url()).content.decode()
    assert "-640.00" in page
    assert "over the request" not in page


@pytest.mark.parametrize(("role", "sees_decision"), [("project_manager", True), ("staff", False), ("expert", False)])
def test_only_the_project_manager_sees_the_decision_buttons(client_as, cast, submitted_request, role, sees_decision):
    page = client_as(cast[role]).get(submitted_request.mission.get_absolute_url()).content.decode()
    assert ("Approve the travel request" in page) == sees_decision
    assert ("Reject the travel request" in page) == sees_decision


def test_the_traveller_sees_the_claim_buttons_but_not_the_staff_ones(client_as, expert, draft_claim):
    page = client_as(expert).get(draft_claim.mission.get_absolute_url()).content.decode()
    assert "Add an expense" in page
    assert "Submit the claim" in page
    assert "Edit mission" not in page
    assert "Record the payment" not in page


def test_staff_record_a_payment_and_a_refusal_keeps_the_form(client_as, staff, approved_request):
    ClaimFactory(mission=approved_request.mission, approved=True)
    url = reverse("missions:claim_mark_paid", args=[approved_request.mission.pk])
    client = client_as(staff)
    response = client.post(url, {"paid_on": timezone.localdate().isoformat(), "payment_reference": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"paid_on": timezone.localdate().isoformat(), "payment_reference": "PAY-2025-88"})
    assert response.status_code == 302
    assert Claim.objects.get().status == ClaimStatus.PAID


# --- List -------------------------------------------------------------------------------------------------------
def test_list_search_and_filters(client_as, staff, mission, approved_request):
    workshop = WorkshopFactory(title="Regional data analytics")
    other = MissionFactory(
        traveller_expert=ExpertFactory(full_name="Kofi Mensah"),
        destination_city="Dakar",
        workshop=workshop,
        start_date=dt.date(2024, 6, 3),
        end_date=dt.date(2024, 6, 7),
    )
    client = client_as(staff)

    def listed(**params):
        response = client.get(reverse("missions:list"), params)
        assert response.status_code == 200
        return {row["mission"].pk for row in response.context["rows"]}

    assert listed() == {mission.pk, other.pk}
    assert listed(q="dakar") == {other.pk}
    assert listed(q="MS-2025") == {mission.pk}
    assert listed(traveller="kofi") == {other.pk}
    assert listed(workshop=workshop.pk) == {other.pk}
    assert listed(year=2024) == {other.pk}
    assert listed(stage="request_approved") == {mission.pk}
    assert listed(stage="no_request") == {other.pk}


def test_csv_export_has_the_computed_figures(client_as, staff, draft_claim):
    response = client_as(staff).get(reverse("missions:list") + "?format=csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("WCO mission number,Traveller,")
    assert "MS-2025-0142" in lines[1]
    assert ",1120.00,500.00,480.00,-640.00," in lines[1]


def test_the_staff_dashboard_selectors_list_what_waits_for_action(submitted_request, project_manager):
    approved_claim_mission = MissionFactory()
    TravelRequestFactory(mission=approved_claim_mission, approved=True)
    approved = ClaimFactory(mission=approved_claim_mission, approved=True)
    paid_mission = MissionFactory()
    TravelRequestFactory(mission=paid_mission, approved=True)
    ClaimFactory(
        mission=paid_mission,
        status="paid",
        decided_at=timezone.now(),
        paid_on=timezone.localdate(),
        payment_reference="X",
    )
    TravelRequestFactory(mission=MissionFactory())  # a draft waits for nobody
    assert list(pending_travel_requests()) == [submitted_request]
    assert list(pending_claims()) == [approved]


# --- Query counts ------------------------------------------------------------------------------------------------
def _mission_with_claim(lines: int = 3):
    request = TravelRequestFactory(approved=True)
    claim = ClaimFactory(mission=request.mission)
    for _ in range(lines):
        ClaimLineFactory(claim=claim, currency="KES", amount=Decimal("1000.00"), exchange_rate=Decimal("0.007"))
    return request.mission


def test_list_query_count_does_not_grow(client_as, staff, django_assert_max_num_queries):
    for _ in range(30):
        _mission_with_claim()
    MissionFactory(traveller_expert=None, traveller_user=StaffFactory())
    client = client_as(staff)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("missions:list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 31


def test_detail_query_count_does_not_grow_with_lines(client_as, staff, django_assert_max_num_queries):
    mission = _mission_with_claim(lines=25)
    client = client_as(staff)
    with django_assert_max_num_queries(7):
        response = client.get(mission.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["lines"]) == 25


def test_api_list_query_count_does_not_grow(client_as, staff, django_assert_max_num_queries):
    for _ in range(20):
        _mission_with_claim()
    client = client_as(staff)
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/missions/")
    assert response.status_code == 200


# --- Admin ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("model", ["mission", "travelrequest", "claim"])
def test_admin_lists_and_search(client_as, staff, draft_claim, model):
    client = client_as(staff)
    assert client.get(reverse(f"admin:missions_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:missions_{model}_changelist"), {"q": "Nairobi"}).status_code == 200


def test_admin_claim_page_links_receipts_through_the_checked_download(client_as, staff, claim_line):
    page = client_as(staff).get(reverse("admin:missions_claim_change", args=[claim_line.claim.pk])).content.decode()
    assert reverse("missions:claim_line_receipt", args=[claim_line.pk]) in page
    assert "missions/receipts/" not in page


def test_admin_is_closed_to_experts(client_as, expert, draft_claim):
    response = client_as(expert).get(reverse("admin:missions_mission_changelist"))
    assert response.status_code == 302


def test_admin_freezes_a_submitted_request(client_as, staff, submitted_request):
    url = reverse("admin:missions_travelrequest_change", args=[submitted_request.pk])
    client = client_as(staff)
    page = client.get(url).content.decode()
    assert 'name="dsa_rate"' not in page
    client.post(url, {"dsa_rate": "999.00", "dsa_days": "9", "currency": "EUR", "itinerary": "x"})
    submitted_request.refresh_from_db()
    assert submitted_request.dsa_rate == Decimal("250.00")


def test_admin_lets_staff_correct_a_draft_request(client_as, staff, draft_request):
    page = client_as(staff).get(reverse("admin:missions_travelrequest_change", args=[draft_request.pk]))
    assert 'name="dsa_rate"' in page.content.decode()


def test_mission_filter_lists_only_the_experts_own_workshops(client_as, expert, expert_profile):
    MissionFactory(traveller_expert=expert_profile, workshop=WorkshopFactory(title="My own workshop"))
    MissionFactory(workshop=WorkshopFactory(title="Someone else's workshop"))
    content = client_as(expert).get(reverse("missions:list")).content.decode()
    assert "My own workshop" in content
    assert "Someone else&#x27;s workshop" not in content and "Someone else's workshop" not in content
