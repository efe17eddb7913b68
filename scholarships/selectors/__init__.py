"""Reads of the scholarships app, with the joins each page needs. Callers pass what access allows.

The reads live in one module per part of the app; this package re-exports them, so callers write
``selectors.application_list``.
"""

from .applications import (
    ENDORSEMENT_CALL_FIELDS,
    application_list,
    applications_of_applicant,
    call_detail,
    default_endorsement_call,
    eligibility_history,
    endorsed_candidates,
    endorsement_calls,
    endorsement_queue,
    open_calls,
    staff_list_rows,
)
from .home import HOME_ROWS, administration_applications, applicant_activity
from .inbox import INBOX_ROWS, inbox_items
from .ranking import (
    RANKING_ORDER,
    RANKING_ROW_FIELDS,
    assignments_of,
    balance,
    offers,
    other_reviews,
    outbox,
    ranking_candidates,
    ranking_csv_rows,
    ranking_order,
    ranking_rows,
    reserve_list,
    review_overview,
    review_scores,
    with_review_figures,
)
from .reports import (
    SelectionRecord,
    call_choices,
    call_or_none,
    calls_open_during,
    calls_open_now,
    graduated_applications,
    selected_applications,
    selection_record,
)
from .search import search_applications

__all__ = [
    "ENDORSEMENT_CALL_FIELDS",
    "HOME_ROWS",
    "INBOX_ROWS",
    "RANKING_ORDER",
    "RANKING_ROW_FIELDS",
    "SelectionRecord",
    "administration_applications",
    "applicant_activity",
    "application_list",
    "applications_of_applicant",
    "assignments_of",
    "balance",
    "call_choices",
    "call_detail",
    "call_or_none",
    "calls_open_during",
    "calls_open_now",
    "default_endorsement_call",
    "eligibility_history",
    "endorsed_candidates",
    "endorsement_calls",
    "endorsement_queue",
    "graduated_applications",
    "inbox_items",
    "offers",
    "open_calls",
    "other_reviews",
    "outbox",
    "ranking_candidates",
    "ranking_csv_rows",
    "ranking_order",
    "ranking_rows",
    "reserve_list",
    "review_overview",
    "review_scores",
    "search_applications",
    "selected_applications",
    "selection_record",
    "staff_list_rows",
    "with_review_figures",
]
