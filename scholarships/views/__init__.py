"""Pages of the scholarships app: thin; they parse input, ask ``access``, call one service and render.

One module per part of the flow; this package re-exports the views ``urls.py`` names.
"""

from .applications import (
    application_detail,
    application_document,
    application_review,
    application_start,
    application_step,
    application_submit,
    application_withdraw,
    call_detail,
    call_list,
    programme_outcome_record,
)
from .bulk import decisions_bulk, reviewers_bulk_assign
from .data_protection import erasure_carry_out, erasure_list, erasure_request, my_data
from .endorsement import ENDORSEMENT_PAGE_SIZE, endorsement_decide, endorsement_list, endorsement_rank
from .letters import letter_approve, letter_edit, outbox
from .programmes import call_copy, call_edit, call_manage, letter_template_edit, programme_edit, programme_manage
from .review import (
    call_review,
    review_assign_one,
    review_conflict,
    review_document,
    review_form,
    review_list,
    reviews_assign,
)
from .screening import eligibility_override, staff_application_list
from .selection import (
    RANKING_CSV_HEADER,
    decision_record,
    decisions_release,
    offer_confirm,
    offer_list,
    offer_reply,
    ranking,
)

__all__ = [
    "ENDORSEMENT_PAGE_SIZE",
    "RANKING_CSV_HEADER",
    "application_detail",
    "application_document",
    "application_review",
    "application_start",
    "application_step",
    "application_submit",
    "application_withdraw",
    "call_copy",
    "call_detail",
    "call_edit",
    "call_list",
    "call_manage",
    "call_review",
    "decision_record",
    "decisions_bulk",
    "decisions_release",
    "eligibility_override",
    "endorsement_decide",
    "endorsement_list",
    "endorsement_rank",
    "erasure_carry_out",
    "erasure_list",
    "erasure_request",
    "letter_approve",
    "letter_edit",
    "letter_template_edit",
    "my_data",
    "offer_confirm",
    "offer_list",
    "offer_reply",
    "outbox",
    "programme_edit",
    "programme_manage",
    "programme_outcome_record",
    "ranking",
    "review_assign_one",
    "review_conflict",
    "review_document",
    "review_form",
    "review_list",
    "reviewers_bulk_assign",
    "reviews_assign",
    "staff_application_list",
]
