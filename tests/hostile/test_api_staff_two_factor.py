"""With ``BACUDA_STAFF_MFA_REQUIRED``, a staff member who has not set up two-factor authentication reaches nothing
of the API but its public reads, however they come in: by session (the pages' rule) and by API token (issue 17:
a token used to bypass it). Every operation of the OpenAPI schema is tried with hostile values (schemathesis):
403 for every operation that needs a signed-in user; public reads may answer, but never with a 5xx."""

import pytest
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.hostile.api_auth import (
    check_case,
    is_public_read,
    is_signed_in_nowhere,
    schema,
    session_auth,
    token_auth,
)

pytestmark = pytest.mark.usefixtures("wsgi_in_test_transaction", "senegal_secrets")
OPERATIONS = [result.ok() for result in schema.get_all_operations()]
# A refusal is the expected answer, so there is nothing to shrink: a failure reports the operations as found.
HYPOTHESIS = settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                      phases=[Phase.explicit, Phase.generate])  # fmt: skip


def _resolves(path: str) -> bool:
    """Whether any view answers the path: a hostile value the URL patterns refuse (``/courses/0.5/publish/``, the
    router's lookups take no dot) gets Django's 404 before any view, or any authentication, is reached."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _every_operation_refused(auth: dict):
    @HYPOTHESIS
    @given(data=st.data())
    def check(data):
        wrong = []
        for operation in OPERATIONS:
            case = data.draw(operation.as_strategy(), label=operation.label)
            response = check_case(case, auth)
            exempt = is_public_read(operation) or is_signed_in_nowhere(operation)
            if not exempt and response.status_code != 403 and _resolves(case.formatted_path):
                wrong.append(f"{case.method} {case.formatted_path}: {response.status_code}")
        assert not wrong, "answered without two-factor authentication:\n" + "\n".join(wrong)

    check()


@pytest.fixture
def two_factor_required(settings, cast):
    settings.BACUDA_STAFF_MFA_REQUIRED = True
    return cast["staff"]  # a project officer without an authenticator


def test_the_walk_knows_the_public_reads():
    public = {operation.path for operation in OPERATIONS if is_public_read(operation)}
    assert "/api/v1/regions/" in public and "/api/v1/nominations/" not in public
    assert len(public) < len(OPERATIONS) / 2
    by_link_only = {operation.path for operation in OPERATIONS if is_signed_in_nowhere(operation)}
    assert by_link_only == {path for path in by_link_only if path.startswith("/api/v1/participant/")}


def test_a_staff_session_without_two_factor_is_refused_everywhere_but_public_reads(two_factor_required):
    _every_operation_refused(session_auth(two_factor_required))


def test_a_staff_token_without_two_factor_is_refused_everywhere_but_public_reads(two_factor_required):
    _every_operation_refused(token_auth(two_factor_required))
