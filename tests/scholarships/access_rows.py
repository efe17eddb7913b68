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
from tests.scholarships.factories import CallFactory, ReviewerFactory, SubmittedApplicationFactory

NOBODY = ("L", "404", "404", "404", "404", "404")  # the assigned reviewer is not one of the matrix's roles
API_NOBODY = ("401", "404", "404", "404", "404", "404")
API_STAFF_ONLY = ("401", "ok", "404", "404", "404", "404")


def _application(world: dict) -> dict:
    return {"pk": world["application"].pk}


ROWS = {
    # scholarships: the cast's applicant has a submitted application from Kenya to a published, open call
    "scholarships:call_list": ("get", None, PUBLIC),
    "scholarships:call_detail": ("get", lambda w: {"pk": w["call"].pk}, PUBLIC),
    "scholarships:application_start": ("post", lambda w: {"pk": w["call"].pk}, APPLICANTS_OWN),
    "scholarships:application_step": ("get", lambda w: {"pk": w["application"].pk, "step": "personal"}, APPLICANTS_OWN),
    "scholarships:application_submit": ("post", lambda w: {"pk": w["application"].pk}, APPLICANTS_OWN),
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
    # review: the reviewer's pages (tests/scholarships/test_review.py has the reviewer columns) and staff's
    "scholarships:review_list": ("get", None, NOBODY),
    "scholarships:review_form": ("get", lambda w: {"pk": w["review"].pk}, NOBODY),
    "scholarships:review_conflict": ("post", lambda w: {"pk": w["review"].pk}, NOBODY),
    "scholarships:review_document": ("get", lambda w: {"pk": w["review"].pk, "name": "cv"}, NOBODY),
    "scholarships:call_review": ("get", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:reviews_assign": ("post", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:review_assign_one": ("post", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    # ranking, decisions, letters, offers (the applicant's application holds a released offer)
    "scholarships:ranking": ("get", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:decision_record": ("post", lambda w: {"pk": w["application"].pk}, STAFF_ONLY),
    "scholarships:decisions_bulk": ("post", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:reviewers_bulk_assign": ("post", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:decisions_release": ("post", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:outbox": ("get", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:letter_edit": ("get", lambda w: {"pk": w["letter"].pk}, STAFF_ONLY),
    "scholarships:letter_approve": ("post", lambda w: {"pk": w["letter"].pk}, STAFF_ONLY),
    "scholarships:offer_reply": ("post", lambda w: {"pk": w["application"].pk}, APPLICANTS_OWN),
    "scholarships:offer_list": ("get", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:offer_confirm": ("post", lambda w: {"pk": w["decision"].pk}, STAFF_ONLY),
    "scholarships:programme_outcome_record": ("post", lambda w: {"pk": w["application"].pk}, STAFF_ONLY),
    # programmes and calls set up by staff (the reviewer's column: tests/scholarships/test_setup_pages.py)
    "scholarships:programme_manage": ("get", None, STAFF_ONLY),
    "scholarships:programme_create": ("get", None, STAFF_ONLY),
    "scholarships:programme_edit": ("get", lambda w: {"pk": w["call"].programme_id}, STAFF_ONLY),
    "scholarships:call_manage": ("get", None, STAFF_ONLY),
    "scholarships:call_create": ("get", None, STAFF_ONLY),
    "scholarships:call_edit": ("get", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:call_copy": ("post", lambda w: {"pk": w["call"].pk}, STAFF_ONLY),
    "scholarships:letter_template_edit": (
        "get",
        lambda w: {"pk": w["call"].pk, "outcome": "selected"},
        STAFF_ONLY,
    ),
    # data protection
    "scholarships:my_data": ("get", None, APPLICANTS_OWN),
    "scholarships:erasure_request": ("post", None, APPLICANTS_OWN),
    "scholarships:erasure_list": ("get", None, STAFF_ONLY),
    "scholarships:erasure_carry_out": ("post", lambda w: {"pk": w["erasure"].pk}, STAFF_ONLY),
    "v1:scholarship-review-list": ("get", None, API_SIGNED_IN),
    "v1:scholarship-review-detail": (
        "get",
        lambda w: {"pk": w["review"].pk},
        ("401", "ok", "404", "404", "404", "404"),
    ),
    "v1:scholarship-call-list": ("get", None, API_PUBLIC),
    "v1:scholarship-call-detail": ("get", lambda w: {"pk": w["call"].pk}, API_PUBLIC),
    "v1:scholarship-application-list": ("get", None, API_SIGNED_IN),
    "v1:scholarship-application-detail": (
        "get",
        lambda w: {"pk": w["application"].pk},
        ("401", "ok", "ok", "404", "404", "ok"),
    ),
    # the selection's writes (tests/scholarships/test_api_writes.py has the reviewer's column)
    "v1:scholarship-application-endorsement": ("post", _application, ("401", "404", "ok", "404", "404", "404")),
    "v1:scholarship-application-decision": ("post", _application, API_STAFF_ONLY),
    "v1:scholarship-application-offer-reply": ("post", _application, ("401", "404", "404", "404", "404", "ok")),
    "v1:scholarship-application-offer-confirm": ("post", _application, API_STAFF_ONLY),
    "v1:scholarship-call-release": ("post", lambda w: {"pk": w["call"].pk}, API_STAFF_ONLY),
    "v1:scholarship-call-decisions": ("post", lambda w: {"pk": w["call"].pk}, API_STAFF_ONLY),
    "v1:scholarship-call-reviewer-assignments": ("post", lambda w: {"pk": w["call"].pk}, API_STAFF_ONLY),
    "v1:scholarship-review-scores": ("post", lambda w: {"pk": w["review"].pk}, API_NOBODY),
    "v1:scholarship-review-conflict": ("post", lambda w: {"pk": w["review"].pk}, API_NOBODY),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """Objects these rows name, added to the shared world (``base``)."""
    import datetime as dt

    from django.utils import timezone

    from bacuda_portal.core.models import ErasureRequest
    from scholarships.models import Decision, Letter, Review

    call = CallFactory()
    application = SubmittedApplicationFactory(
        call=call, applicant=cast["applicant"], administration=kenya, eligibility_result="eligible"
    )
    decision = Decision.objects.create(
        application=application, call=call, outcome="selected", status="released", released_at=timezone.now(),
        offer_status="open", reply_by=timezone.now() + dt.timedelta(days=10),
    )  # fmt: skip
    reviewer = ReviewerFactory(calls=[call])
    return {
        "call": call,
        "application": application,
        "decision": decision,
        "review": Review.objects.create(call=call, application=application, reviewer=reviewer),
        "letter": Letter.objects.create(
            application=application,
            call=call,
            outcome="selected",
            to=cast["applicant"].email,
            language="en",
            subject="Selected",
            body="Dear applicant",
        ),
        "erasure": ErasureRequest.objects.create(user=_erasing_applicant(), reference="someone"),
    }


def _erasing_applicant():
    from tests.factories import UserFactory

    return UserFactory(role="applicant", email="erase.me@example.org")
