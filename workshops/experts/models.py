"""The experts registry: trainers and resource persons who deliver BACUDA workshops."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.choices import ChoiceLabelsMixin
from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.core.uploads import UploadValidator, get_private_storage
from bacuda_portal.members.models import Administration, BilingualNameMixin

from .enums import AccreditationStatus, LanguageLevel, SpokenLanguage


class ExpertiseArea(BilingualNameMixin, models.Model):
    """Editable reference list of what experts can teach; seeded by a data migration, extended by staff."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)

    class Meta:
        verbose_name = _("expertise area")
        verbose_name_plural = _("expertise areas")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name


class Expert(ChoiceLabelsMixin, TimeStampedModel):
    """A trainer or resource person. The user account is optional: many experts never sign in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"))
    nationality = models.ForeignKey(
        Administration,
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("administration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
        help_text=_("The Customs administration the expert works for, if any."),
    )
    accreditation_status = models.CharField(
        _("accreditation"), max_length=20, choices=AccreditationStatus.choices, default=AccreditationStatus.NONE
    )
    is_active = models.BooleanField(_("active"), default=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    biography = models.TextField(
        _("biography"), blank=True, help_text=_("Current position, experience and the trainings delivered.")
    )
    expertise_areas = models.ManyToManyField(
        ExpertiseArea, verbose_name=_("expertise areas"), blank=True, related_name="experts"
    )
    cv = models.FileField(
        _("CV"),
        upload_to="experts/cv/",
        storage=get_private_storage,
        validators=[UploadValidator()],
        blank=True,
        help_text=_("PDF, at most 10 MB."),
    )

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="expert_email_case_insensitive_unique",
                violation_error_message=_("An expert with this email address is already registered."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("experts:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()


class ExpertLanguage(ChoiceLabelsMixin, models.Model):
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=SpokenLanguage.choices)
    level = models.CharField(_("level"), max_length=6, choices=LanguageLevel.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "language"],
                name="expert_language_unique",
                violation_error_message=_("This language is already listed for the expert."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.level})"


class AccreditationChange(ChoiceLabelsMixin, TimeStampedModel):
    """One step of an expert's accreditation history. Written only by ``services.expert_set_accreditation``."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="accreditation_history"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=AccreditationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=AccreditationStatus.choices)
    on = models.DateField(_("effective on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("accreditation change")
        verbose_name_plural = _("accreditation history")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="accreditation_change_changes_the_status"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert}: {self.get_from_status_display()} → {self.get_to_status_display()} ({self.on})"


class AvailabilityWindow(TimeStampedModel):
    """A period in which the expert can be deployed, both dates included."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="availability_windows"
    )
    start_date = models.DateField(_("available from"))
    end_date = models.DateField(_("available until"))
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("For example: remote only, or not on weekends.")
    )

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="availability_window_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert}: {self.start_date} – {self.end_date}"

    def clean(self) -> None:
        super().clean()
        if self.start_date is None or self.end_date is None:
            return
        if self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        # Search asks whether one window covers a whole period, so overlapping windows would be misleading:
        # the person entering them is asked to combine them instead.
        overlapping = (
            AvailabilityWindow.objects.filter(
                expert_id=self.expert_id, start_date__lte=self.end_date, end_date__gte=self.start_date
            )
            .exclude(pk=self.pk)
            .order_by("start_date")
            .first()
        )
        if self.expert_id and overlapping is not None:
            raise ValidationError(
                _(
                    "This period overlaps the availability from %(start)s to %(end)s. "
                    "Remove that period and add one that covers both."
                )
                % {
                    "start": formats.date_format(overlapping.start_date, "SHORT_DATE_FORMAT"),
                    "end": formats.date_format(overlapping.end_date, "SHORT_DATE_FORMAT"),
                }
            )
