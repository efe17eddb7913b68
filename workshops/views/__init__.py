"""Pages of the workshops app: thin; they parse input, ask ``access``, call one service and render.

One module per part of the flow; this package re-exports the views ``urls.py`` names.
"""

from .assignments import assignment_answer, assignment_appraise, assignment_create, assignment_search
from .attendance import attendance
from .certificates import (
    certificate_download,
    certificate_retry,
    certificate_verify,
    certificates_issue,
    certificates_issue_many,
    certificates_zip,
)
from .clikc import clikc_completions_import, clikc_users
from .feeds import calendar_feed, personal_calendar
from .imports import nomination_import, past_activity_import
from .nominations import (
    nomination_create,
    nomination_decide,
    nomination_offer_next,
    nomination_withdraw,
    nominations_bulk,
)
from .participants import (
    certificate_reissue,
    certificate_revoke,
    participant_calendar,
    participant_certificate,
    participant_link_request,
    participant_link_send,
    participant_links_revoke,
    participant_page,
)
from .workshop_requests import request_create, request_decide, request_list, request_withdraw
from .workshops import (
    public_calendar,
    quota_update,
    session_add,
    session_remove,
    staff_dashboard,
    workshop_calendar,
    workshop_create,
    workshop_detail,
    workshop_edit,
    workshop_list,
    workshop_programme,
    workshop_transition,
)

__all__ = [
    "assignment_answer",
    "assignment_appraise",
    "assignment_create",
    "assignment_search",
    "attendance",
    "calendar_feed",
    "certificate_download",
    "certificate_reissue",
    "certificate_retry",
    "certificate_revoke",
    "certificate_verify",
    "certificates_issue",
    "certificates_issue_many",
    "certificates_zip",
    "clikc_completions_import",
    "clikc_users",
    "nomination_create",
    "nomination_decide",
    "nomination_import",
    "nomination_offer_next",
    "nomination_withdraw",
    "nominations_bulk",
    "participant_calendar",
    "participant_certificate",
    "participant_link_request",
    "participant_link_send",
    "participant_links_revoke",
    "participant_page",
    "past_activity_import",
    "personal_calendar",
    "public_calendar",
    "quota_update",
    "request_create",
    "request_decide",
    "request_list",
    "request_withdraw",
    "session_add",
    "session_remove",
    "staff_dashboard",
    "workshop_calendar",
    "workshop_create",
    "workshop_detail",
    "workshop_edit",
    "workshop_list",
    "workshop_programme",
    "workshop_transition",
]
