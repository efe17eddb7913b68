"""Every write of the evaluations app: the question bank, questionnaires, and participants' answers.

One function each, validated, in a transaction, audited. The anonymity rules of ``models`` are kept here: an
anonymous response never gets a nomination, its draft is found by ``_draft_key`` only, and its submission writes
a receipt that names the participant but not the response.
"""

import calendar
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bacuda_portal.core.exceptions import TransitionError
from bacuda_portal.core.services import audit_record
from bacuda_portal.members.models import User

from ..enums import NominationStatus
from ..models import Nomination, Workshop
from .enums import (
    CHOICE_KINDS,
    KNOWLEDGE_KINDS,
    RATING_VALUES,
    QuestionKind,
    QuestionnaireKind,
    QuestionnaireStatus,
    ResponseStatus,
)
from .models import AnswerReceipt, Question, Questionnaire, QuestionnaireItem, QuestionOption, Response

MAX_TEXT_ANSWER = 5000


class AlreadyAnswered(TransitionError):
    """The participant has already submitted this questionnaire."""


@dataclass(frozen=True)
class OptionInput:
    text_en: str
    text_fr: str = ""
    is_correct: bool = False


# --- The question bank ---------------------------------------------------------------------------------
def _check_question(
    *, kind: str, points: int, options: Sequence[OptionInput], measures_application: bool = False
) -> None:
    errors: dict[str, list[str]] = {}
    if measures_application and kind != QuestionKind.RATING:
        errors.setdefault("measures_application", []).append(
            _("Only a rating question can measure whether the learning is applied.")
        )
    if kind in CHOICE_KINDS:
        if len(options) < 2:
            errors.setdefault("options", []).append(_("A choice question needs at least two options."))
        if any(not option.text_en.strip() for option in options):
            errors.setdefault("options", []).append(_("Every option needs an English text."))
        correct = sum(option.is_correct for option in options)
        if points and not correct:
            errors.setdefault("options", []).append(_("A scored question needs at least one correct option."))
        if points and kind == QuestionKind.SINGLE and correct > 1:
            errors.setdefault("options", []).append(_("A single-choice question has exactly one correct option."))
        if not points and correct:
            errors.setdefault("points", []).append(
                _("Only scored questions have correct options: give the question points or unmark the options.")
            )
    else:
        if options:
            errors.setdefault("options", []).append(_("Only choice questions have options."))
        if points:
            errors.setdefault("points", []).append(_("Only choice questions can be scored."))
    if errors:
        raise ValidationError(errors)


def _question_in_use(question: Question) -> bool:
    """Someone has started answering a questionnaire that asks it: its meaning is fixed from then on."""
    return Response.objects.filter(questionnaire__items__question=question).exists()


@transaction.atomic
def question_create(
    *,
    by: User,
    text_en: str,
    kind: str,
    text_fr: str = "",
    points: int = 0,
    options: Sequence[OptionInput] = (),
    low_label_en: str = "",
    low_label_fr: str = "",
    high_label_en: str = "",
    high_label_fr: str = "",
    is_active: bool = True,
    measures_application: bool = False,
) -> Question:
    """Add a question to the bank. Side effects: its options; audit record."""
    _check_question(kind=kind, points=points, options=options, measures_application=measures_application)
    question = Question(
        text_en=text_en,
        text_fr=text_fr,
        kind=kind,
        points=points,
        low_label_en=low_label_en,
        low_label_fr=low_label_fr,
        high_label_en=high_label_en,
        high_label_fr=high_label_fr,
        is_active=is_active,
        measures_application=measures_application,
        created_by=by,
    )
    question.full_clean()
    question.save()
    _write_options(question, options)
    audit_record(actor=by, action="evaluations.question.created", target=question)
    return question


def _write_options(question: Question, options: Sequence[OptionInput]) -> None:
    question.options.all().delete()
    for position, option in enumerate(options, start=1):
        row = QuestionOption(
            question=question,
            position=position,
            text_en=option.text_en.strip(),
            text_fr=option.text_fr.strip(),
            is_correct=option.is_correct,
        )
        row.full_clean(exclude=["question"])
        row.save()


@transaction.atomic
def question_update(*, question: Question, by: User, options: Sequence[OptionInput], **changes: Any) -> Question:
    """Change a bank question.

    Once anyone has started answering a questionnaire that asks it, only its wording may change (texts, option
    texts and scale labels): its type, points, number of options and correct answers are fixed, so that answers
    already given keep their meaning. Side effects: audit record naming the changed fields.
    """
    allowed = {
        "text_en",
        "text_fr",
        "kind",
        "points",
        "low_label_en",
        "low_label_fr",
        "high_label_en",
        "high_label_fr",
        "is_active",
        "measures_application",
    }
    if set(changes) - allowed:
        raise TypeError(f"question_update cannot change {', '.join(sorted(set(changes) - allowed))}")
    kind = changes.get("kind", question.kind)
    points = changes.get("points", question.points)
    measures_application = changes.get("measures_application", question.measures_application)
    _check_question(kind=kind, points=points, options=options, measures_application=measures_application)
    current = list(question.options.all())
    if _question_in_use(question):
        same_shape = (
            kind == question.kind
            and points == question.points
            and measures_application == question.measures_application
            and len(options) == len(current)
            and all(new.is_correct == old.is_correct for new, old in zip(options, current, strict=True))
        )
        if not same_shape:
            raise ValidationError(
                _(
                    "Participants have already answered this question: only its wording can change now, not its "
                    "type, points, options or correct answers. Create a new question instead."
                )
            )
    changed = sorted(field for field, value in changes.items() if getattr(question, field) != value)
    for field, value in changes.items():
        setattr(question, field, value)
    question.full_clean()
    question.save()
    old_options = [(o.text_en, o.text_fr, o.is_correct) for o in current]
    new_options = [(o.text_en.strip(), o.text_fr.strip(), o.is_correct) for o in options]
    if old_options != new_options:
        changed.append("options")
        if len(options) == len(current):
            for row, option in zip(current, options, strict=True):  # keep the ids that answers refer to
                row.text_en, row.text_fr, row.is_correct = (
                    option.text_en.strip(),
                    option.text_fr.strip(),
                    option.is_correct,
                )
                row.full_clean(exclude=["question"])
                row.save()
        else:
            _write_options(question, options)
    audit_record(actor=by, action="evaluations.question.changed", target=question, fields=changed)
    return question


# --- Questionnaires ------------------------------------------------------------------------------------
def _check_items(kind: str, questions: Sequence[Question]) -> None:
    if len({question.pk for question in questions}) != len(questions):
        raise ValidationError({"questions": _("A question can appear only once in a questionnaire.")})
    if kind in KNOWLEDGE_KINDS:
        unscored = [question for question in questions if not question.is_scored]
        if unscored:
            raise ValidationError(
                {
                    "questions": _("A knowledge test asks scored questions only; these are not scored: %(list)s")
                    % {"list": "; ".join(str(question) for question in unscored)}
                }
            )


def _write_items(questionnaire: Questionnaire, items: Sequence[tuple[Question, bool]]) -> None:
    questionnaire.items.all().delete()
    QuestionnaireItem.objects.bulk_create(
        QuestionnaireItem(questionnaire=questionnaire, question=question, position=position, required=required)
        for position, (question, required) in enumerate(items, start=1)
    )


def _sibling(questionnaire: Questionnaire, kind: str) -> Questionnaire | None:
    return Questionnaire.objects.filter(workshop_id=questionnaire.workshop_id, kind=kind).first()


@transaction.atomic
def questionnaire_create(
    *,
    workshop: Workshop,
    kind: str,
    by: User,
    questions: Sequence[Question] = (),
    anonymous: bool | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    follow_up_months: int = 3,
) -> Questionnaire:
    """Create one of a workshop's questionnaires, asking ``questions`` in that order (all required).

    The reaction survey is anonymous unless told otherwise; the knowledge tests are never anonymous (the gain is
    per participant) and ask scored questions only. The post-test is made from the pre-test: it asks exactly the
    pre-test's questions, so ``questions`` is ignored for it. Side effects: its items; audit record.
    """
    if Questionnaire.objects.filter(workshop=workshop, kind=kind).exists():
        raise ValidationError(
            {
                "kind": _("This workshop already has a questionnaire of this kind: %(kind)s.")
                % {"kind": QuestionnaireKind(kind).label}
            }
        )
    if anonymous is None:
        anonymous = kind == QuestionnaireKind.REACTION
    if anonymous and kind in KNOWLEDGE_KINDS:
        raise ValidationError(
            {"anonymous": _("Knowledge tests are named: the knowledge gain is measured for each participant.")}
        )
    items: list[tuple[Question, bool]]
    if kind == QuestionnaireKind.POST_TEST:
        pre_test = Questionnaire.objects.filter(workshop=workshop, kind=QuestionnaireKind.PRE_TEST).first()
        if pre_test is None:
            raise ValidationError(
                {"kind": _("Create the knowledge pre-test first: the post-test asks the same questions.")}
            )
        items = [(item.question, item.required) for item in pre_test.items.select_related("question")]
    else:
        questions = list(questions)
        _check_items(kind, questions)
        items = [(question, True) for question in questions]
    if not items:
        raise ValidationError({"questions": _("Choose at least one question from the bank.")})
    questionnaire = Questionnaire(
        workshop=workshop,
        kind=kind,
        anonymous=anonymous,
        opens_at=opens_at,
        closes_at=closes_at,
        follow_up_months=follow_up_months,
        created_by=by,
    )
    questionnaire.full_clean()
    questionnaire.save()
    _write_items(questionnaire, items)
    audit_record(
        actor=by,
        action="evaluations.questionnaire.created",
        target=questionnaire,
        questions=[question.pk for question, _required in items],
    )
    return questionnaire


@transaction.atomic
def questionnaire_set_items(
    *, questionnaire: Questionnaire, by: User, items: Sequence[tuple[Question, bool]]
) -> Questionnaire:
    """Choose, order and mark as required the questions of a questionnaire, before anyone answers it.

    The post-test follows the pre-test: its questions change with the pre-test's, never on their own.
    Side effects: the post-test's items when the pre-test's change; audit record.
    """
    if questionnaire.kind == QuestionnaireKind.POST_TEST:
        raise TransitionError(_("The post-test asks the pre-test's questions: change the pre-test instead."))
    affected = [questionnaire]
    if questionnaire.kind == QuestionnaireKind.PRE_TEST and (post := _sibling(questionnaire, "post_test")):
        affected.append(post)
    if Response.objects.filter(questionnaire__in=affected).exists():
        raise TransitionError(_("Participants have started answering: the questions can no longer change."))
    items = list(items)
    _check_items(questionnaire.kind, [question for question, _required in items])
    if not items:
        raise ValidationError({"questions": _("Choose at least one question from the bank.")})
    for target in affected:
        _write_items(target, items)
    audit_record(
        actor=by,
        action="evaluations.questionnaire.items_changed",
        target=questionnaire,
        questions=[question.pk for question, _required in items],
    )
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    by: User,
    anonymous: bool,
    opens_at: datetime | None,
    closes_at: datetime | None,
    follow_up_months: int,
) -> Questionnaire:
    """Change a questionnaire's dates, anonymity or follow-up delay.

    Anonymity is fixed once anyone has started answering (answers given under one promise stay under it).
    Side effects: audit record naming the changed fields.
    """
    if anonymous and questionnaire.kind in KNOWLEDGE_KINDS:
        raise ValidationError(
            {"anonymous": _("Knowledge tests are named: the knowledge gain is measured for each participant.")}
        )
    if anonymous != questionnaire.anonymous and questionnaire.responses.exists():
        raise ValidationError(
            {"anonymous": _("Participants have started answering: whether it is anonymous can no longer change.")}
        )
    changes = {
        "anonymous": anonymous,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "follow_up_months": follow_up_months,
    }
    changed = sorted(field for field, value in changes.items() if getattr(questionnaire, field) != value)
    for field, value in changes.items():
        setattr(questionnaire, field, value)
    questionnaire.full_clean()
    questionnaire.save()
    audit_record(actor=by, action="evaluations.questionnaire.changed", target=questionnaire, fields=changed)
    return questionnaire


@transaction.atomic
def questionnaire_open(*, questionnaire: Questionnaire, by: User) -> Questionnaire:
    """Being prepared or closed -> open: participants may answer from ``opens_at`` (now when empty).

    Side effects: audit record.
    """
    if questionnaire.status == QuestionnaireStatus.OPEN:
        raise TransitionError(_("This questionnaire is already open."))
    if not questionnaire.items.exists():
        raise TransitionError(_("Add at least one question before opening the questionnaire."))
    now = timezone.now()
    if questionnaire.closes_at and questionnaire.closes_at <= now:
        raise TransitionError(_("Its closing time has passed: set a later one (or none) before opening it."))
    questionnaire.status = QuestionnaireStatus.OPEN
    questionnaire.opens_at = questionnaire.opens_at or now
    questionnaire.save(update_fields=["status", "opens_at", "updated_at"])
    audit_record(actor=by, action="evaluations.questionnaire.opened", target=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_close(*, questionnaire: Questionnaire, by: User) -> Questionnaire:
    """Open -> closed: no more answers; drafts stay unsubmitted. Side effects: audit record."""
    if questionnaire.status != QuestionnaireStatus.OPEN:
        raise TransitionError(_("Only an open questionnaire can be closed."))
    now = timezone.now()
    questionnaire.status = QuestionnaireStatus.CLOSED
    if questionnaire.closes_at is None or questionnaire.closes_at > now:
        questionnaire.closes_at = now
    if questionnaire.opens_at and questionnaire.opens_at >= questionnaire.closes_at:
        questionnaire.opens_at = None  # closed before its planned opening: it never opened
    questionnaire.save(update_fields=["status", "opens_at", "closes_at", "updated_at"])
    audit_record(actor=by, action="evaluations.questionnaire.closed", target=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaires_copy(*, source: Workshop, workshop: Workshop, by: User) -> list[Questionnaire]:
    """Copy another workshop's questionnaires (questions, order, anonymity, follow-up delay) into ``workshop``.

    Kinds the workshop already has are left alone; the copies are being prepared, without dates. Side effects:
    audit record. Raises ValidationError when there is nothing to copy.
    """
    if source.pk == workshop.pk:
        raise ValidationError({"source": _("Choose another workshop to copy from.")})
    existing = set(Questionnaire.objects.filter(workshop=workshop).values_list("kind", flat=True))
    originals = [
        original
        for original in Questionnaire.objects.filter(workshop=source).prefetch_related("items__question")
        if original.kind not in existing
    ]
    if not originals:
        raise ValidationError({"source": _("That workshop has no questionnaire that this one does not already have.")})
    # The pre-test before the post-test, whatever order they come in.
    order = list(QuestionnaireKind.values)
    copies = []
    for original in sorted(originals, key=lambda q: order.index(q.kind)):
        copy = Questionnaire(
            workshop=workshop,
            kind=original.kind,
            anonymous=original.anonymous,
            follow_up_months=original.follow_up_months,
            created_by=by,
        )
        copy.full_clean()
        copy.save()
        if original.kind == QuestionnaireKind.POST_TEST and (pre := _sibling(copy, QuestionnaireKind.PRE_TEST)):
            items = [(item.question, item.required) for item in pre.items.select_related("question")]
        else:
            items = [(item.question, item.required) for item in original.items.all()]
        _write_items(copy, items)
        copies.append(copy)
    audit_record(
        actor=by,
        action="evaluations.questionnaires.copied",
        target=workshop,
        source=source.pk,
        kinds=[copy.kind for copy in copies],
    )
    return copies


# --- The follow-up survey, months after delivery ------------------------------------------------------
def _months_after(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def default_follow_up_questions() -> list[Question]:
    """The default follow-up template: the bank's active questions that measure whether the learning is applied,
    in the bank's order."""
    return list(Question.objects.filter(is_active=True, measures_application=True).order_by("text_en", "pk"))


@transaction.atomic
def follow_up_schedule(*, workshop: Workshop, by: User | None) -> Questionnaire | None:
    """Schedule the workshop's follow-up survey ``follow_up_months`` after its last day (3 unless staff chose
    otherwise), when the workshop is delivered. Idempotent: a second call changes nothing.

    The staff's choice is the follow-up questionnaire they prepared for the workshop (its questions and its delay);
    without one, a follow-up is made from the default template (``default_follow_up_questions``). It opens at the
    start of that day in the workshop's time zone; participants are reminded by the notification workers once it has
    opened. Side effects: the questionnaire created and/or opened; audit record. Returns it, or None when there
    is nothing to send (no prepared follow-up and an empty default template).
    """
    questionnaire = (
        Questionnaire.objects.select_for_update().filter(workshop=workshop, kind=QuestionnaireKind.FOLLOW_UP).first()
    )
    if questionnaire is not None and (questionnaire.status != QuestionnaireStatus.DRAFT or questionnaire.opens_at):
        return questionnaire  # already scheduled, opened or closed by staff: theirs to manage
    if questionnaire is None:
        questions = default_follow_up_questions()
        if not questions:
            return None
        questionnaire = Questionnaire(
            workshop=workshop, kind=QuestionnaireKind.FOLLOW_UP, anonymous=False, created_by=by
        )
        questionnaire.full_clean()
        questionnaire.save()
        _write_items(questionnaire, [(question, True) for question in questions])
    elif not questionnaire.items.exists():
        return None
    day = _months_after(workshop.end_date, questionnaire.follow_up_months)
    questionnaire.opens_at = datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(workshop.time_zone or "UTC"))
    if questionnaire.closes_at and questionnaire.closes_at <= questionnaire.opens_at:
        questionnaire.closes_at = None
    questionnaire.status = QuestionnaireStatus.OPEN
    questionnaire.save(update_fields=["opens_at", "closes_at", "status", "updated_at"])
    audit_record(
        actor=by,
        action="evaluations.follow_up.scheduled",
        target=questionnaire,
        opens_on=day.isoformat(),
        months=questionnaire.follow_up_months,
    )
    return questionnaire


# --- Answers -------------------------------------------------------------------------------------------
def draft_key(questionnaire: Questionnaire, nomination: Nomination) -> str:
    """The key of an anonymous draft: recomputable by the server only, erased on submission."""
    message = f"evaluations.draft:{questionnaire.pk}:{nomination.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def is_accepting_answers(questionnaire: Questionnaire, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        questionnaire.status == QuestionnaireStatus.OPEN
        and (questionnaire.opens_at is None or questionnaire.opens_at <= now)
        and (questionnaire.closes_at is None or questionnaire.closes_at > now)
    )


def has_answered(questionnaire: Questionnaire, nomination: Nomination) -> bool:
    return AnswerReceipt.objects.filter(questionnaire=questionnaire, nomination=nomination).exists()


def find_draft(questionnaire: Questionnaire, nomination: Nomination) -> Response | None:
    """The participant's unsubmitted answers, if any (read through the draft key when anonymous)."""
    drafts = Response.objects.filter(questionnaire=questionnaire, status=ResponseStatus.DRAFT)
    if questionnaire.anonymous:
        return drafts.filter(draft_key=draft_key(questionnaire, nomination)).first()
    return drafts.filter(nomination=nomination).first()


def check_may_answer(questionnaire: Questionnaire, nomination: Nomination) -> None:
    """Raise TransitionError saying why this participant cannot answer now, else return."""
    if nomination.workshop_id != questionnaire.workshop_id or nomination.status != NominationStatus.ACCEPTED:
        raise TransitionError(_("Only the workshop's accepted participants answer its questionnaires."))
    if has_answered(questionnaire, nomination):
        raise AlreadyAnswered(_("You have already answered this questionnaire: your answers were recorded. Thank you!"))
    if not is_accepting_answers(questionnaire):
        now = timezone.now()
        if questionnaire.status == QuestionnaireStatus.OPEN and questionnaire.opens_at and questionnaire.opens_at > now:
            raise TransitionError(_("This questionnaire is not open yet."))
        if questionnaire.status == QuestionnaireStatus.DRAFT:
            raise TransitionError(_("This questionnaire is not open yet."))
        raise TransitionError(_("This questionnaire is closed: answers are no longer accepted."))


def _items(questionnaire: Questionnaire) -> list[QuestionnaireItem]:
    return list(questionnaire.items.select_related("question").prefetch_related("question__options"))


def clean_answers(
    items: Iterable[QuestionnaireItem], answers: dict[str, Any], *, complete: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check answers against the questions: ``(valid answers, {question id: error})``.

    Answers are keyed by the question's id (text). Empty answers are left out; with ``complete``, a required
    question left out is an error. Answers to questions the questionnaire does not ask are dropped.
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in items:
        question = item.question
        key = str(question.pk)
        value = answers.get(key)
        if value in (None, "", []):
            if complete and item.required:
                errors[key] = _("Please answer this question.")
            continue
        option_ids = {option.pk for option in question.options.all()}
        if question.kind == QuestionKind.RATING:
            try:
                rating = int(value)
            except (TypeError, ValueError):
                rating = None
            if rating not in RATING_VALUES:
                errors[key] = _("Choose a rating from 1 to 5.")
                continue
            cleaned[key] = rating
        elif question.kind == QuestionKind.SINGLE:
            try:
                chosen = int(value)
            except (TypeError, ValueError):
                chosen = None
            if chosen not in option_ids:
                errors[key] = _("Choose one of the options.")
                continue
            cleaned[key] = chosen
        elif question.kind == QuestionKind.MULTIPLE:
            values = value if isinstance(value, list | tuple) else [value]
            try:
                chosen_ids = sorted({int(v) for v in values})
            except (TypeError, ValueError):
                chosen_ids = [-1]
            if not set(chosen_ids) <= option_ids:
                errors[key] = _("Choose among the options shown.")
                continue
            cleaned[key] = chosen_ids
        else:
            text = str(value).strip()
            if len(text) > MAX_TEXT_ANSWER:
                errors[key] = _("Please keep your answer under %(limit)d characters.") % {"limit": MAX_TEXT_ANSWER}
                continue
            if text:
                cleaned[key] = text
            elif complete and item.required:
                errors[key] = _("Please answer this question.")
    return cleaned, errors


def score_answers(items: Iterable[QuestionnaireItem], answers: dict[str, Any]) -> tuple[int, int]:
    """``(score, maximum)`` of a knowledge test's answers.

    A single-choice question earns its points when the correct option is chosen; a multiple-choice question when
    exactly the correct options are chosen (no partial credit).
    """
    score = maximum = 0
    for item in items:
        question = item.question
        if not question.is_scored:
            continue
        maximum += question.points
        correct = sorted(option.pk for option in question.options.all() if option.is_correct)
        answer = answers.get(str(question.pk))
        chosen = sorted(answer) if isinstance(answer, list) else [answer]
        if chosen == correct:
            score += question.points
    return score, maximum


def _error_dict(errors: dict[str, str]) -> ValidationError:
    return ValidationError({f"q{key}": [message] for key, message in errors.items()})


def _write_draft(questionnaire: Questionnaire, nomination: Nomination, answers: dict[str, Any]) -> Response:
    response = find_draft(questionnaire, nomination)
    if response is None:
        response = Response(questionnaire=questionnaire)
        if questionnaire.anonymous:
            response.draft_key = draft_key(questionnaire, nomination)
        else:
            response.nomination = nomination
    response.answers = answers
    response.save()
    return response


@transaction.atomic
def save_draft(*, nomination: Nomination, questionnaire: Questionnaire, answers: dict[str, Any]) -> Response:
    """Keep a participant's answers so far, unsubmitted. Invalid answers are refused (ValidationError keyed
    ``q<question id>``) and nothing is saved; missing ones are fine. Not audited: a draft is the participant's."""
    check_may_answer(questionnaire, nomination)
    cleaned, errors = clean_answers(_items(questionnaire), answers, complete=False)
    if errors:
        raise _error_dict(errors)
    return _write_draft(questionnaire, nomination, cleaned)


def submit(*, nomination: Nomination, questionnaire: Questionnaire, answers: dict[str, Any]) -> Response:
    """Submit a participant's answers, once.

    A second submission raises ``AlreadyAnswered``. Answers that are missing (required) or invalid raise a
    ValidationError keyed ``q<question id>``, and the valid ones are kept as a draft, so nothing typed is lost.
    Side effects: the knowledge tests' score; the receipt (who has answered, not what); for an anonymous
    questionnaire the draft key is erased and no nomination is stored; audit record (naming the participant for
    named questionnaires only).
    """
    check_may_answer(questionnaire, nomination)
    items = _items(questionnaire)
    cleaned, errors = clean_answers(items, answers, complete=True)
    if errors:
        valid, _invalid = clean_answers(items, answers, complete=False)
        with transaction.atomic():
            _write_draft(questionnaire, nomination, valid)
        raise _error_dict(errors)
    try:
        with transaction.atomic():
            response = _write_draft(questionnaire, nomination, cleaned)
            response.status = ResponseStatus.SUBMITTED
            response.draft_key = None
            response.submitted_on = timezone.localdate()
            if questionnaire.kind in KNOWLEDGE_KINDS:
                response.score, response.max_score = score_answers(items, cleaned)
            response.save()
            AnswerReceipt.objects.create(questionnaire=questionnaire, nomination=nomination)
            if questionnaire.anonymous:
                audit_record(actor=None, action="evaluations.answers.submitted", target=questionnaire, anonymous=True)
            else:
                audit_record(
                    actor=None, action="evaluations.answers.submitted", target=questionnaire, nomination=nomination.pk
                )
    except IntegrityError as error:  # a second submission racing the first
        raise AlreadyAnswered(
            _("You have already answered this questionnaire: your answers were recorded. Thank you!")
        ) from error
    return response
