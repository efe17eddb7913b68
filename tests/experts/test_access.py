"""Who reaches which page and endpoint of the experts registry, with the whole cast.

``expert`` owns the profile under test; ``other_expert`` owns another one. Anonymous visitors are sent to the
login page; everybody who may not see something gets "not found".
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.upload_samples import CLEAN_PDF
from workshops.experts import services
from workshops.experts.models import AvailabilityWindow

from .factories import AvailabilityWindowFactory

PDF = CLEAN_PDF

STAFF_ONLY = {
    "anonymous": "login",
    "project_manager": 200,
    "staff": 200,
    "expert": 404,
    "other_expert": 404,
    "contact_point": 404,
    "other_contact_point": 404,
    "applicant": 404,
    "reviewer": 404,
}
STAFF_AND_OWNER = {**STAFF_ONLY, "expert": 200}


def _expect(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:300]


def _success(expected):
    """The status of a successful POST (a redirect) for roles that may make it."""
    return 302 if expected == 200 else expected


@pytest.mark.parametrize(("role", "expected"), STAFF_ONLY.items())
@pytest.mark.parametrize("url_name", ["experts:list", "experts:create"])
def test_staff_pages(client_as, experts_cast, role, expected, url_name):
    _expect(client_as(experts_cast[role]).get(reverse(url_name)), expected)


@pytest.mark.parametrize(("role", "expected"), STAFF_ONLY.items())
def test_csv_export(client_as, experts_cast, role, expected):
    _expect(client_as(experts_cast[role]).get(reverse("experts:list") + "?format=csv"), expected)


@pytest.mark.parametrize(("role", "expected"), STAFF_ONLY.items())
def test_accreditation_page(client_as, experts_cast, own_profile, role, expected):
    _expect(client_as(experts_cast[role]).get(reverse("experts:accreditation", args=[own_profile.pk])), expected)


@pytest.mark.parametrize(("role", "expected"), STAFF_ONLY.items())
def test_accreditation_change(client_as, experts_cast, own_profile, role, expected):
    response = client_as(experts_cast[role]).post(
        reverse("experts:accreditation", args=[own_profile.pk]), {"status": "accredited", "on": "2025-03-01"}
    )
    _expect(response, _success(expected))
    own_profile.refresh_from_db()
    assert (own_profile.accreditation_status == "accredited") == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), STAFF_AND_OWNER.items())
@pytest.mark.parametrize("url_name", ["experts:detail", "experts:update"])
def test_profile_pages(client_as, experts_cast, own_profile, role, expected, url_name):
    _expect(client_as(experts_cast[role]).get(reverse(url_name, args=[own_profile.pk])), expected)


@pytest.mark.parametrize(("role", "expected"), STAFF_AND_OWNER.items())
def test_edit_contact_details(client_as, experts_cast, own_profile, role, expected):
    data = {"email": "new.address@example.org", "phone": "+254 700 000 000", "biography": ""}
    if role in ("project_manager", "staff"):
        data |= {"full_name": own_profile.full_name, "is_active": "on"}
    response = client_as(experts_cast[role]).post(reverse("experts:update", args=[own_profile.pk]), data)
    _expect(response, _success(expected))
    own_profile.refresh_from_db()
    assert (own_profile.email == "new.address@example.org") == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), STAFF_AND_OWNER.items())
def test_set_languages(client_as, experts_cast, own_profile, role, expected):
    response = client_as(experts_cast[role]).post(
        reverse("experts:languages", args=[own_profile.pk]), {"level_fr": "B2"}
    )
    _expect(response, _success(expected))
    assert own_profile.languages.filter(language="fr").exists() == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), STAFF_AND_OWNER.items())
def test_add_availability(client_as, experts_cast, own_profile, role, expected):
    response = client_as(experts_cast[role]).post(
        reverse("experts:availability_add", args=[own_profile.pk]),
        {"start_date": "2030-01-10", "end_date": "2030-01-20"},
    )
    _expect(response, _success(expected))
    assert own_profile.availability_windows.exists() == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), STAFF_AND_OWNER.items())
def test_remove_availability(client_as, experts_cast, own_profile, role, expected):
    window = AvailabilityWindowFactory(expert=own_profile)
    response = client_as(experts_cast[role]).post(
        reverse("experts:availability_remove", args=[own_profile.pk, window.pk])
    )
    _expect(response, _success(expected))
    assert AvailabilityWindow.objects.filter(pk=window.pk).exists() == (expected != 200)


def test_a_window_of_another_expert_cannot_be_removed_through_ones_own_profile(
    client_as, expert, own_profile, other_profile
):
    window = AvailabilityWindowFactory(expert=other_profile)
    response = client_as(expert).post(reverse("experts:availability_remove", args=[own_profile.pk, window.pk]))
    assert response.status_code == 404
    assert AvailabilityWindow.objects.filter(pk=window.pk).exists()


@pytest.mark.parametrize(("role", "expected"), STAFF_AND_OWNER.items())
def test_upload_cv(client_as, experts_cast, own_profile, role, expected):
    response = client_as(experts_cast[role]).post(
        reverse("experts:cv_upload", args=[own_profile.pk]), {"cv": SimpleUploadedFile("cv.pdf", PDF)}
    )
    _expect(response, _success(expected))
    own_profile.refresh_from_db()
    assert bool(own_profile.cv) == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), STAFF_AND_OWNER.items())
def test_download_cv(client_as, experts_cast, own_profile, staff, role, expected):
    services.expert_cv_upload(expert=own_profile, cv=SimpleUploadedFile("cv.pdf", PDF), by=staff)
    response = client_as(experts_cast[role]).get(reverse("experts:cv", args=[own_profile.pk]))
    _expect(response, expected)
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("expert", 200),
        ("other_expert", 200),
        ("project_manager", 404),
        ("staff", 404),
        ("contact_point", 404),
        ("applicant", 404),
    ],
)
def test_my_profile_page(client_as, experts_cast, role, expected):
    response = client_as(experts_cast[role]).get(reverse("experts:me"))
    _expect(response, expected)
    if role == "expert":
        assert "Amina Wanjiru" in response.content.decode()
        assert "Moussa Diop" not in response.content.decode()
    if role == "other_expert":
        assert "Moussa Diop" in response.content.decode()


def test_an_expert_without_a_linked_profile_is_told_whom_to_ask(client_as, expert):
    response = client_as(expert).get(reverse("experts:me"))
    assert response.status_code == 404
    assert "ask the BACUDA team to link your profile" in response.content.decode()


def test_a_deactivated_expert_account_loses_its_profile(client_as, expert, own_profile):
    expert.is_active = False
    expert.save()
    _expect(client_as(expert).get(reverse("experts:detail", args=[own_profile.pk])), "login")


# --- API -----------------------------------------------------------------------------------------------
API_ACCESS = {
    "anonymous": 401,
    "project_manager": 200,
    "staff": 200,
    "expert": 403,
    "other_expert": 403,
    "contact_point": 403,
    "other_contact_point": 403,
    "applicant": 403,
    "reviewer": 403,
}


@pytest.mark.parametrize(("role", "expected"), API_ACCESS.items())
def test_api_list(client_as, experts_cast, role, expected):
    response = client_as(experts_cast[role]).get("/api/v1/experts/", HTTP_ACCEPT="application/json")
    assert response.status_code == expected


@pytest.mark.parametrize(("role", "expected"), API_ACCESS.items())
def test_api_detail(client_as, experts_cast, own_profile, role, expected):
    response = client_as(experts_cast[role]).get(f"/api/v1/experts/{own_profile.pk}/", HTTP_ACCEPT="application/json")
    assert response.status_code == expected


def test_api_does_not_reveal_whether_an_expert_exists(client_as, expert, own_profile):
    client = client_as(expert)
    assert client.get(f"/api/v1/experts/{own_profile.pk}/").status_code == 403
    assert client.get("/api/v1/experts/999999/").status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_is_read_only(client_as, staff, own_profile, method):
    url = "/api/v1/experts/" if method == "post" else f"/api/v1/experts/{own_profile.pk}/"
    response = getattr(client_as(staff), method)(url, {}, content_type="application/json")
    assert response.status_code == 405


@pytest.mark.parametrize("role", ["anonymous", "expert", "other_expert", "contact_point", "applicant", "reviewer"])
def test_admin_is_closed_to_everyone_but_staff(client_as, experts_cast, role):
    response = client_as(experts_cast[role]).get("/admin/experts/expert/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
