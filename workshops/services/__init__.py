"""Every write and state change of the workshops app: one function each, in a transaction, audited.

The workshop flow is requested -> planned -> confirmed -> delivered -> closed, and cancelled from any state
before delivery. Each transition is its own function; its docstring lists its side effects. The functions live
in one module per part of the flow; this package re-exports them, so callers write ``services.workshop_confirm``.
"""

from .assignments import assignment_answer, assignment_appraise, assignment_create
from .attendance import ATTENDANCE_OPEN_STATUSES, attendance_record
from .certificates import (
    CERTIFICATE_STATUSES,
    MAX_RENDER_ATTEMPTS,
    certificate_render,
    certificate_retry,
    certificates_issue,
    certificates_issue_new,
    certificates_sweep,
)
from .clikc import CompletionImportOutcome, prerequisite_completions_import
from .feeds import calendar_feed_renew, calendar_feed_stop
from .imports import nominations_import, past_activities_import
from .nominations import (
    NOMINATION_OPEN_STATUSES,
    nomination_accept,
    nomination_create,
    nomination_decline,
    nomination_offer_next,
    nomination_waitlist,
    nomination_withdraw,
)
from .participants import (
    PARTICIPANT_LINK_DAYS,
    certificate_reissue,
    certificate_revoke,
    participant_link_expiry,
    participant_link_new,
    participant_link_send,
    participant_links_request,
    participant_links_revoke,
)
from .workshop_requests import request_accept, request_decline, request_submit, request_withdraw
from .workshops import (
    EDITABLE_FIELDS,
    ConcurrentEditError,
    beneficiary_set_quota,
    session_add,
    session_remove,
    workshop_cancel,
    workshop_close,
    workshop_confirm,
    workshop_create,
    workshop_deliver,
    workshop_plan,
    workshop_update,
)

__all__ = [
    "ATTENDANCE_OPEN_STATUSES",
    "CERTIFICATE_STATUSES",
    "EDITABLE_FIELDS",
    "MAX_RENDER_ATTEMPTS",
    "NOMINATION_OPEN_STATUSES",
    "PARTICIPANT_LINK_DAYS",
    "CompletionImportOutcome",
    "ConcurrentEditError",
    "assignment_answer",
    "assignment_appraise",
    "assignment_create",
    "attendance_record",
    "beneficiary_set_quota",
    "calendar_feed_renew",
    "calendar_feed_stop",
    "certificate_reissue",
    "certificate_render",
    "certificate_retry",
    "certificate_revoke",
    "certificates_issue",
    "certificates_issue_new",
    "certificates_sweep",
    "nomination_accept",
    "nomination_create",
    "nomination_decline",
    "nomination_offer_next",
    "nomination_waitlist",
    "nomination_withdraw",
    "nominations_import",
    "participant_link_expiry",
    "participant_link_new",
    "participant_link_send",
    "participant_links_request",
    "participant_links_revoke",
    "past_activities_import",
    "prerequisite_completions_import",
    "request_accept",
    "request_decline",
    "request_submit",
    "request_withdraw",
    "session_add",
    "session_remove",
    "workshop_cancel",
    "workshop_close",
    "workshop_confirm",
    "workshop_create",
    "workshop_deliver",
    "workshop_plan",
    "workshop_update",
]
