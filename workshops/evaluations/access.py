"""Who may build evaluations, see their results, and answer them: the one place the app decides it.

Building questionnaires, the question bank and the results are WCO staff work; everyone else is told "not found".
Contact points see none of these pages yet; through the API they read the questionnaires of their administration's
workshops and their own officials' results, aggregated (``results_administration``). Participants answer through
their personal link (``get_questionnaire_for_participant``); staff preview through ``nomination_for_answering``.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from bacuda_portal.members.access import administration_of, is_wco_staff

from .. import access as workshop_access
from ..enums import NominationStatus
from ..models import Nomination, Workshop
from .enums import QuestionnaireStatus
from .models import Question, Questionnaire


def can_manage_evaluations(user) -> bool:
    return is_wco_staff(user)


def require_evaluation_manager(user) -> None:
    """For pages without an object (the bank, a new question): 404 for anyone but staff."""
    if not can_manage_evaluations(user):
        raise Http404


def get_question_for(user, pk: int) -> Question:
    require_evaluation_manager(user)
    question = Question.objects.prefetch_related("options").filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def get_workshop_for(user, pk: int) -> Workshop:
    """A workshop whose evaluations the user builds and reads."""
    require_evaluation_manager(user)
    return workshop_access.get_workshop_for_staff(user, pk)


def get_questionnaire_for(user, pk: int) -> Questionnaire:
    require_evaluation_manager(user)
    questionnaire = Questionnaire.objects.select_related("workshop").filter(pk=pk).first()
    if questionnaire is None:
        raise Http404
    return questionnaire


@dataclass(frozen=True)
class Answerer:
    """Who the answering page answers for. ``preview``: a staff member looking through a participant's eyes;
    nothing is saved. ``nomination`` may be None in a preview of a workshop without accepted participants."""

    nomination: Nomination | None
    preview: bool


def nomination_for_answering(request, questionnaire: Questionnaire, *, nomination_pk: str | None = None) -> Answerer:
    """The participant the answering page is for, or 404.

    For now, signed-in staff only, as a read-only preview ("preview as participant"): ``nomination_pk`` names one
    of the workshop's accepted participants (the first one when not given). The participant's personal link
    will resolve here to ``Answerer(nomination, preview=False)``.
    """
    if not can_manage_evaluations(request.user):
        raise Http404
    accepted = Nomination.objects.filter(workshop_id=questionnaire.workshop_id, status=NominationStatus.ACCEPTED)
    if nomination_pk:
        try:
            wanted = int(nomination_pk)
        except (TypeError, ValueError):
            wanted = 0
        nomination = accepted.filter(pk=wanted).first() if 0 < wanted < 2**63 else None
        if nomination is None:
            raise Http404
    else:
        nomination = accepted.order_by("full_name", "pk").first()
    return Answerer(nomination=nomination, preview=True)


def get_questionnaire_for_participant(nomination: Nomination, pk: int) -> Questionnaire:
    """A questionnaire of the participant's own workshop that staff have opened (now or before), or 404."""
    questionnaire = (
        Questionnaire.objects.filter(pk=pk, workshop_id=nomination.workshop_id)
        .exclude(status=QuestionnaireStatus.DRAFT)
        .select_related("workshop")
        .first()
    )
    if questionnaire is None:
        raise Http404
    return questionnaire


# --- The API ---------------------------------------------------------------------------------------------------
def questionnaires_visible_to(user) -> QuerySet[Questionnaire]:
    """Questionnaires the API lists: all for staff; for a contact point, those staff have opened (now or before) of
    the workshops their administration benefits from; none for anyone else."""
    if can_manage_evaluations(user):
        return Questionnaire.objects.all()
    administration = administration_of(user)
    if administration is None:
        return Questionnaire.objects.none()
    return Questionnaire.objects.filter(workshop__beneficiary_links__administration=administration).exclude(
        status=QuestionnaireStatus.DRAFT
    )


def questionnaires_to_manage(user) -> QuerySet[Questionnaire]:
    """The questionnaires a user changes, opens and closes: staff only; anyone else finds none."""
    return Questionnaire.objects.all() if can_manage_evaluations(user) else Questionnaire.objects.none()


def results_administration(user):
    """Whose answers the user reads in a questionnaire's results: None for staff (everyone's, in full), a contact
    point's administration (its own officials', aggregated), or Http404 for anyone else."""
    if can_manage_evaluations(user):
        return None
    administration = administration_of(user)
    if administration is None:
        raise Http404
    return administration
