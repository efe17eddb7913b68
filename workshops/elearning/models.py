"""E-learning courses under development: vendors, the stage pipeline, milestones and the launch checklist."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.bilingual import bilingual_property
from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.members.enums import STAFF_ROLES

from .enums import CourseLanguage, CourseStage, LaunchCheck
from .validators import validate_clikc_url, validate_course_languages


def _default_languages() -> list[str]:
    return [CourseLanguage.ENGLISH.value]


class Vendor(TimeStampedModel):
    """A company that builds courses for the WCO under contract."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("e-learning vendor")
        verbose_name_plural = _("e-learning vendors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Course(TimeStampedModel):
    """A course developed for CLiKC!. Its stage changes only through the services, which keep the history."""

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Short identifier used in addresses, such as bacuda-ml-101: lower-case letters, digits, hyphens."),
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    languages = models.JSONField(
        _("languages"),
        default=_default_languages,
        validators=[validate_course_languages],
        help_text=_("The languages the course is offered in."),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=CourseStage.choices, default=CourseStage.CONCEPT, db_index=True
    )
    clikc_url = models.URLField(
        _("CLiKC! address"),
        blank=True,
        validators=[validate_clikc_url],
        help_text=_("Required before the course can be published."),
    )
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    experts = models.ManyToManyField(
        "experts.Expert", verbose_name=_("subject-matter experts"), blank=True, related_name="elearning_courses"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        # Nullable so that deleting a former staff member's account never deletes or blocks their courses.
        null=True,
        on_delete=models.SET_NULL,
        related_name="elearning_courses",
        limit_choices_to={"role__in": sorted(STAFF_ROLES)},
    )
    planned_launch_on = models.DateField(_("planned launch"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Increases with every change, to detect concurrent edits.")
    )

    class Meta:
        verbose_name = _("e-learning course")
        verbose_name_plural = _("e-learning courses")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=CourseStage.values), name="course_stage_known"),
            models.CheckConstraint(condition=Q(code__regex=r"^[a-z0-9]+(-[a-z0-9]+)*$"), name="course_code_slug"),
            models.CheckConstraint(
                condition=~Q(stage=CourseStage.PUBLISHED) | ~Q(clikc_url=""), name="course_published_has_clikc_url"
            ),
            models.CheckConstraint(
                condition=Q(stage=CourseStage.PUBLISHED, published_at__isnull=False)
                | (~Q(stage=CourseStage.PUBLISHED) & Q(published_at__isnull=True)),
                name="course_published_at_iff_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("elearning:course_detail", kwargs={"code": self.code})

    def clean(self) -> None:
        super().clean()
        if self.stage == CourseStage.PUBLISHED and not self.clikc_url:
            raise ValidationError({"clikc_url": _("A published course needs its CLiKC! address.")})

    title = bilingual_property("title_en", "title_fr")
    summary = bilingual_property("summary_en", "summary_fr")

    @property
    def language_labels(self) -> list[str]:
        return [CourseLanguage(code).label for code in self.languages if code in CourseLanguage.values]

    @property
    def is_published(self) -> bool:
        return self.stage == CourseStage.PUBLISHED


class StageChange(models.Model):
    """One move of a course in the pipeline (the first one, from nothing to concept, is its creation)."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=CourseStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=CourseStage.choices)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_stage=F("to_stage")), name="stage_change_changes_stage"),
            models.CheckConstraint(condition=Q(to_stage__in=CourseStage.values), name="stage_change_to_known"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code}: {self.from_stage or '–'} → {self.to_stage}"


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, on: date | None = None) -> "MilestoneQuerySet":
        """Not done and due before ``on`` (today by default): due today is not late yet."""
        return self.filter(done_on__isnull=True, due_date__lt=on or timezone.localdate())


class Milestone(TimeStampedModel):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "id"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="milestone_has_title")]

    localized_title = bilingual_property("title", "title_fr")

    def __str__(self) -> str:
        return self.localized_title

    def clean(self) -> None:
        super().clean()
        # A due date may lie before the course was created (a course recorded late); completion cannot lie ahead.
        if self.done_on is not None and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": _("A milestone cannot be marked done on a date in the future.")})

    @property
    def is_overdue(self) -> bool:
        """Computed on every read, never stored: a stored flag would be wrong the morning after."""
        return self.done_on is None and self.due_date < timezone.localdate()


class ChecklistItem(models.Model):
    """One item of a course's launch checklist. Publishing needs every item of the course done."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="checklist")
    key = models.CharField(
        _("standard item"),
        max_length=30,
        choices=LaunchCheck.choices,
        blank=True,
        help_text=_("Set for the items of the default launch checklist; empty for items added to one course."),
    )
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    done = models.BooleanField(_("done"), default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("launch checklist item")
        verbose_name_plural = _("launch checklist items")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], condition=~Q(key=""), name="checklist_item_unique_key"),
            models.CheckConstraint(condition=~Q(label=""), name="checklist_item_has_label"),
            # done_by alone may be empty on a done item: the account of whoever ticked it may have been deleted.
            models.CheckConstraint(
                condition=Q(done=True, done_at__isnull=False)
                | Q(done=False, done_at__isnull=True, done_by__isnull=True),
                name="checklist_item_done_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """Standard items show in the reader's language; items added by hand show as typed."""
        return str(LaunchCheck(self.key).label) if self.key else self.label
