"""Every write and state change of the scholarships app: one function each, in a transaction, audited.

An application is a draft the applicant fills step by step, then submitted (screened for eligibility on the
spot) or withdrawn. The administration's contact point endorses or declines it and ranks the endorsed ones;
reviewers score it; staff decide, release the decisions and their letters, and follow offers and programmes.
One module per part of that flow; this package re-exports their functions, so callers write
``services.application_submit``.
"""

from ..placeholders import fill_placeholders, unknown_placeholders
from .applications import (
    application_save_step,
    application_start,
    application_submit,
    application_withdraw,
    missing_for_submission,
)
from .common import STEP_FIELDS, word_count_errors
from .data_protection import (
    APPLICATIONS_CATEGORY,
    PERSONAL_FIELDS,
    applicant_data,
    applicant_data_export,
    application_anonymise,
    application_data,
    erasure_request,
)
from .eligibility import eligibility_override, eligibility_reasons, eligibility_screen
from .endorsement import endorsement_decide, endorsement_rank
from .letters import (
    DEFAULT_LETTERS,
    MAX_SEND_ATTEMPTS,
    SENDING,
    letter_approve,
    letter_draft,
    letter_preview,
    letter_send,
    letter_template_for,
    letter_template_or_default,
    letter_update,
    letters_sweep,
)
from .programmes import (
    FROZEN_CALL_FIELDS,
    call_copy,
    call_has_submissions,
    call_save,
    letter_template_save,
    programme_save,
)
from .review import (
    review_assign,
    review_declare_conflict,
    review_save,
    reviewer_administration_ids,
    reviews_assign_automatically,
    weighted_score,
)
from .selection import (
    decision_record,
    decisions_release,
    has_programme,
    offer_confirm,
    offer_reply,
    offers_expire,
    programme_outcome_record,
)

__all__ = [
    "APPLICATIONS_CATEGORY",
    "DEFAULT_LETTERS",
    "FROZEN_CALL_FIELDS",
    "MAX_SEND_ATTEMPTS",
    "PERSONAL_FIELDS",
    "SENDING",
    "STEP_FIELDS",
    "applicant_data",
    "applicant_data_export",
    "application_anonymise",
    "application_data",
    "application_save_step",
    "application_start",
    "application_submit",
    "application_withdraw",
    "call_copy",
    "call_has_submissions",
    "call_save",
    "decision_record",
    "decisions_release",
    "eligibility_override",
    "eligibility_reasons",
    "eligibility_screen",
    "endorsement_decide",
    "endorsement_rank",
    "erasure_request",
    "fill_placeholders",
    "has_programme",
    "letter_approve",
    "letter_draft",
    "letter_preview",
    "letter_send",
    "letter_template_for",
    "letter_template_or_default",
    "letter_template_save",
    "letter_update",
    "letters_sweep",
    "missing_for_submission",
    "offer_confirm",
    "offer_reply",
    "offers_expire",
    "programme_outcome_record",
    "programme_save",
    "review_assign",
    "review_declare_conflict",
    "review_save",
    "reviewer_administration_ids",
    "reviews_assign_automatically",
    "unknown_placeholders",
    "weighted_score",
    "word_count_errors",
]
