from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.bilingual import ChosenWhenRendered, bilingual_property
from bacuda_portal.core.choices import ChoiceLabelsMixin
from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.members.models import Administration, Region

from ..enums import WorkingLanguage, WorkshopKind, WorkshopStatus


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone (for example Africa/Nairobi)."), params={"value": value}
        )


def validate_languages(value) -> None:
    allowed = set(WorkingLanguage.values)
    if not isinstance(value, list) or not value or any(code not in allowed for code in value):
        raise ValidationError(_("Choose at least one working language."))


class Workshop(ChoiceLabelsMixin, TimeStampedModel):
    """A BACUDA training course: national, regional, online or blended, with its state flow."""

    title = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=WorkshopKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNED, db_index=True
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="workshops"
    )
    beneficiaries = models.ManyToManyField(
        Administration, through="Beneficiary", verbose_name=_("beneficiary administrations"), related_name="workshops"
    )
    host_city = models.CharField(_("host city"), max_length=120, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    languages = models.JSONField(_("working languages"), default=list, validators=[validate_languages])
    seats = models.PositiveSmallIntegerField(_("seats"))
    clikc_workspace_url = models.URLField(_("CLiKC! workspace"), blank=True)
    # Moodle's names for the CLiKC! course and group the participants are enrolled in (the user-upload CSV).
    clikc_course_short_name = models.CharField(_("CLiKC! course short name"), max_length=255, blank=True)
    clikc_group_name = models.CharField(_("CLiKC! group"), max_length=254, blank=True)
    mission_reference = models.CharField(_("WCO mission reference"), max_length=60, blank=True)
    prerequisite_course = models.ForeignKey(
        "elearning.Course",
        verbose_name=_("e-learning course to finish first"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops_requiring",
    )
    is_public = models.BooleanField(_("shown in the public calendar"), default=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic locking: every update must name the version it started from (see services.workshop_update).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="workshop_dates_ordered"),
        ]
        indexes = [models.Index(fields=["status", "start_date"])]

    # ``title`` and ``description`` are the English fields (they kept their names when French was added).
    localized_title = bilingual_property("title", "title_fr")
    localized_description = bilingual_property("description", "description_fr")

    @property
    def title_for_emails(self) -> ChosenWhenRendered:
        """The title for an e-mail context: chosen in the recipient's language when the message is rendered."""
        return ChosenWhenRendered(en=self.title, fr=self.title_fr)

    def __str__(self) -> str:
        return self.localized_title

    @property
    def language_names(self) -> str:
        """The working languages by name, in the reader's language ("English, French")."""
        names = dict(WorkingLanguage.choices)
        return ", ".join(str(names.get(code, code)) for code in self.languages or [])

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def day_count(self) -> int:
        return (self.end_date - self.start_date).days + 1


class Beneficiary(models.Model):
    """An administration a workshop is for, with its nomination quota."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="beneficiary_links")
    administration = models.ForeignKey(
        Administration, verbose_name=_("administration"), on_delete=models.PROTECT, related_name="+"
    )
    quota = models.PositiveSmallIntegerField(_("nomination quota"), default=5)

    class Meta:
        verbose_name = _("beneficiary administration")
        verbose_name_plural = _("beneficiary administrations")
        ordering = ["administration__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "administration"], name="beneficiary_unique_per_workshop")
        ]

    def __str__(self) -> str:
        return f"{self.administration} ({self.quota})"


class Session(models.Model):
    """One item of a workshop's agenda."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    topic = models.CharField(_("topic (English)"), max_length=200)
    topic_fr = models.CharField(_("topic (French)"), max_length=200, blank=True)
    trainer = models.ForeignKey(
        "experts.Expert",
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time"]
        constraints = [models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="session_times_ordered")]

    localized_topic = bilingual_property("topic", "topic_fr")

    def __str__(self) -> str:
        return f"{self.date} {self.start_time:%H:%M} {self.topic}"
