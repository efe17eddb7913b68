"""The scholarships rows of the access matrix (tests/test_access_matrix.py) and the objects they need."""

from tests.access_roles import (
    API_PUBLIC,
    API_SIGNED_IN,
    APPLICANTS_OWN,
    APPLICATION_READERS,
    CONTACT_POINTS,
    PUBLIC,
    STAFF_ONLY,
)
from tests.scholarships.factories import CallFactory, SubmittedApplicationFactory

ROWS = {
    # scholarships: the cast's applicant has a submitted application from Kenya to a published, open call
    "scholarships:call_list": ("get", None, PUBLIC),
    "scholarships:call_detail": ("get", lambda w: {"pk": w["call"].pk}, PUBLIC),
    "scholarships:application_start": ("post", lambda w: {"pk": w["call"].pk}, APPLICANTS_OWN),
    "scholarships:application_step": ("get", lambda w: {"pk": w["application"].pk, "step": "personal"}, APPLICANTS_OWN),
    "scholarships:application_withdraw": ("post", lambda w: {"pk": w["application"].pk}, APPLICANTS_OWN),
    "scholarships:application_detail": ("get", lambda w: {"pk": w["application"].pk}, APPLICATION_READERS),
    "scholarships:application_document": (
        "get",
        lambda w: {"pk": w["application"].pk, "name": "cv"},
        APPLICATION_READERS,
    ),
    "scholarships:endorsement_list": ("get", None, CONTACT_POINTS),
    "scholarships:endorsement_rank": ("post", lambda w: {"call_pk": w["call"].pk}, CONTACT_POINTS),
    "scholarships:endorsement_decide": (
        "post",
        lambda w: {"pk": w["application"].pk},
        ("L", "404", "ok", "404", "404", "404"),
    ),
    "scholarships:staff_application_list": ("get", None, STAFF_ONLY),
    "scholarships:eligibility_override": ("post", lambda w: {"pk": w["application"].pk}, STAFF_ONLY),
    "v1:scholarship-call-list": ("get", None, API_PUBLIC),
    "v1:scholarship-call-detail": ("get", lambda w: {"pk": w["call"].pk}, API_PUBLIC),
    "v1:scholarship-application-list": ("get", None, API_SIGNED_IN),
    "v1:scholarship-application-detail": (
        "get",
        lambda w: {"pk": w["application"].pk},
        ("401", "ok", "ok", "404", "404", "ok"),
    ),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """Objects these rows name, added to the shared world (``base``)."""
    call = CallFactory()
    return {
        "call": call,
        "application": SubmittedApplicationFactory(call=call, applicant=cast["applicant"], administration=kenya),
    }
