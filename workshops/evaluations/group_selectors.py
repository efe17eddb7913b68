"""Reads for a contact point: one questionnaire's results over their own administration's officials, aggregated.

A contact point may learn how their officials did as a group, never how one of them did. So:

* figures are shown only once at least ``MINIMUM_GROUP`` of their officials have submitted (the knowledge gain
  once that many took both tests); below that, only how many answered;
* free-text answers are never shown (a sentence can name its writer), nor the per-participant knowledge gain;
* an anonymous questionnaire's answers carry no participant, so none of them can be told to come from one
  administration: only how many of its officials answered (from the receipts) is shown.

The figures themselves are computed exactly as on the staff's results page (``selectors._question_result`` and
``selectors._knowledge_gain``), on the administration's responses only.
"""

from dataclasses import dataclass

from bacuda_portal.members.models import Administration

from ..enums import NominationStatus
from ..models import Nomination
from . import selectors
from .enums import KNOWLEDGE_KINDS, ResponseStatus
from .models import AnswerReceipt, Questionnaire, Response

# Fewer officials than this and one of them could be singled out (by elimination, or because the contact point
# knows who was there): the figures are withheld.
MINIMUM_GROUP = 5

WITHHELD_ANONYMOUS, WITHHELD_TOO_FEW = "anonymous", "too_few"


@dataclass
class GroupResults:
    questionnaire: Questionnaire
    administration: Administration
    accepted: int  # the administration's accepted participants in the workshop
    submitted: int  # how many of them have submitted
    questions: list[selectors.QuestionResult]  # empty when withheld; free texts always empty
    withheld: str = ""  # WITHHELD_ANONYMOUS, WITHHELD_TOO_FEW or ""
    knowledge_gain: selectors.KnowledgeGain | None = None  # knowledge tests, when enough took both
    gain_withheld: bool = False  # a knowledge test whose paired participants are fewer than MINIMUM_GROUP

    @property
    def response_rate(self) -> float | None:
        return 100 * self.submitted / self.accepted if self.accepted else None


def administration_results(questionnaire: Questionnaire, administration: Administration) -> GroupResults:
    """``questionnaire``'s results over ``administration``'s officials (see the module's docstring)."""
    accepted = Nomination.objects.filter(
        workshop_id=questionnaire.workshop_id, administration=administration, status=NominationStatus.ACCEPTED
    ).count()
    submitted = AnswerReceipt.objects.filter(
        questionnaire=questionnaire, nomination__administration=administration
    ).count()
    results = GroupResults(questionnaire, administration, accepted, submitted, questions=[])
    if questionnaire.anonymous:
        results.withheld = WITHHELD_ANONYMOUS
        return results
    if submitted < MINIMUM_GROUP:
        results.withheld = WITHHELD_TOO_FEW
        return results
    questionnaire = selectors.questionnaire_with_items(questionnaire)
    own = _own_responses(administration).filter(questionnaire=questionnaire)
    answers = [response.answers for response in own]
    for item in questionnaire.items.all():
        result = selectors._question_result(item, [given.get(str(item.question_id)) for given in answers])
        result.texts = []
        results.questions.append(result)
    if questionnaire.kind in KNOWLEDGE_KINDS:
        tests = list(Questionnaire.objects.filter(workshop_id=questionnaire.workshop_id, kind__in=KNOWLEDGE_KINDS))
        responses = {test.pk: [] for test in tests}
        for response in _own_responses(administration).filter(questionnaire__in=tests):
            responses[response.questionnaire_id].append(response)
        gain = selectors._knowledge_gain(tests, responses)
        if gain is not None and len(gain.paired) >= MINIMUM_GROUP:
            results.knowledge_gain = gain
        else:
            results.gain_withheld = True
    return results


def _own_responses(administration: Administration):
    return (
        Response.objects.filter(status=ResponseStatus.SUBMITTED, nomination__administration=administration)
        .only("id", "questionnaire_id", "answers", "score", "max_score", "nomination_id")
        .order_by("id")
    )
