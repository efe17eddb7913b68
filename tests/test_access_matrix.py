"""Every URL of the portal, requested by every role: nobody reaches what is not theirs.

``MATRIX`` has one row per named URL of our apps: the HTTP method, the URL's arguments (taken from a small world
of objects belonging to Kenya, the expert and the staff), and what each role gets, in the order of ``ROLES``:
  ok   the request is served (2xx, a redirect that is not to the sign-in page, 400/409/410 form or state refusals)
  L    redirected to the sign-in page
  401  API: authentication required
  403  API: signed in but forbidden
  404  not found (how the portal answers anything that is not the user's)
  503  served, but reporting a fault (the health page with no worker running)
A URL added without a row fails ``test_every_url_is_in_the_matrix``. The role columns and shared rows live in
``tests/access_roles.py``; an app may keep its rows and the objects they need in ``tests/<app>/access_rows.py``
(listed in ``FRAGMENTS``).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bacuda_portal.members import services as member_services
from tests.access_roles import (
    API_PUBLIC,
    API_SIGNED_IN,
    EXPERTS_OWN,
    KENYA_PAGE,
    KENYA_WORKSHOP,
    PUBLIC,
    ROLES,
    SIGNED_IN,
    STAFF_ONLY,
)
from tests.algorithms import access_rows as algorithms_rows
from tests.elearning.factories import CourseFactory, MilestoneFactory
from tests.evaluations import access_rows as evaluations_rows
from tests.mailings import access_rows as mailings_rows
from tests.members import privacy_access_rows
from tests.missions.factories import ClaimFactory, ClaimLineFactory, MissionFactory, TravelRequestFactory
from tests.notifications import access_rows as notifications_rows
from tests.reports import access_rows as reports_rows
from tests.scholarships import access_rows as scholarships_rows
from tests.website import access_rows as website_rows
from tests.workshops import access_rows as workshops_rows
from tests.workshops import clikc_access_rows
from tests.workshops.factories import (
    AssignmentFactory,
    ExpertFactory,
    NominationFactory,
    SessionFactory,
    WorkshopFactory,
    WorkshopRequestFactory,
)
from workshops.experts.models import AvailabilityWindow
from workshops.models import Beneficiary, Certificate

# Third-party URLs (the admin, allauth's account and two-factor pages) have their own tests.
THIRD_PARTY_PREFIXES = ("admin:", "account_", "mfa_", "socialaccount")

MATRIX = {
    # name: (method, arguments from the world, expectations by role)
    "set_language": ("post", None, PUBLIC),
    "liveness": ("get", None, PUBLIC),
    "health": ("get", None, ("L", "503", "404", "404", "404", "404")),  # 503: served, but no worker runs
    "audit_log": ("get", None, STAFF_ONLY),
    "search": ("get", None, SIGNED_IN),
    "api-schema": ("get", None, PUBLIC),
    "api-docs": ("get", None, PUBLIC),
    # members
    "home": ("get", None, SIGNED_IN),
    "inbox": ("get", None, SIGNED_IN),
    "members:administration_list": ("get", None, STAFF_ONLY),
    "members:administration_detail": ("get", lambda w: {"code": "KEN"}, KENYA_PAGE),
    "members:invitation_create": ("post", lambda w: {"code": "KEN"}, STAFF_ONLY),
    "members:invitation_resend": ("post", lambda w: {"pk": w["invitation"].pk}, STAFF_ONLY),
    "members:invitation_revoke": ("post", lambda w: {"pk": w["invitation"].pk}, STAFF_ONLY),
    "members:invitation_accept": ("get", lambda w: {"token": w["invitation_token"]}, PUBLIC),
    "members:api_token": ("get", None, SIGNED_IN),
    # workshops
    "workshops:list": ("get", None, SIGNED_IN),
    "workshops:create": ("get", None, STAFF_ONLY),
    "workshops:dashboard": ("get", None, STAFF_ONLY),
    "workshops:public_calendar": ("get", None, PUBLIC),
    "workshops:calendar_feed": ("get", None, ("L", "ok", "404", "404", "ok", "404")),
    # An unknown key: nobody (signed in or not) gets a feed; known keys are tested in tests/workshops/test_feeds.py.
    "workshops:personal_calendar": ("get", lambda w: {"key": "no-such-key"}, ("404",) * 6),
    "workshops:calendar": ("get", lambda w: {"pk": w["workshop"].pk}, PUBLIC),  # a public workshop
    "workshops:programme": ("get", lambda w: {"pk": w["workshop"].pk}, KENYA_WORKSHOP),
    "workshops:detail": ("get", lambda w: {"pk": w["workshop"].pk}, KENYA_WORKSHOP),
    "workshops:edit": ("get", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "workshops:transition": ("post", lambda w: {"pk": w["workshop"].pk, "action": "close"}, STAFF_ONLY),
    "workshops:session_add": ("post", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "workshops:session_remove": (
        "post",
        lambda w: {"pk": w["workshop"].pk, "session_pk": w["session"].pk},
        STAFF_ONLY,
    ),
    "workshops:quota_update": (
        "post",
        lambda w: {"pk": w["workshop"].pk, "beneficiary_pk": w["beneficiary"].pk},
        STAFF_ONLY,
    ),
    "workshops:attendance": ("get", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "workshops:certificates_issue": ("post", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "workshops:certificates_issue_many": ("post", None, STAFF_ONLY),
    "workshops:certificates_zip": ("get", lambda w: {"pk": w["workshop"].pk}, KENYA_WORKSHOP),
    "workshops:certificate_retry": (
        "post",
        lambda w: {"pk": w["workshop"].pk, "certificate_pk": w["certificate"].pk},
        STAFF_ONLY,
    ),
    "workshops:certificate_download": ("get", lambda w: {"certificate_pk": w["certificate"].pk}, KENYA_PAGE),
    "workshops:certificate_lookup": ("get", None, PUBLIC),
    "workshops:certificate_verify": ("get", lambda w: {"code": w["certificate"].verification_code}, PUBLIC),
    "workshops:nomination_create": (
        "post",
        lambda w: {"pk": w["open_workshop"].pk},
        ("L", "404", "ok", "404", "404", "404"),
    ),
    "workshops:nomination_import": (
        "get",
        lambda w: {"pk": w["open_workshop"].pk},
        ("L", "404", "ok", "404", "404", "404"),
    ),
    "workshops:past_activity_import": ("get", None, STAFF_ONLY),
    "workshops:nominations_bulk": ("post", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "workshops:nomination_offer_next": ("post", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "workshops:nomination_withdraw": ("post", lambda w: {"nomination_pk": w["nomination"].pk}, KENYA_PAGE),
    "workshops:nomination_decide": (
        "post",
        lambda w: {"nomination_pk": w["nomination"].pk, "action": "accept"},
        STAFF_ONLY,
    ),
    "workshops:assignment_create": ("post", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "workshops:assignment_search": ("get", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "workshops:assignment_appraise": (
        "post",
        lambda w: {"pk": w["workshop"].pk, "assignment_pk": w["assignment"].pk},
        STAFF_ONLY,
    ),
    "workshops:assignment_answer": (
        "post",
        lambda w: {"assignment_pk": w["assignment"].pk, "answer": "confirm"},
        ("L", "404", "404", "404", "ok", "404"),
    ),
    "workshops:request_list": ("get", None, ("L", "ok", "ok", "ok", "404", "404")),
    "workshops:request_create": ("get", None, ("L", "404", "ok", "ok", "404", "404")),
    "workshops:request_withdraw": (
        "post",
        lambda w: {"request_pk": w["request"].pk},
        ("L", "404", "ok", "404", "404", "404"),
    ),
    "workshops:request_decide": ("post", lambda w: {"request_pk": w["request"].pk, "action": "accept"}, STAFF_ONLY),
    # experts
    "experts:list": ("get", None, STAFF_ONLY),
    "experts:create": ("get", None, STAFF_ONLY),
    "experts:import": ("get", None, STAFF_ONLY),
    "experts:me": ("get", None, ("L", "404", "404", "404", "ok", "404")),
    "experts:detail": ("get", lambda w: {"pk": w["expert"].pk}, EXPERTS_OWN),
    "experts:update": ("get", lambda w: {"pk": w["expert"].pk}, EXPERTS_OWN),
    "experts:accreditation": ("get", lambda w: {"pk": w["expert"].pk}, STAFF_ONLY),
    "experts:languages": ("post", lambda w: {"pk": w["expert"].pk}, EXPERTS_OWN),
    "experts:availability_add": ("post", lambda w: {"pk": w["expert"].pk}, EXPERTS_OWN),
    "experts:availability_remove": (
        "post",
        lambda w: {"pk": w["expert"].pk, "window_pk": w["window"].pk},
        EXPERTS_OWN,
    ),
    "experts:cv": ("get", lambda w: {"pk": w["expert"].pk}, EXPERTS_OWN),
    "experts:cv_upload": ("post", lambda w: {"pk": w["expert"].pk}, EXPERTS_OWN),
    # e-learning: staff only
    "elearning:course_list": ("get", None, STAFF_ONLY),
    "elearning:course_create": ("get", None, STAFF_ONLY),
    "elearning:course_detail": ("get", lambda w: {"code": w["course"].code}, STAFF_ONLY),
    "elearning:course_update": ("get", lambda w: {"code": w["course"].code}, STAFF_ONLY),
    "elearning:course_advance": ("post", lambda w: {"code": w["course"].code}, STAFF_ONLY),
    "elearning:course_send_back": ("post", lambda w: {"code": w["course"].code}, STAFF_ONLY),
    "elearning:course_publish": ("post", lambda w: {"code": w["course"].code}, STAFF_ONLY),
    "elearning:milestone_create": ("post", lambda w: {"code": w["course"].code}, STAFF_ONLY),
    "elearning:milestone_update": ("get", lambda w: {"pk": w["milestone"].pk}, STAFF_ONLY),
    "elearning:milestone_complete": ("post", lambda w: {"pk": w["milestone"].pk}, STAFF_ONLY),
    "elearning:milestone_delete": ("post", lambda w: {"pk": w["milestone"].pk}, STAFF_ONLY),
    "elearning:checklist_tick": ("post", lambda w: {"pk": w["course"].checklist.first().pk}, STAFF_ONLY),
    # missions: staff and the travelling expert
    "missions:list": ("get", None, EXPERTS_OWN),
    "missions:create": ("get", None, STAFF_ONLY),
    "missions:bulk_approve": ("post", None, STAFF_ONLY),
    "missions:detail": ("get", lambda w: {"pk": w["mission"].pk}, EXPERTS_OWN),
    "missions:update": ("get", lambda w: {"pk": w["mission"].pk}, STAFF_ONLY),
    "missions:request_edit": ("get", lambda w: {"pk": w["mission"].pk}, STAFF_ONLY),
    "missions:request_submit": ("post", lambda w: {"pk": w["mission"].pk}, STAFF_ONLY),
    "missions:request_approve": ("post", lambda w: {"pk": w["mission"].pk}, STAFF_ONLY),
    "missions:request_reject": ("post", lambda w: {"pk": w["mission"].pk}, STAFF_ONLY),
    "missions:claim_line_add": ("get", lambda w: {"pk": w["mission"].pk}, EXPERTS_OWN),
    "missions:claim_submit": ("post", lambda w: {"pk": w["mission"].pk}, EXPERTS_OWN),
    "missions:claim_approve": ("post", lambda w: {"pk": w["mission"].pk}, STAFF_ONLY),
    "missions:claim_reject": ("post", lambda w: {"pk": w["mission"].pk}, STAFF_ONLY),
    "missions:claim_mark_paid": ("post", lambda w: {"pk": w["mission"].pk}, STAFF_ONLY),
    "missions:claim_line_remove": ("post", lambda w: {"pk": w["claim_line"].pk}, EXPERTS_OWN),
    "missions:claim_line_receipt": ("get", lambda w: {"pk": w["claim_line"].pk}, EXPERTS_OWN),
    # the API
    "v1:api-root": ("get", None, API_SIGNED_IN),
    "v1:me": ("get", None, API_SIGNED_IN),
    "v1:region-list": ("get", None, API_PUBLIC),
    "v1:region-detail": ("get", lambda w: {"code": "ESA"}, API_PUBLIC),
    "v1:administration-list": ("get", None, API_PUBLIC),
    "v1:administration-detail": ("get", lambda w: {"code": "KEN"}, API_PUBLIC),
    "v1:contact-point-list": ("get", None, API_SIGNED_IN),
    "v1:contact-point-detail": (
        "get",
        lambda w: {"pk": w["kenya_contact_point"].pk},
        ("401", "ok", "ok", "404", "404", "404"),
    ),
    "v1:workshop-list": ("get", None, API_SIGNED_IN),
    "v1:workshop-detail": ("get", lambda w: {"pk": w["workshop"].pk}, ("401", "ok", "ok", "404", "ok", "404")),
    "v1:nomination-list": ("get", None, API_SIGNED_IN),
    "v1:nomination-detail": ("get", lambda w: {"pk": w["nomination"].pk}, ("401", "ok", "ok", "404", "404", "404")),
    "v1:nomination-decision": ("post", lambda w: {"pk": w["nomination"].pk}, ("401", "ok", "404", "404", "404", "404")),
    "v1:nomination-withdraw": ("post", lambda w: {"pk": w["nomination"].pk}, ("401", "ok", "ok", "404", "404", "404")),
    "v1:workshop-transition": ("post", lambda w: {"pk": w["workshop"].pk}, ("401", "ok", "404", "404", "404", "404")),
    "v1:workshop-attendance": ("post", lambda w: {"pk": w["workshop"].pk}, ("401", "ok", "404", "404", "404", "404")),
    "v1:workshop-certificates": ("post", lambda w: {"pk": w["workshop"].pk}, ("401", "ok", "404", "404", "404", "404")),
    "v1:workshop-assignments": ("post", lambda w: {"pk": w["workshop"].pk}, ("401", "ok", "404", "404", "404", "404")),
    "v1:workshop-nomination-decisions": (
        "post",
        lambda w: {"pk": w["workshop"].pk},
        ("401", "ok", "404", "404", "404", "404"),
    ),
    "v1:workshop-bulk-certificates": ("post", None, ("401", "ok", "404", "404", "404", "404")),
    "v1:assignment-list": ("get", None, API_SIGNED_IN),
    "v1:assignment-detail": ("get", lambda w: {"pk": w["assignment"].pk}, ("401", "ok", "404", "404", "ok", "404")),
    "v1:assignment-answer": ("post", lambda w: {"pk": w["assignment"].pk}, ("401", "404", "404", "404", "ok", "404")),
    "v1:workshop-request-list": ("get", None, API_SIGNED_IN),
    "v1:workshop-request-detail": ("get", lambda w: {"pk": w["request"].pk}, ("401", "ok", "ok", "404", "404", "404")),
    "v1:workshop-request-decision": (
        "post",
        lambda w: {"pk": w["request"].pk},
        ("401", "ok", "404", "404", "404", "404"),
    ),
    "v1:workshop-request-withdraw": (
        "post",
        lambda w: {"pk": w["request"].pk},
        ("401", "404", "ok", "404", "404", "404"),
    ),
    "v1:expert-list": ("get", None, ("401", "ok", "403", "403", "403", "403")),
    "v1:expert-detail": ("get", lambda w: {"pk": w["expert"].pk}, ("401", "ok", "403", "403", "403", "403")),
    "v1:course-list": ("get", None, ("401", "ok", "404", "404", "404", "404")),
    "v1:course-detail": ("get", lambda w: {"code": w["course"].code}, ("401", "ok", "404", "404", "404", "404")),
    "v1:course-advance": ("post", lambda w: {"code": w["course"].code}, ("401", "ok", "404", "404", "404", "404")),
    "v1:course-publish": ("post", lambda w: {"code": w["course"].code}, ("401", "ok", "404", "404", "404", "404")),
    "v1:course-send-back": ("post", lambda w: {"code": w["course"].code}, ("401", "ok", "404", "404", "404", "404")),
    "v1:mission-list": ("get", None, ("401", "ok", "404", "404", "ok", "404")),
    "v1:mission-detail": ("get", lambda w: {"pk": w["mission"].pk}, ("401", "ok", "404", "404", "ok", "404")),
    # the mission's writes: staff (a project officer, who does not decide: 403), the traveller submits the claim
    "v1:mission-travel-request": ("put", lambda w: {"pk": w["mission"].pk}, ("401", "ok", "404", "404", "404", "404")),
    "v1:mission-travel-request-submit": (
        "post",
        lambda w: {"pk": w["mission"].pk},
        ("401", "ok", "404", "404", "404", "404"),
    ),
    "v1:mission-travel-request-decision": (
        "post",
        lambda w: {"pk": w["mission"].pk},
        ("401", "403", "404", "404", "404", "404"),
    ),
    "v1:mission-claim-submit": ("post", lambda w: {"pk": w["mission"].pk}, ("401", "ok", "404", "404", "ok", "404")),
    "v1:mission-claim-decision": (
        "post",
        lambda w: {"pk": w["mission"].pk},
        ("401", "403", "404", "404", "404", "404"),
    ),
    "v1:mission-claim-payment": ("post", lambda w: {"pk": w["mission"].pk}, ("401", "ok", "404", "404", "404", "404")),
    "v1:mission-bulk-approve": ("post", None, ("401", "ok", "404", "404", "404", "404")),
    "v1:mission-claim-lines": ("post", lambda w: {"pk": w["mission"].pk}, ("401", "ok", "404", "404", "ok", "404")),
    "v1:mission-claim-line-remove": (
        "delete",
        lambda w: {"pk": w["claim_line"].claim.mission_id, "line_pk": w["claim_line"].pk},
        ("401", "ok", "404", "404", "ok", "404"),
    ),
}

FRAGMENTS = (
    scholarships_rows,
    algorithms_rows,
    reports_rows,
    website_rows,
    privacy_access_rows,
    workshops_rows,
    evaluations_rows,
    clikc_access_rows,
    mailings_rows,
    notifications_rows,
)
for _fragment in FRAGMENTS:
    assert not set(_fragment.ROWS) & set(MATRIX), f"{_fragment.__name__} repeats a row"
    MATRIX.update(_fragment.ROWS)


def _named_urls() -> set[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return {name for name in walk(get_resolver().url_patterns) if not name.startswith(THIRD_PARTY_PREFIXES)}


def test_every_url_is_in_the_matrix():
    missing = sorted(_named_urls() - set(MATRIX))
    assert not missing, f"Add these URLs to MATRIX with what each role may do: {missing}"


@pytest.fixture
def world(cast, staff, project_manager, contact_point, other_contact_point, expert, applicant, kenya, senegal):
    expert_profile = ExpertFactory(user=expert, email=expert.email)
    expert_profile.cv.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    window = AvailabilityWindow.objects.create(
        expert=expert_profile, start_date=timezone.localdate(), end_date=timezone.localdate() + dt.timedelta(days=9)
    )
    workshop = WorkshopFactory(status="delivered")
    open_workshop = WorkshopFactory(status="planned")
    nomination = NominationFactory(workshop=workshop, status="accepted")
    certificate = Certificate.objects.create(nomination=nomination, issued_on=workshop.end_date, status="ready")
    certificate.file.save("c.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    invitation, token = member_services.invitation_create(
        email="new.person@example.org", administration=kenya, by=staff
    )
    mission = MissionFactory(traveller_expert=expert_profile, created_by=staff)
    TravelRequestFactory(mission=mission, approved=True, submitted_by=staff, decided_by=project_manager)
    claim = ClaimFactory(mission=mission)
    base = {
        "workshop": workshop,
        "open_workshop": open_workshop,
        "session": SessionFactory(workshop=workshop),
        "beneficiary": Beneficiary.objects.get(workshop=workshop),
        "nomination": nomination,
        "certificate": certificate,
        "assignment": AssignmentFactory(workshop=workshop, expert=expert_profile),
        "request": WorkshopRequestFactory(administration=kenya),
        "invitation": invitation,
        "invitation_token": token,
        "expert": expert_profile,
        "window": window,
        "course": CourseFactory(),
        "milestone": MilestoneFactory(),
        "mission": mission,
        "claim_line": ClaimLineFactory(claim=claim, amount=Decimal("10.00")),
        "kenya_contact_point": contact_point.contact_point,
    }
    for fragment in FRAGMENTS:
        base.update(fragment.world(base, cast, kenya, senegal))
    return base


def _outcome(response) -> str:
    status = response.status_code
    if status == 302 and "/accounts/login/" in response["Location"]:
        return "L"
    if status in (401, 403, 404, 405):
        return str(status)
    if status < 500:
        return "ok"
    return str(status)


# What a GET may write: the session (messages, the language) and the audit log (a download or an export is
# recorded). Anything else is a write on GET: a back door that a crawler or a prefetch triggers.
WRITES_ALLOWED_ON_GET = ("django_session", "core_auditentry")


def _writes(queries) -> list[str]:
    found = []
    for query in queries.captured_queries:
        sql = query["sql"].lstrip().upper()
        if sql.startswith(("INSERT", "UPDATE", "DELETE")) and not any(
            f'"{table.upper()}"' in sql or f" {table.upper()} " in sql for table in WRITES_ALLOWED_ON_GET
        ):
            found.append(query["sql"])
    return found


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_role_gets_what_the_matrix_says(client, cast, world, name):
    method, arguments, expectations = MATRIX[name]
    url = reverse(name, kwargs=arguments(world) if arguments else None)
    outcomes = {}
    writes = []
    for role in ROLES:
        # Each role's request is rolled back, so that one role's POST does not change what the next one meets.
        with transaction.atomic():
            client.logout()
            if cast[role] is not None:
                client.force_login(cast[role])
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(url, HTTP_ACCEPT="text/html,application/json")
            outcomes[role] = _outcome(response)
            if method == "get":
                writes += [f"{role}: {sql[:120]}" for sql in _writes(queries)]
            transaction.set_rollback(True)
    expected_outcomes = dict(zip(ROLES, expectations, strict=True))
    assert outcomes == expected_outcomes, f"{name} ({method.upper()} {url})"
    assert not writes, f"GET {url} writes: " + "\n".join(writes)
