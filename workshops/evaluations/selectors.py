"""Reads of the evaluations app: the question bank, a workshop's questionnaires, and the results.

``workshop_results`` reads a workshop's results in a fixed number of queries whatever the number of participants
(tested): the questionnaires, their items with questions and options, the submitted responses and the count of
accepted participants, then aggregates in Python. Anonymous responses are read without any participant.
"""

from collections import Counter
from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ..enums import NominationStatus
from ..models import Nomination, Workshop
from .enums import (
    KNOWLEDGE_KINDS,
    RATING_VALUES,
    QuestionKind,
    QuestionnaireKind,
    QuestionnaireStatus,
    ResponseStatus,
)
from .models import AnswerReceipt, Question, Questionnaire, QuestionnaireItem, QuestionOption, Response

# An anonymous questionnaire's answers are shown once this many participants have submitted: with one or two,
# the list of who answered (which staff may see) would tell who gave which answer.
ANONYMOUS_RESULTS_THRESHOLD = 3


# --- The question bank ---------------------------------------------------------------------------------
def question_list(*, search: str = "", kind: str = "", active: str = "") -> QuerySet[Question]:
    questions = Question.objects.annotate(questionnaire_count=Count("questionnaires", distinct=True)).prefetch_related(
        "options"
    )
    if search:
        questions = questions.filter(
            Q(text_en__icontains=search) | Q(text_fr__icontains=search) | Q(options__text_en__icontains=search)
        ).distinct()
    if kind:
        questions = questions.filter(kind=kind)
    if active == "yes":
        questions = questions.filter(is_active=True)
    elif active == "no":
        questions = questions.filter(is_active=False)
    return questions.order_by("text_en", "pk")


def bank_questions(*, scored_only: bool = False) -> QuerySet[Question]:
    """The questions offered for a new questionnaire."""
    questions = Question.objects.filter(is_active=True)
    return questions.filter(points__gt=0) if scored_only else questions


def _items_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=QuestionnaireItem.objects.select_related("question").prefetch_related(
            Prefetch("question__options", queryset=QuestionOption.objects.order_by("position"))
        ),
    )


# --- Questionnaires ------------------------------------------------------------------------------------
def workshop_questionnaires(workshop: Workshop) -> list[Questionnaire]:
    """A workshop's questionnaires, in the order of their kinds, with items and answer counts."""
    order = list(QuestionnaireKind.values)
    questionnaires = (
        Questionnaire.objects.filter(workshop=workshop)
        .annotate(
            submitted_count=Count("receipts", distinct=True),
            draft_count=Count("responses", filter=Q(responses__status=ResponseStatus.DRAFT), distinct=True),
        )
        .prefetch_related(_items_prefetch())
    )
    return sorted(questionnaires, key=lambda q: order.index(q.kind))


def questionnaire_with_items(questionnaire: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.select_related("workshop").prefetch_related(_items_prefetch()).get(pk=questionnaire.pk)


def workshops_to_copy_from(workshop: Workshop) -> QuerySet[Workshop]:
    """Other workshops that have questionnaires, most recent first."""
    kinds = Questionnaire.objects.values("workshop_id")
    return Workshop.objects.filter(pk__in=kinds).exclude(pk=workshop.pk).order_by("-start_date", "title")


# --- Results -------------------------------------------------------------------------------------------
@dataclass
class Bucket:
    label: str
    count: int
    share: float | None  # percent of those who answered the question
    correct: bool = False  # a scored question's correct option


@dataclass
class QuestionResult:
    item: QuestionnaireItem
    answered: int
    average: float | None = None  # ratings only
    buckets: list[Bucket] = field(default_factory=list)  # ratings and choices
    texts: list[str] = field(default_factory=list)  # free text
    correct_share: float | None = None  # scored questions: percent answering correctly
    chart: str = ""  # set by the page: an SVG bar chart of the buckets

    @property
    def question(self) -> Question:
        return self.item.question


@dataclass
class GainRow:
    nomination_id: int
    full_name: str
    administration: str
    pre: int | None
    post: int | None
    maximum: int | None

    @property
    def gain(self) -> int | None:
        return None if self.pre is None or self.post is None else self.post - self.pre

    @property
    def gain_percent(self) -> float | None:
        if self.gain is None or not self.maximum:
            return None
        return 100 * self.gain / self.maximum

    @property
    def normalised_gain(self) -> float | None:
        """Hake's normalised gain: the share of what could be learnt that was learnt; none at a full pre-test."""
        if self.gain is None or not self.maximum or self.pre >= self.maximum:
            return None
        return self.gain / (self.maximum - self.pre)


@dataclass
class KnowledgeGain:
    rows: list[GainRow]
    maximum: int | None

    @property
    def paired(self) -> list[GainRow]:
        return [row for row in self.rows if row.gain is not None]

    @property
    def average_pre(self) -> float | None:
        values = [row.pre for row in self.rows if row.pre is not None]
        return mean(values) if values else None

    @property
    def average_post(self) -> float | None:
        values = [row.post for row in self.rows if row.post is not None]
        return mean(values) if values else None

    @property
    def average_gain(self) -> float | None:
        return mean(row.gain for row in self.paired) if self.paired else None

    @property
    def average_gain_percent(self) -> float | None:
        values = [row.gain_percent for row in self.paired if row.gain_percent is not None]
        return mean(values) if values else None

    @property
    def average_normalised_gain(self) -> float | None:
        values = [row.normalised_gain for row in self.paired if row.normalised_gain is not None]
        return mean(values) if values else None

    @property
    def positive_share(self) -> float | None:
        """Percent of the participants who took both tests whose score went up."""
        if not self.paired:
            return None
        return 100 * sum(1 for row in self.paired if row.gain > 0) / len(self.paired)


@dataclass
class QuestionnaireResults:
    questionnaire: Questionnaire
    submitted: int
    accepted: int
    questions: list[QuestionResult]
    withheld: bool = False  # anonymous, and too few answers to show them without telling whose they are

    @property
    def response_rate(self) -> float | None:
        return 100 * self.submitted / self.accepted if self.accepted else None


@dataclass
class WorkshopResults:
    workshop: Workshop
    accepted: int
    questionnaires: list[QuestionnaireResults]
    knowledge_gain: KnowledgeGain | None


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _question_result(item: QuestionnaireItem, answers: list) -> QuestionResult:
    question = item.question
    given = [answer for answer in answers if answer not in (None, "", [])]
    result = QuestionResult(item=item, answered=len(given))
    if question.kind == QuestionKind.RATING:
        counts = Counter(given)
        result.average = mean(given) if given else None
        for value in RATING_VALUES:
            label = str(value)
            if value == RATING_VALUES[0] and question.low_label:
                label = f"{value} – {question.low_label}"
            elif value == RATING_VALUES[-1] and question.high_label:
                label = f"{value} – {question.high_label}"
            result.buckets.append(Bucket(label, counts[value], _percent(counts[value], len(given))))
    elif question.kind == QuestionKind.TEXT:
        result.texts = sorted(str(text) for text in given)  # sorted: the order says nothing of who wrote what
    else:
        counts = Counter()
        for answer in given:
            counts.update(answer if isinstance(answer, list) else [answer])
        options = list(question.options.all())
        for option in options:
            result.buckets.append(
                Bucket(
                    option.text,
                    counts[option.pk],
                    _percent(counts[option.pk], len(given)),
                    correct=question.is_scored and option.is_correct,
                )
            )
        if question.is_scored:
            correct = sorted(option.pk for option in options if option.is_correct)
            right = sum(1 for answer in given if (sorted(answer) if isinstance(answer, list) else [answer]) == correct)
            result.correct_share = _percent(right, len(given))
    return result


def workshop_results(workshop: Workshop) -> WorkshopResults:
    """Everything the results page and its CSV show, in a fixed number of queries."""
    accepted = Nomination.objects.filter(workshop=workshop, status=NominationStatus.ACCEPTED).count()
    questionnaires = workshop_questionnaires(workshop)
    by_questionnaire: dict[int, list[Response]] = {questionnaire.pk: [] for questionnaire in questionnaires}
    submitted = (
        Response.objects.filter(questionnaire__workshop=workshop, status=ResponseStatus.SUBMITTED)
        .only("id", "questionnaire_id", "answers", "score", "max_score", "nomination_id")
        .order_by("id")  # random ids: no order of arrival
    )
    for response in submitted:
        by_questionnaire[response.questionnaire_id].append(response)
    results = []
    for questionnaire in questionnaires:
        responses = by_questionnaire[questionnaire.pk]
        withheld = questionnaire.anonymous and 0 < len(responses) < ANONYMOUS_RESULTS_THRESHOLD
        questions = [
            _question_result(item, [] if withheld else [r.answers.get(str(item.question_id)) for r in responses])
            for item in questionnaire.items.all()
        ]
        results.append(QuestionnaireResults(questionnaire, len(responses), accepted, questions, withheld))
    return WorkshopResults(
        workshop=workshop,
        accepted=accepted,
        questionnaires=results,
        knowledge_gain=_knowledge_gain(questionnaires, by_questionnaire),
    )


def _knowledge_gain(questionnaires: list[Questionnaire], responses: dict[int, list[Response]]) -> KnowledgeGain | None:
    tests = {q.kind: q for q in questionnaires if q.kind in KNOWLEDGE_KINDS and not q.anonymous}
    if not tests:
        return None
    scores: dict[int, dict[str, Response]] = {}
    for kind, questionnaire in tests.items():
        for response in responses[questionnaire.pk]:
            if response.nomination_id is not None:
                scores.setdefault(response.nomination_id, {})[kind] = response
    people = {
        nomination.pk: nomination
        for nomination in Nomination.objects.filter(pk__in=scores)
        .select_related("administration")
        .only("id", "full_name", "administration__name_en", "administration__name_fr")
    }
    rows = []
    maximum = None
    for nomination_id, taken in scores.items():
        pre, post = taken.get(QuestionnaireKind.PRE_TEST), taken.get(QuestionnaireKind.POST_TEST)
        row_max = (post or pre).max_score
        maximum = maximum or row_max
        person = people[nomination_id]
        rows.append(
            GainRow(
                nomination_id=nomination_id,
                full_name=person.full_name,
                administration=str(person.administration),
                pre=pre.score if pre else None,
                post=post.score if post else None,
                maximum=row_max,
            )
        )
    rows.sort(key=lambda row: (row.full_name.casefold(), row.nomination_id))
    return KnowledgeGain(rows=rows, maximum=maximum)


# --- What a participant sees on their own page ---------------------------------------------------------
PARTICIPANT_ANSWERED, PARTICIPANT_OPEN, PARTICIPANT_UPCOMING, PARTICIPANT_CLOSED = (
    "answered",
    "open",
    "upcoming",
    "closed",
)


@dataclass(frozen=True)
class ParticipantQuestionnaire:
    questionnaire: Questionnaire
    state: str  # one of PARTICIPANT_ANSWERED, _OPEN, _UPCOMING, _CLOSED


def participant_questionnaires(nomination: Nomination, *, now=None) -> list[ParticipantQuestionnaire]:
    """The questionnaires of the participant's workshop that staff have opened, with where the participant stands
    on each (two queries). Whether they answered comes from the receipt, never from a response."""
    now = now or timezone.now()
    questionnaires = list(
        Questionnaire.objects.filter(workshop_id=nomination.workshop_id)
        .exclude(status=QuestionnaireStatus.DRAFT)
        .order_by("opens_at", "pk")
    )
    answered = set(
        AnswerReceipt.objects.filter(nomination=nomination, questionnaire__in=questionnaires).values_list(
            "questionnaire_id", flat=True
        )
    )
    entries = []
    for questionnaire in questionnaires:
        if questionnaire.pk in answered:
            state = PARTICIPANT_ANSWERED
        elif questionnaire.status == QuestionnaireStatus.CLOSED or (
            questionnaire.closes_at is not None and questionnaire.closes_at <= now
        ):
            state = PARTICIPANT_CLOSED
        elif questionnaire.opens_at is not None and questionnaire.opens_at > now:
            state = PARTICIPANT_UPCOMING
        else:
            state = PARTICIPANT_OPEN
        entries.append(ParticipantQuestionnaire(questionnaire, state))
    return entries


# --- What the notifications app's reminder sweeps read --------------------------------------------------------


def questionnaires_accepting_answers(now=None) -> QuerySet[Questionnaire]:
    """Open questionnaires whose opening time has passed and that have not closed (the participant reminders)."""
    now = now or timezone.now()
    return (
        Questionnaire.objects.filter(status=QuestionnaireStatus.OPEN)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("workshop")
    )


def participants_to_remind(questionnaire: Questionnaire, *, unanswered_only: bool = False) -> QuerySet[Nomination]:
    """The workshop's accepted participants (those who have not submitted it yet, when asked)."""
    nominations = Nomination.objects.filter(workshop_id=questionnaire.workshop_id, status=NominationStatus.ACCEPTED)
    if unanswered_only:
        nominations = nominations.exclude(evaluation_receipts__questionnaire=questionnaire)
    return nominations.select_related("workshop").order_by("pk")
