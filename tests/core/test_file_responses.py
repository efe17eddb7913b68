"""Every file the portal serves leaves as an attachment, with ``X-Content-Type-Options: nosniff`` and a type from the
allow-list (never HTML or SVG).

The walk requests every named URL of the access matrix (with its world of objects, as a role that may read it),
plainly and with ``?format=csv``, ``?format=xlsx`` and ``?format=zip`` (how list pages and the data export offer
downloads), and checks every response that is a file. ``FILE_URLS`` is what the walk must find: a URL that starts
serving files fails the test until it is added here (after its response was checked), and one that stops fails it
too.
"""

from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from bacuda_portal.core.uploads.responses import SAFE_CONTENT_TYPES
from tests.access_roles import ROLES
from tests.test_access_matrix import MATRIX, world  # noqa: F401 - the world fixture is used by name

ROOT = Path(__file__).resolve().parents[2]
PAGE_TYPES = ("text/html", "application/json", "application/xml", "text/plain")
# Documents about the portal rather than files in it: the API's OpenAPI description, which drf-spectacular serves
# inline (for the docs page and for code generators) in a type no browser renders.
NOT_FILES = {"api-schema"}

# Reviewers are not a role of the matrix: their document download (scholarships:review_document, the same
# private_file_response) is checked in tests/scholarships/test_review.py.
FILE_URLS = {
    # uploaded files
    "experts:cv",
    "missions:claim_line_receipt",
    "reports:evidence_download",
    "scholarships:application_document",
    "algorithms:dataset_download",
    "algorithms:dataset_thumbnail",
    # generated files
    "algorithms:artifact_download",
    "reports:report_download",
    "reports:model_card_pdf",
    "v1:report-download",
    "workshops:certificate_download",
    "workshops:certificates_zip",
    "workshops:clikc_users",
    "workshops:calendar",
    "workshops:public_calendar",
    "participant:certificate",
    "participant:calendar",
    "scholarships:my_data?format=zip",
    "privacy:export_download",
    # CSV and Excel exports of lists
    "audit_log?format=csv",
    "notifications:log?format=csv",
    "members:administration_list?format=csv",
    "workshops:list?format=csv",
    "experts:list?format=csv",
    "missions:list?format=csv",
    "elearning:course_list?format=csv",
    "scholarships:staff_application_list?format=csv",
    "scholarships:ranking?format=csv",
    "algorithms:job_list?format=csv",
    "algorithms:hs_labelled_list?format=csv",
    "reports:dashboard?format=csv",
    "reports:framework?format=csv",
    "website:news_manage?format=csv",
    "scholarships:programme_manage?format=csv",
    "scholarships:call_manage?format=csv",
    "privacy:register?format=csv",
    "evaluations:question_list?format=csv",
    "evaluations:workshop_results?format=csv",
    "mailings:mailing_list?format=csv",
    "mailings:mailing_detail?format=csv",
}
# ... and each of them in Excel too
FILE_URLS |= {name.replace("?format=csv", "?format=xlsx") for name in FILE_URLS if name.endswith("?format=csv")}


def _is_file(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0]
    return response.has_header("Content-Disposition") or (
        response.status_code == 200 and not content_type.startswith(PAGE_TYPES)
    )


def _reader(expectations):
    """The first role the matrix lets read the URL."""
    return next((role for role, outcome in zip(ROLES, expectations, strict=True) if outcome == "ok"), None)


@pytest.mark.django_db
def test_every_file_is_served_as_a_nosniff_attachment_of_a_safe_type(client, cast, world):  # noqa: F811
    served, problems = set(), []
    for name, (method, arguments, expectations) in sorted(MATRIX.items()):
        role = _reader(expectations)
        if method != "get" or role is None or name in NOT_FILES:
            continue
        url = reverse(name, kwargs=arguments(world) if arguments else None)
        for query in ("", "?format=csv", "?format=xlsx", "?format=zip"):
            with transaction.atomic():
                client.logout()
                if cast[role] is not None:
                    client.force_login(cast[role])
                response = client.get(url + query, HTTP_ACCEPT="text/html,application/json")
                transaction.set_rollback(True)
            if not _is_file(response):
                continue
            served.add(name + query)
            stop = not query  # a file URL serves the same file whatever the query
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            disposition = response.get("Content-Disposition", "")
            if not disposition.startswith("attachment;"):
                problems.append(f"{name}{query}: Content-Disposition {disposition!r}")
            if response.get("X-Content-Type-Options") != "nosniff":
                problems.append(f"{name}{query}: no nosniff")
            if response["Content-Type"] not in {*SAFE_CONTENT_TYPES.values(), "application/octet-stream"}:
                problems.append(f"{name}{query}: Content-Type {response['Content-Type']!r}")
            if stop:
                break
    assert not problems, "\n".join(problems)
    extra, missing = sorted(served - FILE_URLS), sorted(FILE_URLS - served)
    assert not extra, f"add to FILE_URLS: {extra}"
    assert not missing, f"not served as files any more: {missing}"


def test_no_code_sends_a_file_but_the_one_helper():
    """FileResponse, StreamingHttpResponse and Content-Disposition appear only in core/uploads/responses.py."""
    allowed = ROOT / "bacuda_portal" / "core" / "uploads" / "responses.py"
    offenders = []
    for folder in ("bacuda_portal", "workshops", "scholarships", "algorithms"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == allowed or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [
                f"{path.relative_to(ROOT)}: {marker}"
                for marker in ("FileResponse(", "StreamingHttpResponse(", "Content-Disposition")
                if marker in text
            ]
    assert not offenders
