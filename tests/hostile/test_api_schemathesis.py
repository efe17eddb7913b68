"""Schemathesis against the portal's own OpenAPI schema (``/api/schema/``), in process, with API tokens: as staff,
as Kenya's contact point and anonymously. No operation answers a 5xx, whatever the parameters and bodies, and the
contact point's answers never contain anything of Senegal's (its contact point, its officials, its applicants).
The same runs with browser sessions are in test_api_schemathesis_sessions.py."""

import pytest
from hypothesis import HealthCheck, settings

from tests.hostile.api_auth import check_case, schema, token_auth

pytestmark = pytest.mark.usefixtures("wsgi_in_test_transaction", "senegal_secrets")
HYPOTHESIS = settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@schema.parametrize()
@HYPOTHESIS
def test_api_as_staff(case, cast):
    check_case(case, token_auth(cast["staff"]))


@schema.parametrize()
@HYPOTHESIS
def test_api_as_contact_point_never_leaks_senegal(case, cast):
    check_case(case, token_auth(cast["contact_point"]), contact_point=True)


@schema.parametrize()
@HYPOTHESIS
def test_api_anonymous(case, cast):
    check_case(case, {})
