"""A deeply nested JSON body sent to every route served by a DRF view (walked from the URL resolver, which must
cover every operation of the OpenAPI schema) with POST, PUT and PATCH, with a token and with a session (CSRF
handled), as staff, as a contact point and anonymously: a 4xx every time, never a 500. And every view reads JSON
with the portal's parser only, and every writable JSON field is bounded, so a new endpoint cannot bring the fault
back."""

import re

import pytest
from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test import Client
from django.urls import resolve
from django.utils.crypto import get_random_string
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from bacuda_portal.core.api_fields import BoundedJSONField
from bacuda_portal.core.parsers import PortalJSONParser
from tests.algorithms.factories import DatasetFactory, ModelJobFactory
from tests.api.routes import api_routes, existing_key, write_operations
from tests.elearning.factories import CourseFactory
from tests.workshops.factories import NominationFactory, WorkshopFactory

DEEP = "[" * 5000 + "]" * 5000
ROUTES = api_routes()
# What a route may answer a body it cannot take: refused (400), not signed in (401), not allowed (403), not found
# or not theirs (404), no such method (405); 415 only where the view takes no JSON at all.
REFUSALS = {400, 401, 403, 404, 405, 409}  # 409: the state refuses the change whatever the body


def _takes_json(route) -> bool:
    return any("json" in parser.media_type for parser in route.view().get_parsers())


@pytest.fixture
def world(cast, kenya):
    """A row behind each detail route that has a write action, in a state where the action itself is refused (a
    finished job cannot be cancelled, a course without its CLiKC! address cannot be published, a withdrawn nomination
    is neither withdrawn again nor decided)."""
    dataset = DatasetFactory(administration=kenya, uploaded_by=cast["contact_point"])
    ModelJobFactory(dataset=dataset, status="succeeded")
    CourseFactory()
    NominationFactory(workshop=WorkshopFactory(), administration=kenya, status="withdrawn")  # nothing left to decide


def _token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def _session_client(user) -> Client:
    """A signed-in browser session that passes CSRF like the pages' JavaScript would: the cookie and the header."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    secret = get_random_string(32, CSRF_ALLOWED_CHARS)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    client.defaults["HTTP_X_CSRFTOKEN"] = secret
    return client


@pytest.mark.parametrize("route", ROUTES, ids=[route.pattern for route in ROUTES])
def test_a_deep_body_on_any_route_is_refused_never_a_server_error(cast, world, route):
    clients = {
        "anonymous": Client(),
        "staff token": _token_client(cast["staff"]),
        "contact point token": _token_client(cast["contact_point"]),
        "staff session": _session_client(cast["staff"]),
        "contact point session": _session_client(cast["contact_point"]),
    }
    path = route.path(existing_key(route, cast["staff"]))
    allowed = REFUSALS if _takes_json(route) else REFUSALS | {415}
    for who, client in clients.items():
        for method in ("POST", "PUT", "PATCH"):
            response = client.generic(method, path, DEEP, content_type="application/json")
            assert response.status_code in allowed, (who, method, path, response.status_code, response.content[:300])


def test_the_depth_refusal_is_reached_through_sessions_and_tokens_alike(cast, world):
    # Guards the walk above: a session without CSRF, or a route never parsing, would pass it vacuously.
    course = existing_key(next(r for r in ROUTES if r.pattern.endswith("/advance/$")), cast["staff"])["code"]
    for client in (_token_client(cast["staff"]), _session_client(cast["staff"])):
        for path in ("/api/v1/model-jobs/", "/api/v1/reports/", f"/api/v1/courses/{course}/advance/"):
            response = client.post(path, DEEP, content_type="application/json")
            assert response.status_code == 400 and b"nested too deeply" in response.content, (path, response.content)


def test_the_route_walk_covers_every_operation_of_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    walked = {re.sub(r"(^|/)\^", r"\1", route.pattern) for route in ROUTES}  # a match's route has no "^" anchors
    assert len(schema["paths"]) > 20
    for path in schema["paths"]:
        match = resolve(path.replace("{", "").replace("}", ""))
        assert match.route in walked, path


@pytest.mark.parametrize("route", ROUTES, ids=[route.pattern for route in ROUTES])
def test_every_view_reads_json_with_the_portal_parser_only(route):
    for parser in route.view().get_parsers():
        if "json" in parser.media_type:
            assert isinstance(parser, PortalJSONParser), (route.pattern, type(parser))


def _writable_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from _writable_fields(field, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field


def test_every_writable_json_field_of_the_api_is_bounded(db):
    operations = write_operations()
    assert {path for _method, path, _view, _serializer in operations} >= {"/api/v1/model-jobs/", "/api/v1/reports/"}
    found = []
    for method, path, _view, serializer in operations:
        if serializer is None:
            continue
        serializer = serializer() if isinstance(serializer, type) else serializer
        for name, field in _writable_fields(serializer):
            if isinstance(field, serializers.JSONField):
                found.append(name)
                assert isinstance(field, BoundedJSONField), (method, path, name)
    assert "params" in found  # the walk reaches the model jobs' parameters
