"""Fixtures of the hostile API tests (see api_auth.py for what they share)."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tests.hostile.api_auth import SENEGAL_SECRETS


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests made through the WSGI handler (schemathesis) keep the test's connection and its transaction; the
    handler would close it at each request (the test client disconnects the same receivers for the same reason)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def senegal_secrets(cast, kenya, senegal):
    """A world in which Senegal has personal data Kenya's contact point must not see (its contact point, an official
    it nominated, an applicant), beside Kenya's own nomination."""
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
    return SENEGAL_SECRETS
