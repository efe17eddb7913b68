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


# --- Figures for the results framework (reports.indicators) --------------------------------------------------
# A questionnaire's answers belong to the period its workshop's last day falls in (like every workshop figure).
# Where an answer counts: a named answer by its participant's sex, administration and region; an anonymous one
# has no sex ("unknown"), counts in every region its workshop served (as a regional workshop does), and for one
# administration only when the workshop served that administration alone.
APPLYING_RATING = 4  # a follow-up rating of 4 or 5 on an application question: the participant applies it


@dataclass(frozen=True)
class PlacedAnswer:
    """One submitted response reduced to what an indicator needs, and where it counts."""

    values: tuple  # the ratings (or, for knowledge tests, (pre score, post score)) it contributes
    sex: str
    regions: tuple[str, ...]
    workshop_id: int = 0


def _delivered_questionnaires(kinds: list[str], period_start, period_end) -> QuerySet[Questionnaire]:
    from ..selectors.reports import delivered_workshops

    return Questionnaire.objects.filter(kind__in=kinds, workshop__in=delivered_workshops(period_start, period_end))


def _served_places(questionnaires: QuerySet[Questionnaire]) -> dict[int, list[tuple[int, str]]]:
    """By workshop: its beneficiary administrations and their region codes (one query)."""
    from ..models import Beneficiary

    places: dict[int, list[tuple[int, str]]] = {}
    links = Beneficiary.objects.filter(workshop__in=questionnaires.values("workshop")).values_list(
        "workshop_id", "administration_id", "administration__region__code"
    )
    for workshop_id, administration_id, code in links.order_by("workshop_id", "administration_id"):
        places.setdefault(workshop_id, []).append((administration_id, code or ""))
    return places


def _place(row: dict, places: dict, administration, region) -> tuple[str, tuple[str, ...]] | None:
    """(sex, regions) where a response counts under the filter, or None when it does not count there."""
    if row["nomination_id"] is not None:
        if administration is not None and row["nomination__administration_id"] != administration.pk:
            return None
        code = row["nomination__administration__region__code"] or ""
        if region is not None and code != region.code:
            return None
        return row["nomination__gender"] or "unknown", (code,)
    served = places.get(row["questionnaire__workshop_id"], [])
    if administration is not None and {pk for pk, _code in served} != {administration.pk}:
        return None
    codes = tuple(sorted({code for _pk, code in served}))
    if region is not None:
        if region.code not in codes:
            return None
        codes = (region.code,)
    return "unknown", codes


def _submitted_rows(questionnaires: QuerySet[Questionnaire]) -> QuerySet[Response]:
    return Response.objects.filter(questionnaire__in=questionnaires, status=ResponseStatus.SUBMITTED).order_by("id")


def _rated_answers(kind: str, period_start, period_end, administration, region, **question_filter) -> list:
    """The ratings each submitted response of ``kind`` gives to the rating questions chosen, with its place."""
    questionnaires = _delivered_questionnaires([kind], period_start, period_end)
    asked: dict[int, list[str]] = {}
    items = QuestionnaireItem.objects.filter(
        questionnaire__in=questionnaires, question__kind=QuestionKind.RATING, **question_filter
    )
    for questionnaire_id, question_id in items.values_list("questionnaire_id", "question_id"):
        asked.setdefault(questionnaire_id, []).append(str(question_id))
    if not asked:
        return []
    places = _served_places(questionnaires)
    answers = []
    for row in _submitted_rows(questionnaires.filter(pk__in=asked)).values(*_ROW_FIELDS, "questionnaire_id"):
        where = _place(row, places, administration, region)
        ratings = tuple(
            row["answers"][key]
            for key in asked[row["questionnaire_id"]]
            if isinstance(row["answers"].get(key), int) and row["answers"][key] in RATING_VALUES
        )
        if where is not None and ratings:
            answers.append(PlacedAnswer(ratings, *where, workshop_id=row["questionnaire__workshop_id"]))
    return answers


_ROW_FIELDS = (
    "answers",
    "questionnaire__workshop_id",
    "nomination_id",
    "nomination__gender",
    "nomination__administration_id",
    "nomination__administration__region__code",
)


def satisfaction_ratings(period_start, period_end, administration=None, region=None) -> list[PlacedAnswer]:
    """Submitted reaction surveys of workshops delivered in the period: each with its ratings (1 to 5)."""
    return _rated_answers(QuestionnaireKind.REACTION, period_start, period_end, administration, region)


def application_ratings(period_start, period_end, administration=None, region=None) -> list[PlacedAnswer]:
    """Submitted follow-up surveys: each with its ratings of the questions that measure the application."""
    return _rated_answers(
        QuestionnaireKind.FOLLOW_UP,
        period_start,
        period_end,
        administration,
        region,
        question__measures_application=True,
    )


def knowledge_scores(period_start, period_end, administration=None, region=None) -> list[PlacedAnswer]:
    """Participants who submitted both knowledge tests of a workshop delivered in the period: (pre, post) each."""
    questionnaires = _delivered_questionnaires(sorted(KNOWLEDGE_KINDS), period_start, period_end)
    taken: dict[int, dict] = {}
    rows = _submitted_rows(questionnaires).filter(nomination__isnull=False, score__isnull=False)
    for row in rows.values(*_ROW_FIELDS, "score", "questionnaire__kind"):
        taken.setdefault(row["nomination_id"], {"row": row})[row["questionnaire__kind"]] = row["score"]
    answers = []
    for tests in taken.values():
        if QuestionnaireKind.PRE_TEST in tests and QuestionnaireKind.POST_TEST in tests:
            where = _place(tests["row"], {}, administration, region)
            if where is not None:
                pair = (tests[QuestionnaireKind.PRE_TEST], tests[QuestionnaireKind.POST_TEST])
                answers.append(PlacedAnswer(pair, *where, workshop_id=tests["row"]["questionnaire__workshop_id"]))
    return answers


def submitted_counts(workshop_ids) -> dict[tuple[int, str], int]:
    """Submitted answers by (workshop, questionnaire kind), from the receipts (one query)."""
    rows = (
        AnswerReceipt.objects.filter(questionnaire__workshop_id__in=workshop_ids)
        .order_by()
        .values_list("questionnaire__workshop_id", "questionnaire__kind")
        .annotate(n=Count("pk"))
    )
    return {(workshop_id, kind): n for workshop_id, kind, n in rows}


# --- A workshop's evaluation in its report ---------------------------------------------------------------
@dataclass
class EvaluationSummary:
    """What the workshop report says of the evaluation: per questionnaire its answers and response rate; the
    mean satisfaction (reaction ratings, 1 to 5), the knowledge gain, and the share applying the learning."""

    results: WorkshopResults
    satisfaction: float | None
    satisfaction_withheld: bool
    applying_share: float | None
    applying_answers: int

    @property
    def collected(self) -> bool:
        return any(result.submitted for result in self.results.questionnaires)

    @property
    def knowledge_gain(self) -> KnowledgeGain | None:
        return self.results.knowledge_gain


def _mean_rating(result: QuestionnaireResults) -> float | None:
    rated = [q for q in result.questions if q.question.kind == QuestionKind.RATING and q.answered]
    answered = sum(q.answered for q in rated)
    return sum(q.average * q.answered for q in rated) / answered if answered else None


def workshop_evaluation(workshop: Workshop) -> EvaluationSummary:
    """The workshop's evaluation for its report: ``workshop_results`` and one query for the follow-up's
    application ratings (per participant, which the results page does not need)."""
    results = workshop_results(workshop)
    by_kind = {result.questionnaire.kind: result for result in results.questionnaires}
    reaction = by_kind.get(QuestionnaireKind.REACTION)
    satisfaction = _mean_rating(reaction) if reaction and not reaction.withheld else None
    follow_up = by_kind.get(QuestionnaireKind.FOLLOW_UP)
    shares: list[bool] = []
    if follow_up is not None and not follow_up.withheld:
        flagged = [
            str(q.question.pk)
            for q in follow_up.questions
            if q.question.measures_application and q.question.kind == QuestionKind.RATING
        ]
        answers = Response.objects.filter(
            questionnaire=follow_up.questionnaire, status=ResponseStatus.SUBMITTED
        ).values_list("answers", flat=True)
        for given in answers if flagged else []:
            ratings = [given[key] for key in flagged if isinstance(given.get(key), int)]
            if ratings:
                shares.append(sum(ratings) >= APPLYING_RATING * len(ratings))
    return EvaluationSummary(
        results=results,
        satisfaction=satisfaction,
        satisfaction_withheld=bool(reaction and reaction.withheld),
        applying_share=100 * sum(shares) / len(shares) if shares else None,
        applying_answers=len(shares),
    )


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
