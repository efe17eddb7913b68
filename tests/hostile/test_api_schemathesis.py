"""Schemathesis against the portal's own OpenAPI schema (``/api/schema/``), in process, as staff, as Kenya's contact
point and anonymously: no operation answers a 5xx, whatever the parameters and bodies, and the contact point's
answers never contain anything of Senegal's (its contact point, its officials, its applicants)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from bacuda_portal.wsgi import application

SENEGAL_SECRETS = (
    "cp.senegal@example.org",
    "Zephirine Secret-Senegal",
    "secret.official.sn@customs.example",
    "Ndeye Confidential-Applicant",
    "secret.applicant.sn@example.org",
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI handler would close the test's connection (and its transaction) at each request; the test client
    # disconnects the same receivers for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded once at collection, in process (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def credentials(cast, kenya, senegal):
    """Tokens per role, and a world in which Senegal has personal data a Kenyan contact point must not see."""
    from tests.scholarships.factories import ApplicationFactory
    from tests.workshops.factories import NominationFactory, WorkshopFactory

    NominationFactory(
        administration=senegal,
        workshop=WorkshopFactory(title="Senegal national workshop"),
        full_name=SENEGAL_SECRETS[1],
        email=SENEGAL_SECRETS[2],
    )
    NominationFactory(administration=kenya)
    ApplicationFactory(administration=senegal, full_name=SENEGAL_SECRETS[3], applicant__email=SENEGAL_SECRETS[4])
    return {
        "staff": {"Authorization": f"Token {Token.objects.create(user=cast['staff']).key}"},
        "contact_point": {"Authorization": f"Token {Token.objects.create(user=cast['contact_point']).key}"},
        "anonymous": {},
    }


def _check(case, headers, *, contact_point: bool = False):
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:2000])
    if contact_point:
        for secret in SENEGAL_SECRETS:
            assert secret not in response.text, (case.method, case.formatted_path, secret)


HYPOTHESIS = settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@schema.parametrize()
@HYPOTHESIS
def test_api_as_staff(case, credentials):
    _check(case, credentials["staff"])


@schema.parametrize()
@HYPOTHESIS
def test_api_as_contact_point_never_leaks_senegal(case, credentials):
    _check(case, credentials["contact_point"], contact_point=True)


@schema.parametrize()
@HYPOTHESIS
def test_api_anonymous(case, credentials):
    _check(case, credentials["anonymous"])
