from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ChoiceLabelsMixin
from bacuda_portal.core.models import TimeStampedModel

from ..enums import AssignmentRole, AssignmentStatus
from .workshops import Workshop


class Assignment(ChoiceLabelsMixin, TimeStampedModel):
    """An expert's role in a workshop; deployments are derived from confirmed assignments."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(
        "experts.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=16, choices=AssignmentRole.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The appraisal after the workshop (staff).
    rating = models.PositiveSmallIntegerField(
        _("appraisal rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    appraisal = models.TextField(_("appraisal comments"), blank=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["workshop", "role", "expert__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "expert"], name="assignment_expert_once_per_workshop"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="assignment_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.workshop} ({self.get_role_display()})"
