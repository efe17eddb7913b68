"""Reads of the workshops app, with the joins and counts each page needs. Callers pass what access allows.

The reads live in one module per part of the app; this package re-exports them, so callers write
``selectors.workshop_list``.
"""

from .audiences import mailing_workshops, workshop_recipients
from .home import (
    DASHBOARD_ROWS,
    HOME_ROWS,
    administration_activity,
    calendar_feed_of,
    deployments_of,
    expert_activity,
    personal_calendar_workshops,
    staff_dashboard,
)
from .inbox import INBOX_CERTIFICATES_LOOKBACK, INBOX_ROWS, inbox_items
from .nominations import (
    AttendanceCell,
    ParticipantAttendance,
    accepted_count,
    attendance_sheet,
    is_certificate_eligible,
    is_nominated,
    nominations_of,
    nominations_open,
    places_left,
)
from .participants import LinkSummary, link_summaries, links_revoked, participant_certificate, participant_page
from .reports import (
    TRAINED_PERSON,
    WorkshopRecord,
    beneficiaries_served,
    delivered_workshops,
    delivered_workshops_with_participants,
    officials_trained_count,
    reportable_workshops,
    trained_participants,
    upcoming_workshops,
    workshop_record,
)
from .search import search_participants, search_workshops
from .workshops import (
    WORKSHOP_ROW_FIELDS,
    assignment_candidates,
    open_request_count,
    overlapping_assignments,
    request_queue,
    with_workshop_labels,
    workshop_detail,
    workshop_exists,
    workshop_list,
    workshop_or_none,
    workshop_rows,
)

__all__ = [
    "DASHBOARD_ROWS",
    "HOME_ROWS",
    "INBOX_CERTIFICATES_LOOKBACK",
    "INBOX_ROWS",
    "TRAINED_PERSON",
    "WORKSHOP_ROW_FIELDS",
    "AttendanceCell",
    "LinkSummary",
    "ParticipantAttendance",
    "WorkshopRecord",
    "accepted_count",
    "administration_activity",
    "assignment_candidates",
    "attendance_sheet",
    "beneficiaries_served",
    "calendar_feed_of",
    "delivered_workshops",
    "delivered_workshops_with_participants",
    "deployments_of",
    "expert_activity",
    "inbox_items",
    "is_certificate_eligible",
    "is_nominated",
    "link_summaries",
    "links_revoked",
    "mailing_workshops",
    "nominations_of",
    "nominations_open",
    "officials_trained_count",
    "open_request_count",
    "overlapping_assignments",
    "participant_certificate",
    "participant_page",
    "personal_calendar_workshops",
    "places_left",
    "reportable_workshops",
    "request_queue",
    "search_participants",
    "search_workshops",
    "staff_dashboard",
    "trained_participants",
    "upcoming_workshops",
    "with_workshop_labels",
    "workshop_detail",
    "workshop_exists",
    "workshop_list",
    "workshop_or_none",
    "workshop_recipients",
    "workshop_record",
    "workshop_rows",
]
