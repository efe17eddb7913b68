"""Programme and call setup happens in the Django admin, with the curriculum modules inline."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from scholarships.models import Call


@pytest.mark.parametrize(
    "url_name",
    ["admin:scholarships_programme_changelist", "admin:scholarships_programme_add", "admin:scholarships_call_add",
     "admin:scholarships_call_changelist", "admin:scholarships_application_changelist",
     "admin:scholarships_endorsement_changelist"],
)  # fmt: skip
def test_staff_open_the_admin_pages(client_as, staff, application, url_name):
    assert client_as(staff).get(reverse(url_name)).status_code == 200


def test_call_change_page_has_the_modules_inline(client_as, staff, call):
    content = client_as(staff).get(reverse("admin:scholarships_call_change", args=[call.pk])).content.decode()
    assert "Machine learning for risk management" in content


def test_applications_are_read_only_in_the_admin(client_as, staff, application):
    response = client_as(staff).post(
        reverse("admin:scholarships_application_change", args=[application.pk]), {"full_name": "Changed"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.full_name == "Achieng Otieno"


def test_admin_is_closed_to_contact_points(client_as, contact_point):
    response = client_as(contact_point).get(reverse("admin:scholarships_call_changelist"))
    assert response.status_code == 302


def test_call_page_in_french_shows_the_french_programme_name_and_consent(client_as, applicant, draft):
    call: Call = draft.call
    content = client_as(applicant).get(f"/fr/scholarships/applications/{draft.pk}/step/review/").content.decode()
    assert escape(call.programme.name_fr) in content
    assert "L&#x27;OMD traite vos données personnelles" in content


@pytest.mark.parametrize(
    "url_name",
    ["admin:scholarships_reviewer_changelist", "admin:scholarships_reviewer_add",
     "admin:scholarships_review_changelist", "admin:scholarships_decision_changelist",
     "admin:scholarships_letter_changelist"],
)  # fmt: skip
def test_staff_open_the_review_and_selection_admin_pages(client_as, staff, application, url_name):
    assert client_as(staff).get(reverse(url_name)).status_code == 200


def test_call_change_page_has_the_rubric_phases_and_letter_templates_inline(client_as, staff, call, criteria):
    content = client_as(staff).get(reverse("admin:scholarships_call_change", args=[call.pk])).content.decode()
    assert "Analytical background" in content and "First reading" in content and "Letter templates" in content
