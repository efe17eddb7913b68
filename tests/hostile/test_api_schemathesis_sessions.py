"""Schemathesis against the OpenAPI schema with browser sessions (a session cookie, and the CSRF cookie and header
DRF requires for session-authenticated writes): as staff and as Kenya's contact point. No 5xx, and nothing of
Senegal's in the contact point's answers. (test_api_schemathesis.py does the same with API tokens.)"""

import pytest
from hypothesis import HealthCheck, settings

from tests.hostile.api_auth import check_case, schema, session_auth

pytestmark = pytest.mark.usefixtures("wsgi_in_test_transaction", "senegal_secrets")
HYPOTHESIS = settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def test_the_session_is_signed_in_and_passes_csrf(cast):
    """Guards the runs below: without a working session they would only ever meet 401 and 403."""
    auth = session_auth(cast["contact_point"])
    me = schema["/api/v1/me/"]["GET"].Case()
    assert check_case(me, auth).json()["email"] == "cp.kenya@example.org"
    suggestion = schema["/api/v1/hs-suggestions/"]["POST"].Case(
        body={"description": "x" * 2000}, media_type="application/json"
    )
    refused = check_case(suggestion, auth)
    assert refused.status_code == 400 and "description" in refused.json()  # validated: CSRF passed
    without_csrf = suggestion.call(cookies=auth["cookies"])
    assert without_csrf.status_code == 403 and "CSRF" in without_csrf.text


@pytest.fixture
def staff_session(cast):
    return session_auth(cast["staff"])


@pytest.fixture
def contact_point_session(cast):
    return session_auth(cast["contact_point"])


@schema.parametrize()
@HYPOTHESIS
def test_api_as_staff_with_a_session(case, staff_session):
    check_case(case, staff_session)


@schema.parametrize()
@HYPOTHESIS
def test_api_as_contact_point_with_a_session_never_leaks_senegal(case, contact_point_session):
    check_case(case, contact_point_session, contact_point=True)
