"""Review of a call's applications: the rubric, the phases, the reviewers, their assignments and scores.

A reviewer is a user with a ``Reviewer`` profile. The profile names the administration the reviewer works for
(if any): automatic and manual assignment never give them an application from that administration. A reviewer
who is also an active contact point is treated as belonging to that administration as well.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.bilingual import bilingual_property
from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.members.models import Administration

from ..enums import SCORE_MAX, SCORE_MIN, Recommendation, ReviewStatus
from .applications import Application
from .programmes import Call


class RubricCriterion(models.Model):
    """One weighted criterion of a call's review rubric."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion (English)"), max_length=200)
    name_fr = models.CharField(_("criterion (French)"), max_length=200, blank=True)
    description = models.TextField(_("description (English)"), blank=True, help_text=_("What reviewers look for."))
    description_fr = models.TextField(_("description (French)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["call", "order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive")]

    localized_name = bilingual_property("name", "name_fr")
    localized_description = bilingual_property("description", "description_fr")

    def __str__(self) -> str:
        return f"{self.localized_name} (×{self.weight})"


class ReviewPhaseQuerySet(models.QuerySet):
    def open(self, now=None) -> "ReviewPhaseQuerySet":
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class ReviewPhase(models.Model):
    """A period in which reviewers may score; outside every phase of its call, reviews are refused."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="review_phases")
    name = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))

    objects = ReviewPhaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("review phase")
        verbose_name_plural = _("review phases")
        ordering = ["call", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="review_phase_closes_after_opening")
        ]

    localized_name = bilingual_property("name", "name_fr")

    def __str__(self) -> str:
        return self.localized_name


class Reviewer(TimeStampedModel):
    """A user who reviews applications, and the administration they work for (never reviewed by them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The administration the reviewer works for: they never review its applicants."),
    )
    calls = models.ManyToManyField(
        Call, verbose_name=_("calls"), blank=True, related_name="reviewers", help_text=_("The calls they review.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["user__email"]

    def __str__(self) -> str:
        return str(self.user)


class Review(TimeStampedModel):
    """One reviewer's assignment to one application, and their scores once submitted."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(Reviewer, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED, db_index=True
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when assigned automatically."),
    )
    recommendation = models.CharField(_("recommendation"), max_length=8, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "pk"]
        indexes = [models.Index(fields=["application", "status"]), models.Index(fields=["reviewer", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_once_per_reviewer"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(weighted_score__isnull=False, submitted_at__isnull=False),
                name="review_submitted_has_score",
            ),
            models.CheckConstraint(
                condition=~Q(status="conflict") | Q(weighted_score__isnull=True), name="review_conflict_has_no_score"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application_id}"

    def get_absolute_url(self) -> str:
        return reverse("scholarships:review_form", kwargs={"pk": self.pk})


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.criterion_id}: {self.score}"


class ConflictOfInterest(models.Model):
    """A reviewer's declared conflict with an application: they never see it again nor score it."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["reviewer", "application"], name="conflict_once")]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.application_id}"
