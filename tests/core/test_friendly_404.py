"""Development (DEBUG on) shows the portal's 404 page, not Django's list of every URL pattern."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_denied_page_in_development_is_the_portals_404(client, settings, staff, contact_point):
    settings.DEBUG = True
    client.force_login(contact_point)
    response = client.get("/en/staff/audit/")  # staff only: "not found" for a contact point
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no page at this address, or it is not yours to see." in page
    assert "Using the URLconf" not in page


def test_an_unknown_address_in_development_is_the_portals_404(client, settings):
    settings.DEBUG = True
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Using the URLconf" not in response.content.decode()


def test_the_technical_page_can_be_asked_for(client, settings):
    settings.DEBUG = True
    settings.BACUDA_TECHNICAL_404 = True
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Using the URLconf" in response.content.decode()


def test_api_not_found_stays_json(client, settings, staff):
    settings.DEBUG = True
    client.force_login(staff)
    response = client.get("/api/v1/reports/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
