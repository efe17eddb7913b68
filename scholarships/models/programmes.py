from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.bilingual import ChosenWhenRendered, bilingual_property
from bacuda_portal.core.models import TimeStampedModel
from bacuda_portal.members.models import BilingualNameMixin

from ..enums import CefrLevel, InstructionLanguage


class Programme(BilingualNameMixin, TimeStampedModel):
    """The scholarship programme run with a partner institution; it opens one call per cohort."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    partner_institution = models.CharField(_("partner institution"), max_length=200)
    description = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)

    class Meta:
        verbose_name = _("scholarship programme")
        verbose_name_plural = _("scholarship programmes")
        ordering = ["name_en"]

    localized_description = bilingual_property("description", "description_fr")

    def __str__(self) -> str:
        return self.name


class CallQuerySet(models.QuerySet):
    def open(self, now=None) -> "CallQuerySet":
        """Published calls that take applications right now."""
        now = now or timezone.now()
        return self.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)


class Call(TimeStampedModel):
    """One cohort's call for applications, with its eligibility rules held as data."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="calls"
    )
    cohort_name = models.CharField(_("cohort (English)"), max_length=200)
    cohort_name_fr = models.CharField(_("cohort (French)"), max_length=200, blank=True)
    partner_university = models.CharField(_("partner university"), max_length=200)
    description = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), help_text=_("Applications are refused from this moment on."))
    is_published = models.BooleanField(_("published"), default=False)
    # Eligibility rules.
    min_years_of_service = models.PositiveSmallIntegerField(_("minimum years of service"), default=0)
    instruction_language = models.CharField(
        _("language of instruction"), max_length=2, choices=InstructionLanguage.choices, default="en"
    )
    required_language_level = models.CharField(
        _("required language level"),
        max_length=2,
        choices=CefrLevel.choices,
        blank=True,
        help_text=_("In the language of instruction; leave empty for no requirement."),
    )
    endorsement_required = models.BooleanField(_("endorsement by the administration required"), default=True)
    quota_per_administration = models.PositiveSmallIntegerField(
        _("endorsements per administration"), default=2, help_text=_("How many candidates a contact point may endorse.")
    )
    motivation_min_words = models.PositiveSmallIntegerField(_("motivation: minimum words"), default=200)
    motivation_max_words = models.PositiveSmallIntegerField(_("motivation: maximum words"), default=800)
    retention_days = models.PositiveIntegerField(
        _("retention (days)"),
        default=730,
        help_text=_("After the call closes, personal data of applicants not selected is kept this long."),
    )
    consent_version = models.CharField(
        _("consent text version"), max_length=20, default="1", help_text=_("Change it whenever the text changes.")
    )
    consent_text_en = models.TextField(_("consent text (English)"))
    consent_text_fr = models.TextField(_("consent text (French)"), blank=True)

    # Review and selection.
    reviews_per_application = models.PositiveSmallIntegerField(_("reviews per application"), default=3)
    blind_review = models.BooleanField(
        _("blind review"), default=False, help_text=_("Reviewers do not see names, administration or documents.")
    )
    offer_reply_days = models.PositiveSmallIntegerField(
        _("days to answer an offer"), default=14, help_text=_("A selected candidate accepts or declines within this.")
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(motivation_max_words__gte=F("motivation_min_words")), name="call_word_limits_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.localized_cohort_name}"

    @property
    def name_for_emails(self) -> ChosenWhenRendered:
        """Programme and cohort, chosen in the recipient's language when the e-mail is rendered."""
        programme = self.programme
        return ChosenWhenRendered(
            en=f"{programme.name_en or programme.name_fr} – {self.cohort_name or self.cohort_name_fr}",
            fr=f"{programme.name_fr or programme.name_en} – {self.cohort_name_fr or self.cohort_name}",
        )

    def get_absolute_url(self) -> str:
        return reverse("scholarships:call_detail", kwargs={"pk": self.pk})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    consent_text = bilingual_property("consent_text_en", "consent_text_fr")
    localized_description = bilingual_property("description", "description_fr")
    localized_cohort_name = bilingual_property("cohort_name", "cohort_name_fr")


class CurriculumModule(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("curriculum module")
        verbose_name_plural = _("curriculum modules")
        ordering = ["call", "order", "pk"]

    localized_title = bilingual_property("title", "title_fr")

    def __str__(self) -> str:
        return self.localized_title
