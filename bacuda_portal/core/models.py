"""What every app shares: timestamps, the audit log, the workers' heartbeats, and the data-protection requests
(erasure, personal data export) that span every app."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .uploads import get_private_storage


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One thing someone did: a state change, an export, a view of personal data. Never edited, except that
    erasing a person replaces their name and address in ``target_repr`` and ``data`` (``audit_pseudonymise``):
    the event itself (action, time, actor, target type and id) stays."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("target type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of a Celery worker (or of beat), written by the process itself."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("Worker")
        BEAT = "beat", _("Beat scheduler")

    hostname = models.CharField(_("host name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WORKER)
    queues = models.JSONField(_("queues"), default=list, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"))
    last_seen_at = models.DateTimeField(_("last seen"), db_index=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["kind", "hostname"]

    def __str__(self) -> str:
        return self.hostname


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Carried out")


class ErasureRequest(TimeStampedModel):
    """A person's request to erase what the portal holds on them; staff carry it out.

    ``categories`` lists the kinds of personal data it covers (keys of ``core.privacy``); empty means everything,
    the user account included. ``outcome`` records how many rows of each kind were erased or held, never names.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="erasure_requests",
    )
    reference = models.CharField(_("reference"), max_length=200, help_text=_("Who asked, kept after erasure."))
    categories = models.JSONField(_("kinds of data"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ErasureStatus.choices, default=ErasureStatus.PENDING, db_index=True
    )
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def covers_everything(self) -> bool:
        return not self.categories


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    BUILDING = "building", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


ACTIVE_EXPORT_STATUSES = (ExportStatus.QUEUED, ExportStatus.BUILDING)


class BackgroundWork(models.Model):
    """What every background row records of its work, whatever its status enum."""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True


class PersonalDataExport(BackgroundWork, TimeStampedModel):
    """Everything the portal holds on one person, as a ZIP built by a worker and kept for a few days.

    The row is the truth about the build (status, attempts, error, timings); a sweep re-queues lost builds. Only
    the person themselves may download it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED, db_index=True
    )
    file = models.FileField(_("file"), storage=get_private_storage, upload_to="privacy/exports/", blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status__in=ACTIVE_EXPORT_STATUSES), name="personal_export_one_active"
            )
        ]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in ACTIVE_EXPORT_STATUSES
