"""Request bodies the API cannot take answer 400 with a clear message, never 500: JSON nested too deeply (checked
before the recursive decoder sees it), invalid text, NaN and Infinity, numbers too large, duplicate keys, lone
surrogates; and a bounded JSON field refuses a deep or huge structure sent as a form field too."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.algorithms.factories import DatasetFactory

DEEP = "[" * 5000 + "]" * 5000
HOSTILE_ENDPOINTS = ["/api/v1/nominations/", "/api/v1/model-jobs/", "/api/v1/hs-suggestions/", "/api/v1/reports/"]


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def post_raw(client, url: str, body, content_type: str = "application/json"):
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.parametrize("url", HOSTILE_ENDPOINTS)
@pytest.mark.parametrize("role", ["staff", "contact_point"])
def test_deeply_nested_json_is_a_400_with_a_clear_message(cast, url, role):
    response = post_raw(token_client(cast[role]), url, DEEP)
    refused_before_reading = {("contact_point", "/api/v1/reports/"): 403, ("staff", "/api/v1/nominations/"): 404}
    if (role, url) in refused_before_reading:  # may not use the endpoint at all: answered before the body is read
        assert response.status_code == refused_before_reading[role, url]
        return
    assert response.status_code == 400, response.content[:300]
    limit = settings.BACUDA_JSON_MAX_DEPTH
    assert response.json() == {
        "detail": f"The JSON is nested too deeply: at most {limit} levels of arrays and objects are accepted."
    }


def test_the_depth_limit_counts_arrays_and_objects_but_not_brackets_inside_strings(cast):
    client = token_client(cast["contact_point"])
    limit = settings.BACUDA_JSON_MAX_DEPTH
    at_limit = "[" * (limit - 1) + '{"a": 1}' + "]" * (limit - 1)
    beyond = "[" * limit + '{"a": 1}' + "]" * limit
    brackets_in_a_string = json.dumps({"description": "[" * 5000 + '\\"{' * 100, "k": 3})
    assert post_raw(client, "/api/v1/hs-suggestions/", at_limit).status_code == 400  # a list is not an object
    assert "is nested too deeply" not in post_raw(client, "/api/v1/hs-suggestions/", at_limit).content.decode()
    assert "is nested too deeply" in post_raw(client, "/api/v1/hs-suggestions/", beyond).content.decode()
    response = post_raw(client, "/api/v1/hs-suggestions/", brackets_in_a_string)
    assert "is nested too deeply" not in response.content.decode()
    assert response.status_code == 400 and "description" in response.json()  # too long, but parsed


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"description": "\xff\xfe coffee"}', "The request body is not valid utf-8 text."),
        (b'{"description": "coffee", "k": NaN}', "NaN and Infinity are not valid JSON numbers."),
        (b'{"description": "coffee", "k": -Infinity}', "NaN and Infinity are not valid JSON numbers."),
        (b'{"description": "coffee", "k": 1e999}', "A number in the JSON is too large."),
        (b'{"description": "coffee", "k": ' + b"9" * 5000 + b"}", "A number in the JSON has too many digits."),
        (b'{"description": "coffee", "description": "tea"}', 'The key "description" appears twice in one object.'),
        (b'{"description": "\\ud800 coffee"}', "The JSON contains an unpaired surrogate escape (\\ud800-\\udfff)."),
        (b'{"description": "coffee"', None),  # plainly broken: the decoder's own message
    ],
    ids=[
        "invalid-utf8",
        "nan",
        "infinity",
        "float-overflow",
        "int-digits",
        "duplicate-key",
        "lone-surrogate",
        "broken",
    ],
)
def test_unparseable_bodies_are_400_with_a_clear_message(cast, body, message):
    response = post_raw(token_client(cast["contact_point"]), "/api/v1/hs-suggestions/", body)
    assert response.status_code == 400, response.content[:300]
    detail = response.json()["detail"]
    if message is None:
        assert detail.startswith("Not valid JSON: ")
    else:
        assert detail == message


def test_a_paired_surrogate_escape_is_an_ordinary_character(cast, tiny_engines):
    response = post_raw(
        token_client(cast["contact_point"]), "/api/v1/hs-suggestions/", b'{"description": "\\ud83d\\ude00"}'
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["description"] == "\U0001f600"


def test_a_body_over_the_upload_limit_is_refused_before_it_is_parsed(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"description": "x" * 2000})
    response = post_raw(token_client(cast["contact_point"]), "/api/v1/hs-suggestions/", body)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large: at most 1000 bytes are accepted."}


@pytest.fixture
def kenya_dataset(kenya, contact_point):
    return DatasetFactory(administration=kenya, uploaded_by=contact_point)


@pytest.mark.parametrize("encoding", ["json", "form", "multipart"])
def test_job_parameters_cannot_be_nested_deeply_whatever_the_encoding(cast, kenya_dataset, encoding):
    client = token_client(cast["contact_point"])
    limit = settings.BACUDA_JSON_MAX_DEPTH
    deep = {"a": json.loads("[" * (limit - 1) + "]" * (limit - 1))}  # deeper than allowed once inside the body
    data = {"kind": "synth", "dataset": kenya_dataset.pk}
    if encoding == "json":
        response = client.post("/api/v1/model-jobs/", {**data, "params": deep}, format="json")
    elif encoding == "form":
        body = f"kind=synth&dataset={kenya_dataset.pk}&params=" + DEEP
        response = post_raw(client, "/api/v1/model-jobs/", body, "application/x-www-form-urlencoded")
    else:
        response = client.post("/api/v1/model-jobs/", {**data, "params": DEEP}, format="multipart")
    assert response.status_code == 400, response.content[:300]
    # In a JSON body the parser refuses the whole body first; in a form the field refuses its value.
    message = response.json()["detail"] if encoding == "json" else response.json()["params"][0]
    assert "is nested too deeply" in message


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"name": "a\x00b"}, "The JSON contains a NUL character (\\u0000)."),
        ({"blob": "x" * 20_000}, "The JSON is too large: at most 16384 bytes are accepted."),
        ([1, 2], "Give a JSON object."),
    ],
)
def test_job_parameters_refuse_what_the_database_or_the_worker_could_not_take(cast, kenya_dataset, params, message):
    client = token_client(cast["contact_point"])
    body = {"kind": "synth", "dataset": kenya_dataset.pk, "params": params}
    response = client.post("/api/v1/model-jobs/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"params": [message]}


def test_job_parameters_within_the_bounds_are_accepted(cast, kenya_dataset):
    client = token_client(cast["contact_point"])
    params = {"rows": 100, "nested": [[{"ok": True}]]}
    response = client.post("/api/v1/model-jobs/", {"kind": "synth", "dataset": kenya_dataset.pk, "params": params},
                           format="json")  # fmt: skip
    assert response.status_code == 201, response.content[:300]
    assert response.json()["params"] == params


def test_a_session_gets_the_same_answer_as_a_token(client, contact_point):
    client.force_login(contact_point)
    response = client.post("/api/v1/nominations/", DEEP, content_type="application/json")
    assert response.status_code == 400 and "is nested too deeply" in response.json()["detail"]


@pytest.fixture
def tiny_engines(settings, tmp_path):
    from tests.algorithms import tiny_engine

    settings.BACUDA_ALGORITHM_ENGINES = dict(tiny_engine.ENGINES)
    settings.BACUDA_MODEL_JOB_WORK_DIR = tmp_path / "jobs"
    return settings


def test_too_many_form_fields_is_a_400_in_json(cast, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{n}=x" for n in range(20))
    response = post_raw(token_client(cast["contact_point"]), "/api/v1/hs-suggestions/", body,
                        "application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"detail": "The request has too many fields or files."}


def _depth_setting(value: str):
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from django.conf import settings; print(settings.BACUDA_JSON_MAX_DEPTH)"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bacuda_portal.settings.base", "BACUDA_JSON_MAX_DEPTH": value},
    )  # fmt: skip


@pytest.mark.parametrize(("value", "accepted"), [("32", True), ("8", True), ("0", False), ("500", False),
                                                 ("deep", False)])  # fmt: skip
def test_the_depth_limit_setting_is_parsed_strictly(value, accepted):
    result = _depth_setting(value)
    if accepted:
        assert result.returncode == 0 and result.stdout.split() == [value], result.stderr
    else:
        assert result.returncode != 0
        assert "BACUDA_JSON_MAX_DEPTH" in result.stderr or "invalid literal for int()" in result.stderr
