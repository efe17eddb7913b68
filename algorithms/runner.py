"""Runs a model job inside a worker: claims the row, calls the engine, stores what it produced.

The database row is the truth. A job is claimed with a compare-and-set on its status (queued, or running with a
stale heartbeat after its worker died), so a duplicate message never runs a job twice at once. While the engine
runs, a heartbeat thread keeps ``heartbeat_at`` fresh and notices a cancel request; the progress callback writes
percent, stage and log (at most once a second) and raises ``JobCancelled`` or the time-limit error. Each run has
its own working folder, removed afterwards, so jobs on the same dataset never share files.
"""

import hashlib
import logging
import shutil
import tempfile
import threading
import time
import traceback
import zipfile
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import jobs, selectors, simulation
from .engines.base import EngineError, EngineResult, JobCancelled
from .enums import JOB_ALGORITHM, VERSION_PRODUCING_KINDS, AlgorithmKind, Alias, JobKind, JobStatus
from .models import Algorithm, AlgorithmVersion, JobArtifact, ModelJob
from .services import SERVICE_PARAMS, aihs_promotion_decide, next_version_number

logger = logging.getLogger(__name__)
WRITE_INTERVAL = 1.0  # seconds between two progress writes for the same stage


class JobTimeLimit(Exception):
    """The job ran longer than BACUDA_MODEL_JOB_SOFT_TIME_LIMIT."""


class _Superseded(Exception):
    """Another worker took the job over (this one was presumed dead): stop without writing its outcome."""


def engine(kind: str):
    """The engine function configured for ``kind`` (settings.BACUDA_ALGORITHM_ENGINES)."""
    return import_string(settings.BACUDA_ALGORITHM_ENGINES[kind])


class Reporter:
    """The progress callback handed to the engine, plus (in a worker) a heartbeat thread."""

    def __init__(self, job: ModelJob, *, heartbeat: bool):
        self.job_id = job.pk
        self.attempt = job.attempts
        self.log = job.log
        self.started = time.monotonic()
        self.limit = settings.BACUDA_MODEL_JOB_SOFT_TIME_LIMIT
        self.last_stage = None
        self.last_write = 0.0
        self.percent = 0
        self.stage = ""
        self.cancelled = False
        self.superseded = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        if heartbeat:
            self._thread = threading.Thread(target=self._beat, name=f"job-{job.pk}-heartbeat", daemon=True)
            self._thread.start()

    def _mine(self):
        return jobs.running_attempt(job_id=self.job_id, attempt=self.attempt)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(settings.BACUDA_MODEL_JOB_HEARTBEAT_SECONDS):
                try:
                    if not self._mine().update(heartbeat_at=timezone.now()):
                        self.superseded = True
                    elif self._mine().filter(cancel_requested=True).exists():
                        self.cancelled = True
                except Exception:
                    logger.exception("Heartbeat of model job %s failed", self.job_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def note(self, text: str) -> None:
        with self._lock:
            self.log = jobs.logged(self.log, text)

    def _check(self) -> None:
        if self.superseded:
            raise _Superseded
        if self.cancelled:
            self.note(_("Cancel requested; stopping."))
            raise JobCancelled
        if time.monotonic() - self.started > self.limit:
            raise JobTimeLimit

    def __call__(self, percent: int, stage: str) -> None:
        self._check()
        percent = max(0, min(100, int(percent)))
        now = time.monotonic()
        stage = str(stage)[:200]
        changed = stage != self.last_stage
        if changed:
            self.note(f"{percent:3d}% {stage}")
        self.percent, self.stage = percent, stage
        if changed or now - self.last_write >= WRITE_INTERVAL:
            self.flush()
            self.last_write = now
            if self._mine().filter(cancel_requested=True).exists():
                self.cancelled = True
            self._check()

    def flush(self) -> None:
        with self._lock:
            written = self._mine().update(
                percent=self.percent, stage=self.stage, log=self.log, heartbeat_at=timezone.now()
            )
        if not written:
            self.superseded = True


def job_run(*, job_id: int, worker: str = "", task_id: str = "", heartbeat: bool = True) -> ModelJob | None:
    """Run one job to its end (succeeded, failed with a reason, or cancelled). Returns the job, or None if it
    was not this worker's to run."""
    job = jobs.claim(job_id=job_id, worker=worker, task_id=task_id)
    if job is None:
        return None
    root = Path(settings.BACUDA_MODEL_JOB_WORK_DIR)
    root.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"job-{job.pk}-{job.attempts}-", dir=root))
    reporter = Reporter(job, heartbeat=heartbeat)
    outcome, reason, result = JobStatus.FAILED, "", None
    try:
        reporter(0, _("Starting"))
        result = _call_engine(job, workdir, reporter)
        reporter.note(result.summary or _("The engine finished."))
        outcome = JobStatus.SUCCEEDED
    except _Superseded:
        reporter.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        return None
    except JobCancelled:
        outcome = JobStatus.CANCELLED
    except EngineError as error:
        reason = str(error) or _("The engine refused the data.")
    except (JobTimeLimit, SoftTimeLimitExceeded):
        reason = _("The job exceeded its time limit of %(seconds)d seconds.") % {
            "seconds": settings.BACUDA_MODEL_JOB_SOFT_TIME_LIMIT
        }
    except Exception as error:
        logger.exception("Model job %s failed", job.pk)
        reason = _("Unexpected error: %(error)s") % {"error": f"{type(error).__name__}: {error}"[:500]}
        reporter.note(traceback.format_exc()[-4000:])
    finally:
        reporter.stop()
    try:
        if outcome == JobStatus.SUCCEEDED:
            try:
                _store_success(job, reporter, result, workdir)
            except EngineError as error:
                outcome, reason = JobStatus.FAILED, str(error)
            except Exception as error:  # e.g. a full disk: the job ends failed, never stuck
                logger.exception("Saving the results of model job %s failed", job.pk)
                outcome = JobStatus.FAILED
                reason = _("The results could not be saved: %(error)s") % {
                    "error": f"{type(error).__name__}: {error}"[:500]
                }
        if outcome != JobStatus.SUCCEEDED:
            _store_end(job, reporter, outcome, reason)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    job.refresh_from_db()
    return job


def _call_engine(job: ModelJob, workdir: Path, progress) -> EngineResult:
    out = workdir / "out"
    out.mkdir()
    dataset = Path(job.dataset.file.path) if job.dataset_id else None
    params = dict(job.params or {})
    if job.kind == JobKind.DATE_TRAIN:
        result = engine("date_train")(dataset, workdir=out, seed=job.seed, progress=progress, params=params)
    elif job.kind == JobKind.DATE_SCORE:
        model = materialize(job.source_version.model_artifact, workdir / "model")
        result = engine("date_score")(model, dataset, workdir=out, progress=progress)
    elif job.kind == JobKind.DATE_SIMULATE:
        result = engine("date_simulate")(dataset, workdir=out, seed=job.seed, progress=progress, params=params)
        if isinstance(result, EngineResult) and simulation.comparison(result.metrics) is not None:
            progress(100, _("writing the PDF report"))
            result.artifacts.update(simulation.render_reports(job=job, metrics=result.metrics, directory=out))
    elif job.kind == JobKind.AIHS_TRAIN:
        result = _aihs_train(job, dataset, workdir, out, progress, params)
    elif job.kind == JobKind.AIHS_BATCH:
        model = materialize(job.source_version.model_artifact, workdir / "model") if job.source_version_id else None
        result = engine("aihs_batch")(model, dataset, workdir=out, seed=job.seed, progress=progress, params=params)
    elif job.kind == JobKind.SYNTH:
        rows = int(params.pop("rows"))
        result = engine("synth")(dataset, workdir=out, seed=job.seed, rows=rows, progress=progress, params=params)
    elif job.kind == JobKind.IMAGE_TRAIN:
        images = _image_folder(dataset, workdir / "images", labelled=True, progress=progress)
        epochs = params.get("epochs")
        result = engine("image_train")(images, out, seed=job.seed, progress=progress, epochs=epochs)
    elif job.kind == JobKind.IMAGE_SCORE:
        model = materialize(job.source_version.model_artifact, workdir / "model")
        images = workdir / "images"
        names = _image_folder(dataset, images, labelled=False, progress=progress, names=True)
        training_set = job.source_version.job.dataset if job.source_version.job_id else None
        hs_codes = dict(training_set.hs_codes or {}) if training_set is not None else {}
        result = engine("image_score")(model, images, out, hs_codes=hs_codes, progress=progress)
        if isinstance(result, EngineResult) and "scores" in (result.artifacts or {}):
            _restore_image_names(Path(result.artifacts["scores"]), names)
    else:
        raise EngineError(_("Unknown kind of job."))
    if not isinstance(result, EngineResult):
        raise EngineError(_("The engine returned no result."))
    return result


def _image_folder(dataset: Path, target: Path, *, labelled: bool, progress, names: bool = False):
    """The job's image archive unpacked as the engine reads it (checked again on the way: see image_sets)."""
    from django.core.exceptions import ValidationError

    from .image_sets import extract_image_set

    progress(1, _("Unpacking the pictures"))
    try:
        written = extract_image_set(dataset, target, labelled=labelled)
    except ValidationError as error:
        raise EngineError(" ".join(error.messages)) from error
    return written if names else target


def _restore_image_names(scores: Path, names: dict[str, str]) -> None:
    """The scores CSV names each picture as it was named in the uploaded archive (not the working copy's name)."""
    import csv

    from bacuda_portal.core.csv_cells import safe_cell

    with scores.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows or "file" not in rows[0]:
        return
    column = rows[0].index("file")
    for row in rows[1:]:
        if len(row) > column and row[column] in names:
            row[column] = safe_cell(names[row[column]])
    with scores.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _aihs_train(job: ModelJob, dataset: Path | None, workdir: Path, out: Path, progress, params: dict):
    """AI-HS training; with labelled data, the engine also measures the administration's current champion on the
    same held-out descriptions, and the comparison names that champion's version."""
    engine_params = {key: value for key, value in params.items() if key not in SERVICE_PARAMS}
    champion = None
    champion_path = None
    if dataset is not None:
        champion = selectors.champion_version(algorithm_kind=AlgorithmKind.AIHS, administration=job.administration)
        if champion is not None and champion.model_artifact_id is not None:
            try:
                champion_path = materialize(champion.model_artifact, workdir / "champion")
            except (OSError, zipfile.BadZipFile) as error:
                raise EngineError(
                    _("The champion's model file could not be read for the comparison: %(error)s") % {"error": error}
                ) from error
        elif champion is not None:
            champion = None  # a documented release without a model file: the nomenclature model answers instead
    result = engine("aihs_train")(
        dataset, workdir=out, seed=job.seed, progress=progress, params=engine_params, champion=champion_path
    )
    comparison = (result.metrics or {}).get("comparison") if isinstance(result, EngineResult) else None
    if isinstance(comparison, dict):
        comparison["champion_version"] = {"id": champion.pk, "number": champion.number} if champion else None
    return result


def materialize(artifact: JobArtifact, target: Path) -> Path:
    """A stored model as a path an engine can read: the file itself, or its directory unzipped under target."""
    if not artifact.is_directory:
        return Path(artifact.file.path)
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(artifact.file.path) as archive:
        for member in archive.namelist():
            destination = (target / member).resolve()
            if not destination.is_relative_to(target.resolve()):
                raise EngineError(_("The stored model archive is not valid."))
        archive.extractall(target)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_files(job: ModelJob, result: EngineResult, workdir: Path) -> list[JobArtifact]:
    artifacts = []
    root = workdir.resolve()
    for name, raw_path in (result.artifacts or {}).items():
        path = Path(raw_path).resolve()
        if not path.is_relative_to(root) or not path.exists():
            raise EngineError(_("The engine's file “%(name)s” is missing or outside its folder.") % {"name": name})
        is_directory = path.is_dir()
        if is_directory:
            path = Path(shutil.make_archive(str(workdir / f"{name}-archive"), "zip", root_dir=path))
        suffix = ".zip" if is_directory else "".join(path.suffixes[-2:])[:20]
        artifact = JobArtifact(job=job, name=str(name)[:50], is_directory=is_directory, size=path.stat().st_size)
        artifact.sha256 = _sha256(path)
        with path.open("rb") as handle:
            artifact.file.save(f"{job.pk}/{job.attempts}/{artifact.name}{suffix}", File(handle), save=False)
        artifacts.append(artifact)
    return artifacts


def _store_success(job: ModelJob, reporter: Reporter, result: EngineResult, workdir: Path) -> None:
    artifacts = _stored_files(job, result, workdir)
    metrics = result.metrics or {}
    for _attempt in range(3):
        try:
            with transaction.atomic():
                if not jobs.lock_running_attempt(job_id=job.pk, attempt=reporter.attempt):
                    return  # superseded meanwhile
                JobArtifact.objects.filter(job=job).delete()
                JobArtifact.objects.bulk_create(artifacts)
                saved = {artifact.name: artifact for artifact in JobArtifact.objects.filter(job=job)}
                version = None
                if job.kind in VERSION_PRODUCING_KINDS:
                    version = _create_version(job, metrics, saved.get("model"))
                    reporter.note(_("Saved as version %(number)d (unpublished).") % {"number": version.number})
                    if job.kind == JobKind.AIHS_TRAIN and (job.params or {}).get("promote") is True:
                        decision = aihs_promotion_decide(version=version)
                        metrics = version.metrics
                        reporter.note(
                            _("Compared with the champion: this version is now the %(alias)s.")
                            % {"alias": Alias(decision["alias"]).label.lower()}
                        )
                reporter.note(_("Succeeded."))
                jobs.succeed(job=job, metrics=metrics, log=reporter.log)
            return
        except IntegrityError:
            continue  # two versions got the same number at once: try the next one
    raise EngineError(_("The result could not be saved."))


def _create_version(job: ModelJob, metrics: dict, model: JobArtifact | None) -> AlgorithmVersion:
    kind = JOB_ALGORITHM[job.kind]
    algorithm = Algorithm.objects.filter(kind=kind).order_by("pk").first()
    if algorithm is None:
        algorithm = Algorithm.objects.create(slug=kind, kind=kind, name_en=str(kind.label))
    with transaction.atomic():
        return AlgorithmVersion.objects.create(
            algorithm=algorithm,
            number=next_version_number(algorithm),
            administration=job.administration,
            metrics=metrics,
            job=job,
            model_artifact=model,
            release_notes_en=f"Trained by job #{job.pk} (seed {job.seed}).",
            release_notes_fr=f"Entraîné par la tâche n° {job.pk} (graine {job.seed}).",
        )


def _store_end(job: ModelJob, reporter: Reporter, status: str, reason: str) -> None:
    reporter.note(reason or JobStatus(status).label)
    jobs.end_attempt(
        job=job,
        attempt=reporter.attempt,
        status=status,
        reason=reason,
        percent=reporter.percent,
        stage=reporter.stage,
        log=reporter.log,
    )
