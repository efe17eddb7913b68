"""Personal data of evaluations in the data-protection register: the answers participants gave under their name.

Anonymous answers name nobody (``models``) and are not personal data. Named answers (the knowledge tests, and the
other questionnaires when staff untick "anonymous") are linked to the participant's nomination. Erasure turns a
named answer into an anonymous one: the link to the participant goes, free-text answers go (they may say who
wrote them), drafts are deleted. Ratings, choices and scores stay, so that the workshop's averages keep their
figures; a participant's own knowledge gain can no longer be paired. The receipt that says *that* they answered
stays with the (pseudonymised) nomination, like their attendance.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bacuda_portal.core import privacy

from .enums import QuestionKind, ResponseStatus
from .models import QuestionnaireItem, Response


def named_answers_held() -> QuerySet[Response]:
    return Response.objects.filter(nomination__isnull=False)


def named_answers_due(now: dt.datetime) -> QuerySet[Response]:
    """Named answers of workshops that ended more than the participants' retention period ago."""
    cutoff = privacy.years_before(timezone.localtime(now), settings.BACUDA_RETENTION_PARTICIPANT_YEARS).date()
    return named_answers_held().filter(questionnaire__workshop__end_date__lt=cutoff)


def named_answers_of(subject: privacy.DataSubject) -> QuerySet[Response]:
    return (
        named_answers_held()
        .annotate(person=Lower("nomination__email"))
        .filter(person__in=subject.emails)
        .select_related("questionnaire__workshop")
    )


def _text_question_keys(response: Response) -> set[str]:
    items = QuestionnaireItem.objects.filter(
        questionnaire_id=response.questionnaire_id, question__kind=QuestionKind.TEXT
    )
    return {str(question_id) for question_id in items.values_list("question_id", flat=True)}


@transaction.atomic
def named_answer_erase(response: Response, *, now: dt.datetime, on_request: bool) -> set[str] | None:
    """Make a named answer anonymous: no participant, no free text; a draft is deleted.

    Side effects: the response changed or deleted. Returns the free-text answers removed (for the audit log)."""
    response = Response.objects.select_for_update().filter(pk=response.pk).first()
    if response is None or response.nomination_id is None:
        return None
    texts = _text_question_keys(response)
    removed = {str(value) for key, value in response.answers.items() if key in texts and value}
    if response.status == ResponseStatus.DRAFT:
        response.delete()
        return removed
    response.answers = {key: value for key, value in response.answers.items() if key not in texts}
    response.nomination = None
    response.save(update_fields=["answers", "nomination"])
    return removed


def _named_answer_export(response: Response) -> dict:
    questionnaire = response.questionnaire
    return {
        "workshop": questionnaire.workshop.title,
        "questionnaire": questionnaire.get_kind_display(),
        "status": response.status,
        "submitted_on": response.submitted_on,
        "answers": response.answers,
        "score": response.score,
        "maximum_score": response.max_score,
    }


def _named_answer_retention() -> str:
    years = settings.BACUDA_RETENTION_PARTICIPANT_YEARS
    return ngettext(
        "%(count)d year after the end of the workshop; then the answers are kept without your name and without "
        "your free-text answers.",
        "%(count)d years after the end of the workshop; then the answers are kept without your name and without "
        "your free-text answers.",
        years,
    ) % {"count": years}


privacy.register(
    privacy.Category(
        key="evaluations.named_answers",
        title=_("Named answers to workshop evaluations"),
        purpose=_(
            "To measure each participant's knowledge gain between the knowledge tests and to follow up on how the "
            "learning is applied; the donor reports show only aggregated figures."
        ),
        legal_basis=_("The WCO's capacity-building mandate and its reporting duty to the donors."),
        data=_(
            "Your answers to the knowledge tests and to the questionnaires that are not anonymous (ratings, "
            "choices, free text, scores). Anonymous answers are not linked to you."
        ),
        retention=_named_answer_retention,
        held=named_answers_held,
        due=named_answers_due,
        due_since="questionnaire__workshop__end_date",
        erase=named_answer_erase,
        of_subject=named_answers_of,
        export=_named_answer_export,
        # Before the participants' category: it finds the answers by the address that category replaces.
        order=19,
        display_order=22,
    )
)
