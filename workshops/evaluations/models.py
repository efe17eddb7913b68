"""Workshop evaluations: a question bank, questionnaires per workshop, and the participants' answers.

Anonymous questionnaires (the reaction survey by default)
--------------------------------------------------------
Staff must never see who answered what, yet each participant answers once. Two tables that cannot be joined:

* ``AnswerReceipt`` (nomination, questionnaire) says *that* a participant has submitted. It has no link to the
  answers, no time stamp and a random primary key, so that neither a foreign key nor an order of insertion pairs a
  receipt with a response.
* ``Response`` holds the answers. For an anonymous questionnaire its ``nomination`` is always empty (the services
  never set it, tests check it), its primary key is random, and it keeps the submission *date* only, never a time.
  A draft of an anonymous questionnaire is found again through ``draft_key``: an HMAC of (questionnaire,
  nomination) under the server's secret, which no page shows and which is erased when the draft is submitted.
  After submission nothing in the response points back to a person.

What this does not protect against: someone with raw database access *and* the server's secret can recompute a
draft's key while it is a draft; someone reading the database's physical row order may guess. The staff pages,
the CSV exports and the admin show neither.

Named questionnaires (the knowledge tests, and the others when staff untick "anonymous") keep the nomination on
the response, so that staff can follow each participant's knowledge gain.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.bilingual import in_reader_language
from bacuda_portal.core.choices import ChoiceLabelsMixin
from bacuda_portal.core.models import TimeStampedModel

from ..models import Nomination, Workshop
from .enums import CHOICE_KINDS, QuestionKind, QuestionnaireKind, QuestionnaireStatus, ResponseStatus


def _in_language(english: str, french: str) -> str:
    """The French text on French pages when there is one, else the English (marked as a fallback)."""
    return in_reader_language(en=english, fr=french)


class Question(ChoiceLabelsMixin, TimeStampedModel):
    """A reusable question of the bank, in English and French."""

    text_en = models.CharField(_("question (English)"), max_length=500)
    text_fr = models.CharField(_("question (French)"), max_length=500, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    points = models.PositiveSmallIntegerField(
        _("points"),
        default=0,
        help_text=_("Points for a correct answer. Above 0, the question is scored and may be used in knowledge tests."),
    )
    low_label_en = models.CharField(_("label of 1 (English)"), max_length=60, blank=True)
    low_label_fr = models.CharField(_("label of 1 (French)"), max_length=60, blank=True)
    high_label_en = models.CharField(_("label of 5 (English)"), max_length=60, blank=True)
    high_label_fr = models.CharField(_("label of 5 (French)"), max_length=60, blank=True)
    is_active = models.BooleanField(_("offered for new questionnaires"), default=True)
    # Follow-up surveys: the rating that tells whether the participant applies what they learnt (4 or 5: yes).
    measures_application = models.BooleanField(
        _("measures the application of the learning"),
        default=False,
        help_text=_(
            "Rating questions of follow-up surveys: a participant who answers 4 or 5 counts as applying what they "
            "learnt at work (the results framework's indicator)."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("question bank")
        ordering = ["text_en", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points=0) | Q(kind__in=sorted(CHOICE_KINDS)), name="evaluation_question_scored_is_choice"
            ),
            models.CheckConstraint(
                condition=Q(measures_application=False) | Q(kind=QuestionKind.RATING),
                name="evaluation_question_application_is_rating",
            ),
        ]

    def __str__(self) -> str:
        return self.text_en[:80]

    @property
    def text(self) -> str:
        return _in_language(self.text_en, self.text_fr)

    @property
    def is_scored(self) -> bool:
        return self.points > 0

    @property
    def low_label(self) -> str:
        return _in_language(self.low_label_en, self.low_label_fr)

    @property
    def high_label(self) -> str:
        return _in_language(self.high_label_en, self.high_label_fr)


class QuestionOption(models.Model):
    """One answer a choice question offers; scored questions mark the correct one(s)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"))
    text_en = models.CharField(_("option (English)"), max_length=300)
    text_fr = models.CharField(_("option (French)"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct answer"), default=False)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "position"], name="evaluation_option_position_once")]

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return _in_language(self.text_en, self.text_fr)


class Questionnaire(ChoiceLabelsMixin, TimeStampedModel):
    """One of a workshop's evaluations: its reaction survey, knowledge pre- or post-test, or follow-up survey."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionnaireKind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT
    )
    anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Staff see the answers but never who gave them.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    follow_up_months = models.PositiveSmallIntegerField(
        _("months after the workshop"),
        default=3,
        help_text=_("For the follow-up survey: how many months after the workshop it is sent."),
    )
    questions = models.ManyToManyField(Question, through="QuestionnaireItem", related_name="questionnaires")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["workshop", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "kind"], name="evaluation_questionnaire_kind_once"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="evaluation_questionnaire_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_months__gte=1) & Q(follow_up_months__lte=24),
                name="evaluation_follow_up_months_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.workshop}"

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing time must come after the opening time.")})
        if not 1 <= (self.follow_up_months or 0) <= 24:
            raise ValidationError({"follow_up_months": _("Choose between 1 and 24 months.")})


class QuestionnaireItem(models.Model):
    """A bank question in a questionnaire, at a position."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))
    required = models.BooleanField(_("answer required"), default=True)

    class Meta:
        verbose_name = _("questionnaire item")
        verbose_name_plural = _("questionnaire items")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "question"], name="evaluation_item_question_once"),
            models.UniqueConstraint(fields=["questionnaire", "position"], name="evaluation_item_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.question}"


class Response(models.Model):
    """One participant's answers to a questionnaire, as a draft or submitted (see the module's docstring).

    ``answers`` maps a question's id (as text) to the answer: a rating (1-5), an option id, a list of option ids,
    or a text. A knowledge test's ``score`` and ``max_score`` are set on submission.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    # Named questionnaires only: always empty for an anonymous one.
    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluation_responses"
    )
    # Anonymous drafts only: HMAC(questionnaire, nomination); erased on submission.
    draft_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "nomination"],
                condition=Q(nomination__isnull=False),
                name="evaluation_response_once_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(nomination__isnull=True) | Q(draft_key__isnull=True),
                name="evaluation_response_named_or_keyed",
            ),
            models.CheckConstraint(
                condition=~Q(status=ResponseStatus.SUBMITTED) | Q(draft_key__isnull=True),
                name="evaluation_submitted_response_has_no_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} ({self.get_status_display()})"


class AnswerReceipt(models.Model):
    """That a participant has submitted a questionnaire: no link to the response, no time (module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="receipts")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evaluation_receipts")

    class Meta:
        verbose_name = _("answer receipt")
        verbose_name_plural = _("answer receipts")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "nomination"], name="evaluation_receipt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} – {self.questionnaire}"
