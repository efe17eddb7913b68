"""Hostile request bodies (hypothesis) sent to every write operation of the API, with an API token and with a browser
session (CSRF handled), as staff and as Kenya's contact point: JSON nested close to and beyond the depth limit,
NaN and huge numbers, duplicate keys, unpaired surrogate escapes, invalid UTF-8, random bytes under every content
type the API reads (and a few it does not). Whatever arrives, the answer is never a 5xx."""

import json

import pytest
from django.conf import settings as django_settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from tests.api.routes import write_operations

DEPTH = django_settings.BACUDA_JSON_MAX_DEPTH
PATHS = sorted({path.replace("{id}", "1").replace("{code}", "x") for _m, path, _v, _s in write_operations()})

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30)
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=8), inner, max_size=3), max_leaves=20)  # fmt: skip


def _nested(depth: int, kind: str) -> str:
    return ("[" * depth + "]" * depth) if kind == "[" else ('{"a":' * depth + "1" + "}" * depth)


json_texts = st.one_of(
    json_values.map(json.dumps),
    st.builds(_nested, st.integers(min_value=DEPTH - 2, max_value=DEPTH + 2), st.sampled_from("[{")),
    st.builds(_nested, st.integers(min_value=100, max_value=20_000), st.sampled_from("[{")),
    st.sampled_from([
        '{"k": NaN}', '{"k": Infinity}', '{"k": 1e999}', '{"k": -1e999}', '{"k": ' + "9" * 5000 + "}",
        '{"description": "a", "description": "b"}', '{"description": "\\ud800"}', '{"description": "\\udfff x"}',
        '{"description": "\\u0000"}', '{"params": {"a": "\\u0000"}}', "", " ", "nul\x00", "\ufeff{}", "[" * 50000,
    ]),
    st.text(max_size=200),
)  # fmt: skip
bodies = st.one_of(
    st.tuples(json_texts.map(str.encode), st.just("application/json")),
    st.tuples(st.binary(max_size=300), st.sampled_from(["application/json", "application/json; charset=utf-16"])),
    st.tuples(st.binary(max_size=300), st.sampled_from([
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "multipart/form-data",
        "text/plain", "application/xml",
    ])),
    st.tuples(json_texts.map(lambda text: ("params=" + text).encode()), st.just("application/x-www-form-urlencoded")),
)  # fmt: skip


def _token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")


def _session_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    secret = get_random_string(32, CSRF_ALLOWED_CHARS)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = secret
    client.defaults["HTTP_X_CSRFTOKEN"] = secret
    return client


@pytest.mark.parametrize("way_in", ["token", "session"])
@pytest.mark.parametrize("role", ["staff", "contact_point"])
def test_hostile_bodies_never_crash_a_write_operation(cast, role, way_in):
    assert "/api/v1/model-jobs/" in PATHS and "/api/v1/nominations/" in PATHS
    client = (_token_client if way_in == "token" else _session_client)(cast[role])

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(body=bodies, path=st.sampled_from(PATHS), method=st.sampled_from(["POST", "PUT", "PATCH"]))
    def check(body, path, method):
        content, content_type = body
        response = client.generic(method, path, content, content_type=content_type)  # a 500 would raise here
        assert response.status_code < 500, (method, path, content[:200], content_type)

    check()
