"""The evaluations' API: `register` adds its viewsets to the project's one router.

- ``evaluation-questionnaires/``: staff list, read, create and change questionnaires, open and close them, choose
  their questions; ``{id}/results/`` in full for staff, aggregated over their own officials for a contact point;
- ``participant/{token}/questionnaires/``: a participant, by their personal link's token, lists their
  questionnaires, reads one, saves a draft and submits.
"""

from .participants import ParticipantQuestionnaireViewSet
from .questionnaires import QuestionnaireViewSet


def register(router) -> None:
    """Add this app's viewsets to the router (called by bacuda_portal.api)."""
    router.register("evaluation-questionnaires", QuestionnaireViewSet, basename="evaluation-questionnaire")
    router.register(
        r"participant/(?P<token>[^/.]+)/questionnaires",
        ParticipantQuestionnaireViewSet,
        basename="participant-questionnaire",
    )


__all__ = ["ParticipantQuestionnaireViewSet", "QuestionnaireViewSet", "register"]
