"""Who reaches what: every mission page, button, download and API endpoint with the whole cast.

Staff (the project officer and the project manager) reach everything; the travelling expert reaches their own
mission, its claim and receipts; another expert sees only their own (empty) list; contact points and
applicants find nothing; anonymous visitors are sent to sign in (pages) or get 401 (API).
"""

import pytest
from django.urls import reverse

from bacuda_portal.core.models import AuditEntry
from workshops.missions.enums import ClaimStatus, TravelRequestStatus

ROLES = ["anonymous", "project_manager", "staff", "expert", "other_expert", "contact_point", "applicant"]
STAFF_ONLY = {
    "anonymous": "login",
    "project_manager": 200,
    "staff": 200,
    "expert": 404,
    "other_expert": 404,
    "contact_point": 404,
    "applicant": 404,
}
TRAVELLER_AND_STAFF = {**STAFF_ONLY, "expert": 200}
LIST_PAGE = {**TRAVELLER_AND_STAFF, "other_expert": 200}


@pytest.fixture
def people(cast, other_expert, expert_profile):
    return {**cast, "other_expert": other_expert}


def _expect(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:300]


GET_PAGES = [
    ("list", False, LIST_PAGE),
    ("create", False, STAFF_ONLY),
    ("detail", True, TRAVELLER_AND_STAFF),
    ("update", True, STAFF_ONLY),
    ("claim_line_add", True, TRAVELLER_AND_STAFF),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "with_pk", "expected"), GET_PAGES, ids=[page[0] for page in GET_PAGES])
def test_pages(client_as, people, draft_claim, role, url_name, with_pk, expected):
    args = [draft_claim.mission.pk] if with_pk else []
    response = client_as(people[role]).get(reverse(f"missions:{url_name}", args=args))
    _expect(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_travel_request_form(client_as, people, draft_request, role):
    response = client_as(people[role]).get(reverse("missions:request_edit", args=[draft_request.mission.pk]))
    _expect(response, STAFF_ONLY[role])


@pytest.mark.parametrize("role", ROLES)
def test_receipt_download(client_as, people, claim_line, role):
    response = client_as(people[role]).get(reverse("missions:claim_line_receipt", args=[claim_line.pk]))
    _expect(response, TRAVELLER_AND_STAFF[role])
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("role", ROLES)
def test_csv_export(client_as, people, mission, role):
    response = client_as(people[role]).get(reverse("missions:list") + "?format=csv")
    _expect(response, LIST_PAGE[role])
    exported = AuditEntry.objects.filter(action="missions.missions.exported").exists()
    assert exported == (response.status_code == 200)
    if response.status_code == 200:
        body = b"".join(response.streaming_content).decode()
        assert ("MS-2025-0142" in body) == (role != "other_expert")


@pytest.mark.parametrize("role", ROLES)
def test_api_list(client_as, people, draft_claim, role):
    response = client_as(people[role]).get("/api/v1/missions/")
    expected = {**LIST_PAGE, "anonymous": 401}[role]
    assert response.status_code == expected
    if expected == 200:
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == ([] if role == "other_expert" else [draft_claim.mission.pk])


@pytest.mark.parametrize("role", ROLES)
def test_api_detail(client_as, people, draft_claim, role):
    response = client_as(people[role]).get(f"/api/v1/missions/{draft_claim.mission.pk}/")
    assert response.status_code == {**TRAVELLER_AND_STAFF, "anonymous": 401}[role]


def test_api_has_no_writes(client_as, staff, mission):
    client = client_as(staff)
    assert client.post("/api/v1/missions/", {}).status_code == 405
    assert client.delete(f"/api/v1/missions/{mission.pk}/").status_code == 405


# --- Refused writes leave the data as it was ---------------------------------------------------------------
STAFF_POSTS = ["request_submit", "request_approve", "request_reject", "claim_approve", "claim_reject"]


@pytest.mark.parametrize("role", ["anonymous", "expert", "other_expert", "contact_point", "applicant"])
@pytest.mark.parametrize("url_name", STAFF_POSTS)
def test_staff_buttons_are_not_found_for_others(client_as, people, submitted_request, role, url_name):
    response = client_as(people[role]).post(
        reverse(f"missions:{url_name}", args=[submitted_request.mission.pk]), {"comment": "No."}
    )
    _expect(response, STAFF_ONLY[role])
    submitted_request.refresh_from_db()
    assert submitted_request.status == TravelRequestStatus.SUBMITTED


@pytest.mark.parametrize("role", ["anonymous", "other_expert", "contact_point", "applicant"])
def test_claim_buttons_are_not_found_for_outsiders(client_as, people, claim_line, role):
    client = client_as(people[role])
    mission = claim_line.claim.mission
    _expect(client.post(reverse("missions:claim_submit", args=[mission.pk])), STAFF_ONLY[role])
    _expect(client.post(reverse("missions:claim_line_remove", args=[claim_line.pk])), STAFF_ONLY[role])
    claim_line.claim.refresh_from_db()
    assert claim_line.claim.status == ClaimStatus.DRAFT
    assert claim_line.claim.lines.count() == 1


def test_a_project_officer_is_told_they_cannot_approve(client_as, staff, submitted_request):
    response = client_as(staff).post(
        reverse("missions:request_approve", args=[submitted_request.mission.pk]), follow=True
    )
    assert "Only the project manager can approve or reject travel requests and claims." in response.content.decode()
    submitted_request.refresh_from_db()
    assert submitted_request.status == TravelRequestStatus.SUBMITTED


def test_the_traveller_submits_their_claim_from_the_page(client_as, expert, claim_line):
    response = client_as(expert).post(reverse("missions:claim_submit", args=[claim_line.claim.mission.pk]))
    assert response.status_code == 302
    claim_line.claim.refresh_from_db()
    assert claim_line.claim.status == ClaimStatus.SUBMITTED


def test_the_traveller_removes_a_line_from_the_page(client_as, expert, claim_line):
    client_as(expert).post(reverse("missions:claim_line_remove", args=[claim_line.pk]))
    assert not claim_line.claim.lines.exists()
