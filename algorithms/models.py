"""Algorithms, their model cards and versions; the datasets administrations upload; model jobs and their files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bacuda_portal.core.bilingual import in_reader_language
from bacuda_portal.core.models import BackgroundWork, TimeStampedModel
from bacuda_portal.core.uploads import get_private_storage

from .enums import (
    AlgorithmKind,
    Alias,
    DatasetKind,
    FeedbackKind,
    JobKind,
    JobStatus,
    LabelSource,
    Publication,
    ReviewStatus,
)

# The sections of a model card (Mitchell et al. 2019; the Hugging Face card template), in display order.
CARD_SECTIONS = (
    ("details", _("Model details")),
    ("intended_use", _("Intended use")),
    ("out_of_scope_use", _("Out-of-scope use")),
    ("factors", _("Factors")),
    ("metrics", _("Metrics")),
    ("training_data", _("Training and evaluation data")),
    ("quantitative_analyses", _("Quantitative analyses")),
    ("ethical_considerations", _("Ethical considerations")),
    ("caveats", _("Caveats and recommendations")),
    ("licence", _("Licence")),
    ("citation", _("Citation")),
    ("contact", _("Contact")),
)


def localized(obj, field: str) -> str:
    """The French text of ``field`` when the page is in French and it is filled in, else the English text."""
    return in_reader_language(en=getattr(obj, f"{field}_en", ""), fr=getattr(obj, f"{field}_fr", ""))


class PublicationMixin(models.Model):
    """The publication gate: staff ask, the data owner approves (which publishes)."""

    publication = models.CharField(
        _("publication"), max_length=20, choices=Publication.choices, default=Publication.DRAFT, db_index=True
    )
    approval_requested_at = models.DateTimeField(_("approval requested"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED


class Algorithm(PublicationMixin, TimeStampedModel):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AlgorithmKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    data_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("data owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_algorithms",
        help_text=_("Approves the publication of the card and of its versions."),
    )

    class Meta:
        verbose_name = _("algorithm")
        verbose_name_plural = _("algorithms")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("algorithms:card", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def summary(self) -> str:
        return localized(self, "summary")


class ModelCard(TimeStampedModel):
    """The sections of an algorithm's card, in Markdown (rendered sanitised), English and French."""

    algorithm = models.OneToOneField(
        Algorithm, verbose_name=_("algorithm"), on_delete=models.CASCADE, related_name="card"
    )
    details_en = models.TextField(_("model details (English)"), blank=True)
    details_fr = models.TextField(_("model details (French)"), blank=True)
    intended_use_en = models.TextField(_("intended use (English)"), blank=True)
    intended_use_fr = models.TextField(_("intended use (French)"), blank=True)
    out_of_scope_use_en = models.TextField(_("out-of-scope use (English)"), blank=True)
    out_of_scope_use_fr = models.TextField(_("out-of-scope use (French)"), blank=True)
    factors_en = models.TextField(_("factors (English)"), blank=True)
    factors_fr = models.TextField(_("factors (French)"), blank=True)
    metrics_en = models.TextField(_("metrics (English)"), blank=True)
    metrics_fr = models.TextField(_("metrics (French)"), blank=True)
    training_data_en = models.TextField(_("training and evaluation data (English)"), blank=True)
    training_data_fr = models.TextField(_("training and evaluation data (French)"), blank=True)
    quantitative_analyses_en = models.TextField(_("quantitative analyses (English)"), blank=True)
    quantitative_analyses_fr = models.TextField(_("quantitative analyses (French)"), blank=True)
    ethical_considerations_en = models.TextField(_("ethical considerations (English)"), blank=True)
    ethical_considerations_fr = models.TextField(_("ethical considerations (French)"), blank=True)
    caveats_en = models.TextField(_("caveats and recommendations (English)"), blank=True)
    caveats_fr = models.TextField(_("caveats and recommendations (French)"), blank=True)
    licence_en = models.TextField(_("licence (English)"), blank=True)
    licence_fr = models.TextField(_("licence (French)"), blank=True)
    citation_en = models.TextField(_("citation (English)"), blank=True)
    citation_fr = models.TextField(_("citation (French)"), blank=True)
    contact_en = models.TextField(_("contact (English)"), blank=True)
    contact_fr = models.TextField(_("contact (French)"), blank=True)

    class Meta:
        verbose_name = _("model card")
        verbose_name_plural = _("model cards")

    def __str__(self) -> str:
        return str(self.algorithm)

    def sections(self) -> list[tuple[str, str, str]]:
        """(key, title, Markdown text) of every filled-in section, in the page's language with fallback."""
        result = []
        for key, label in CARD_SECTIONS:
            text = localized(self, key)
            if text.strip():
                result.append((key, label, text))
        return result


class Dataset(TimeStampedModel):
    """A CSV an administration uploaded, accepted by validation. Visible to that administration and staff."""

    administration = models.ForeignKey(
        "members.Administration", verbose_name=_("administration"), on_delete=models.PROTECT, related_name="datasets"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DatasetKind.choices, default=DatasetKind.DECLARATIONS)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), storage=get_private_storage, upload_to="algorithms/datasets/%Y/%m/")
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    date_from = models.DateField(_("first date"), null=True, blank=True)
    date_to = models.DateField(_("last date"), null=True, blank=True)
    has_labels = models.BooleanField(_("has fraud labels"), default=False)
    summary = models.JSONField(
        _("summary"),
        default=dict,
        blank=True,
        help_text=_("Images: the classes, their counts, the picture sizes and the samples of the contact sheet."),
    )
    hs_codes = models.JSONField(
        _("HS codes of the classes"),
        default=dict,
        blank=True,
        help_text=_("Images: an optional HS 2022 subheading for each class (class -> six digits)."),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Of the file as uploaded."))
    # Declarations: how the file's columns were read, what was restored, what was kept beyond the layout.
    column_mapping = models.JSONField(_("column mapping"), default=dict, blank=True)  # field -> the file's column
    tariff_code_column = models.CharField(_("tariff code column"), max_length=200, blank=True)
    code_lengths = models.JSONField(_("tariff code lengths"), default=dict, blank=True)  # "10" -> rows
    restored_codes = models.PositiveIntegerField(
        _("tariff codes restored"),
        default=0,
        help_text=_("Codes whose leading zero, lost in a spreadsheet, was put back."),
    )
    extra_columns = models.JSONField(_("extra columns"), default=dict, blank=True)  # see extra_columns.py
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("algorithms:dataset_detail", kwargs={"pk": self.pk})


class ColumnMapping(TimeStampedModel):
    """How an administration's declarations files name the layout's fields: saved at an upload's mapping step,
    preselected at the next one (see column_mapping.py)."""

    administration = models.ForeignKey(
        "members.Administration",
        verbose_name=_("administration"),
        on_delete=models.CASCADE,
        related_name="column_mappings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DatasetKind.choices, default=DatasetKind.DECLARATIONS)
    mapping = models.JSONField(_("mapping"), default=dict)  # field -> the file's column
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["administration", "kind"], name="algorithms_column_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.administration} – {self.get_kind_display()}"


class ModelJob(BackgroundWork, TimeStampedModel):
    """One run of an engine on a Celery worker. The row is the truth about the job."""

    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    administration = models.ForeignKey(
        "members.Administration", verbose_name=_("administration"), on_delete=models.PROTECT, related_name="model_jobs"
    )
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), null=True, blank=True, on_delete=models.PROTECT, related_name="jobs"
    )
    source_version = models.ForeignKey(
        "AlgorithmVersion",
        verbose_name=_("model used"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scoring_jobs",
        help_text=_("The trained model a scoring job uses."),
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    seed = models.PositiveIntegerField(_("random seed"), default=42)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    log = models.TextField(_("log"), blank=True)
    error = models.TextField(_("failure reason"), blank=True)  # its label on the job pages
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=255, blank=True)
    celery_task_id = models.CharField(_("Celery task id"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("model job")
        verbose_name_plural = _("model jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"]), models.Index(fields=["administration", "status"])]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="algorithms_job_percent_lte_100")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("algorithms:job_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


class JobArtifact(TimeStampedModel):
    """A file a job produced (a model, a CSV, a chart), stored privately with its checksum."""

    job = models.ForeignKey(ModelJob, verbose_name=_("job"), on_delete=models.CASCADE, related_name="artifacts")
    name = models.CharField(_("name"), max_length=50)
    file = models.FileField(_("file"), storage=get_private_storage, upload_to="algorithms/jobs/", max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_directory = models.BooleanField(
        _("directory (stored as ZIP)"), default=False, help_text=_("The engine wrote a directory; it is kept zipped.")
    )

    class Meta:
        verbose_name = _("job artifact")
        verbose_name_plural = _("job artifacts")
        ordering = ["job", "name"]
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="algorithms_artifact_unique_name")]

    def __str__(self) -> str:
        return f"{self.job}: {self.name}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    def get_absolute_url(self) -> str:
        return reverse("algorithms:artifact_download", kwargs={"pk": self.pk})


class AlgorithmVersion(PublicationMixin, TimeStampedModel):
    """A trained model (or a documented release) of an algorithm, with the metrics of the job that made it."""

    algorithm = models.ForeignKey(
        Algorithm, verbose_name=_("algorithm"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    administration = models.ForeignKey(
        "members.Administration",
        verbose_name=_("trained for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The administration whose data trained it; empty for a WCO release."),
    )
    release_notes_en = models.TextField(_("release notes (English)"), blank=True)
    release_notes_fr = models.TextField(_("release notes (French)"), blank=True)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    job = models.OneToOneField(
        ModelJob,
        verbose_name=_("produced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="produced_version",
    )
    model_artifact = models.ForeignKey(
        JobArtifact, verbose_name=_("model file"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("algorithm version")
        verbose_name_plural = _("algorithm versions")
        ordering = ["algorithm", "-number"]
        constraints = [models.UniqueConstraint(fields=["algorithm", "number"], name="algorithms_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.algorithm} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("algorithms:version_detail", kwargs={"pk": self.pk})

    @property
    def release_notes(self) -> str:
        return localized(self, "release_notes")


class VersionAlias(TimeStampedModel):
    """A name (champion, challenger) pointing at one version; one per algorithm and administration."""

    algorithm = models.ForeignKey(
        Algorithm, verbose_name=_("algorithm"), on_delete=models.CASCADE, related_name="aliases"
    )
    administration = models.ForeignKey(
        "members.Administration",
        verbose_name=_("administration"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("alias"), max_length=20, choices=Alias.choices)
    version = models.ForeignKey(
        AlgorithmVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="aliases"
    )

    class Meta:
        verbose_name = _("version alias")
        verbose_name_plural = _("version aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm", "administration", "name"],
                condition=Q(administration__isnull=False),
                name="algorithms_alias_unique_per_administration",
            ),
            models.UniqueConstraint(
                fields=["algorithm", "name"],
                condition=Q(administration__isnull=True),
                name="algorithms_alias_unique_wco",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.algorithm}: {self.name} -> v{self.version.number}"


class HsLabelledDescription(TimeStampedModel):
    """A goods description with the HS6 code a user of the administration confirmed or gave (issue 13).

    Recorded from feedback on an AI-HS suggestion, with what was suggested then and by which model. The
    administration reviews it; only accepted ones are used to train. Visible to that administration and staff.
    """

    administration = models.ForeignKey(
        "members.Administration",
        verbose_name=_("administration"),
        on_delete=models.PROTECT,
        related_name="hs_labelled_descriptions",
    )
    description = models.TextField(_("goods description"), max_length=1000)
    code = models.CharField(_("HS code"), max_length=6)
    source = models.CharField(
        _("source"), max_length=30, choices=LabelSource.choices, default=LabelSource.SUGGESTION_FEEDBACK
    )
    feedback = models.CharField(_("feedback"), max_length=20, choices=FeedbackKind.choices)
    suggestions = models.JSONField(
        _("suggestions at the time"),
        default=list,
        blank=True,
        help_text=_("The codes suggested then, best first, each with its probability."),
    )
    model_version = models.ForeignKey(
        AlgorithmVersion,
        verbose_name=_("model used"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the model built on the HS nomenclature alone."),
    )
    model_name = models.CharField(_("model used (name)"), max_length=200, blank=True)
    status = models.CharField(
        _("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("labelled goods description")
        verbose_name_plural = _("labelled goods descriptions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["administration", "status", "-created_at"], name="algorithms_hslabel_review")]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{6}$"), name="algorithms_hslabel_code_hs6"),
        ]

    def __str__(self) -> str:
        text = self.description if len(self.description) <= 60 else self.description[:59] + "…"
        return f"{self.code}: {text}"
