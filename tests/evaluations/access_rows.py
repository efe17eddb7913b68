"""The evaluations' rows of the access matrix (tests/test_access_matrix.py) and the objects they need.

Building questionnaires, the question bank, the results and the participant preview are staff only; contact
points see none of these pages yet. Participants answer by their personal link (no account): public, the token
being the credential (the world's accepted participant and their link come from tests/workshops/access_rows.py).
Through the API, a contact point also reads the questionnaires and (aggregated) results of their administration's
workshops; the participant's endpoints take the link's token, whoever is signed in."""

from tests.access_roles import API_SIGNED_IN, PUBLIC, STAFF_ONLY
from workshops.evaluations import services

from .factories import QuestionFactory

API_STAFF_WRITES = ("401", "ok", "404", "404", "404", "404")
API_KENYA_WORKSHOP = ("401", "ok", "ok", "404", "404", "404")


def _questionnaire(w):
    return {"pk": w["questionnaire"].pk}


def _answering(w):
    return {"token": w["participant_token"], "id": w["questionnaire"].pk}


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
    # The API (tests/evaluations/test_api.py)
    "v1:evaluation-questionnaire-list": ("get", None, API_SIGNED_IN),  # an empty list for those who see none
    "v1:evaluation-questionnaire-detail": ("get", _questionnaire, API_KENYA_WORKSHOP),
    "v1:evaluation-questionnaire-results": ("get", _questionnaire, API_KENYA_WORKSHOP),
    "v1:evaluation-questionnaire-open": ("post", _questionnaire, API_STAFF_WRITES),  # staff: 400, already open
    "v1:evaluation-questionnaire-close": ("post", _questionnaire, API_STAFF_WRITES),
    "v1:evaluation-questionnaire-questions": ("post", _questionnaire, API_STAFF_WRITES),  # staff: 400, no items
    "v1:participant-questionnaire-list": ("get", lambda w: {"token": w["participant_token"]}, PUBLIC),
    "v1:participant-questionnaire-detail": ("get", _answering, PUBLIC),
    "v1:participant-questionnaire-draft": ("post", _answering, PUBLIC),  # no answers: 400
    "v1:participant-questionnaire-submit": ("post", _answering, PUBLIC),
}


def world(base: dict, cast: dict, kenya, senegal) -> dict:
    """A reaction survey on the shared (delivered) workshop, open, and a bank question."""
    question = QuestionFactory()
    questionnaire = services.questionnaire_create(
        workshop=base["workshop"], kind="reaction", questions=[question], by=cast["staff"]
    )
    services.questionnaire_open(questionnaire=questionnaire, by=cast["staff"])
    return {"evaluation_question": question, "questionnaire": questionnaire}
