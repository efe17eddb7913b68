"""What the hostile API tests share: the portal's OpenAPI schema served in process (schemathesis), the personal data
Senegal holds that Kenya's contact point must never see, and the two ways into the API as a client sends them:
a token header, or a session cookie with its CSRF cookie and header."""

import schemathesis
from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test import Client
from django.utils.crypto import get_random_string
from rest_framework.authtoken.models import Token

from bacuda_portal.wsgi import application

SENEGAL_SECRETS = (
    "cp.senegal@example.org",
    "Zephirine Secret-Senegal",
    "secret.official.sn@customs.example",
    "Ndeye Confidential-Applicant",
    "secret.applicant.sn@example.org",
)

# Loaded once at collection, in process (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


def token_auth(user) -> dict:
    """``case.call`` arguments for a request with the user's API token."""
    return {"headers": {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}}


def session_auth(user) -> dict:
    """``case.call`` arguments for a request from the user's signed-in browser: the session cookie, and the CSRF
    cookie with the same secret in the X-CSRFToken header, as the pages' scripts send it (DRF checks CSRF for
    session-authenticated writes)."""
    client = Client()
    client.force_login(user)
    secret = get_random_string(32, CSRF_ALLOWED_CHARS)
    return {
        "cookies": {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: secret,
        },
        "headers": {"X-CSRFToken": secret},
    }


def check_case(case, auth: dict, *, contact_point: bool = False):
    """No operation answers a 5xx; a contact point's answers never hold Senegal's personal data."""
    response = case.call(headers=dict(auth.get("headers", {})), cookies=dict(auth.get("cookies", {})))
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:2000])
    if contact_point:
        for secret in SENEGAL_SECRETS:
            assert secret not in response.text, (case.method, case.formatted_path, secret)
    return response


def is_public_read(operation) -> bool:
    """A GET the schema allows without authentication (its security lists the empty requirement)."""
    return operation.method.upper() == "GET" and {} in (operation.definition.raw.get("security") or [])


def is_signed_in_nowhere(operation) -> bool:
    """An operation that reads no sign-in at all (its only security is the empty requirement): a participant's
    personal link, whose token in the path is the credential, so a staff member's missing second factor is moot."""
    return (operation.definition.raw.get("security") or []) == [{}]
