"""The evaluations' rows of the access matrix (tests/test_access_matrix.py) and the objects they need.

Building questionnaires, the question bank, the results and the participant preview are staff only; contact
points see none of these pages yet. Participants answer by their personal link (no account): public, the token
being the credential (the world's accepted participant and their link come from tests/workshops/access_rows.py)."""

from tests.access_roles import PUBLIC, STAFF_ONLY
from workshops.evaluations import services

from .factories import QuestionFactory

ROWS = {
    "evaluations:question_list": ("get", None, STAFF_ONLY),
    "evaluations:question_create": ("get", None, STAFF_ONLY),
    "evaluations:question_update": ("get", lambda w: {"pk": w["evaluation_question"].pk}, STAFF_ONLY),
    "evaluations:workshop_questionnaires": ("get", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "evaluations:questionnaires_copy": ("post", lambda w: {"pk": w["open_workshop"].pk}, STAFF_ONLY),
    "evaluations:workshop_results": ("get", lambda w: {"pk": w["workshop"].pk}, STAFF_ONLY),
    "evaluations:questionnaire_detail": ("get", lambda w: {"pk": w["questionnaire"].pk}, STAFF_ONLY),
    "evaluations:questionnaire_settings": ("post", lambda w: {"pk": w["questionnaire"].pk}, STAFF_ONLY),
    "evaluations:questionnaire_items": ("post", lambda w: {"pk": w["questionnaire"].pk}, STAFF_ONLY),
    "evaluations:questionnaire_open": ("post", lambda w: {"pk": w["questionnaire"].pk}, STAFF_ONLY),
    "evaluations:questionnaire_close": ("post", lambda w: {"pk": w["questionnaire"].pk}, STAFF_ONLY),
    "evaluations:questionnaire_preview": ("get", lambda w: {"pk": w["questionnaire"].pk}, STAFF_ONLY),
    "participant_evaluations:answer": (
        "get",
        lambda w: {"token": w["participant_token"], "pk": w["questionnaire"].pk},
        PUBLIC,
    ),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """A reaction survey on the shared (delivered) workshop, open, and a bank question."""
    question = QuestionFactory()
    questionnaire = services.questionnaire_create(
        workshop=base["workshop"], kind="reaction", questions=[question], by=cast["staff"]
    )
    services.questionnaire_open(questionnaire=questionnaire, by=cast["staff"])
    return {"evaluation_question": question, "questionnaire": questionnaire}
