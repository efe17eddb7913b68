"""Classify one picture with a trained image model (the interactive page and the API): the model is loaded once per
version in each process and kept (a few at most), so that an answer takes well under a second once it is loaded.

The picture is checked like every picture upload (``core.uploads``: PNG or JPEG, decoded whole, no decompression
bomb, nothing hidden) before the model sees it. Nothing is stored.
"""

import base64
import io
import threading
import time
import zipfile
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from bacuda_portal.core.uploads import IMAGE_TYPES, check_size
from bacuda_portal.core.uploads import check_content as check_upload_content

from .models import AlgorithmVersion
from .runner import engine

CACHED_MODELS = 4
MAX_PICTURE_MEGABYTES = 15
_cache: OrderedDict = OrderedDict()  # (version id, model checksum) -> classifier
_lock = threading.Lock()


def _model_folder(version: AlgorithmVersion) -> Path:
    """The version's model directory, unpacked once under the jobs' working folder (checked on the way)."""
    artifact = version.model_artifact
    target = Path(settings.BACUDA_MODEL_JOB_WORK_DIR) / "image-models" / f"{version.pk}-{artifact.sha256[:16]}"
    if (target / ".complete").exists():
        return target
    partial = target.with_name(target.name + f".partial-{threading.get_ident()}")
    partial.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(artifact.file.path) as archive:
        for member in archive.namelist():
            if not (partial / member).resolve().is_relative_to(partial.resolve()):
                raise ValidationError(_("The stored model archive is not valid."))
        archive.extractall(partial)
    (partial / ".complete").write_text("ok")
    try:
        partial.rename(target)
    except OSError:  # another thread or process unpacked it first
        import shutil

        shutil.rmtree(partial, ignore_errors=True)
    return target


def classifier_for(version: AlgorithmVersion):
    """The loaded classifier of ``version`` (from this process's cache when it was loaded before)."""
    key = (version.pk, version.model_artifact.sha256)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        classifier = engine("image_load")(_model_folder(version))
        _cache[key] = classifier
        while len(_cache) > CACHED_MODELS:
            _cache.popitem(last=False)
        return classifier


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def checked_picture(uploaded) -> Image.Image:
    """The uploaded picture, decoded, after the portal's picture check; ValidationError otherwise."""
    check_size(uploaded, MAX_PICTURE_MEGABYTES)
    check_upload_content(uploaded, IMAGE_TYPES)
    uploaded.seek(0)
    picture = Image.open(io.BytesIO(uploaded.read()), formats=["PNG", "JPEG"])
    picture.load()
    return picture


def classify(*, version: AlgorithmVersion, uploaded, top_k: int = 3) -> dict:
    """The top classes (with confidence and the HS code mapped to the class, if any) and a heat map (PNG as a data
    URL) of the regions that drove the first answer, with the time taken."""
    picture = checked_picture(uploaded)
    classifier = classifier_for(version)
    started = time.perf_counter()
    predictions, heatmap = classifier.explain(picture, top_k=top_k)
    milliseconds = round(1000 * (time.perf_counter() - started))
    dataset = version.job.dataset if version.job_id and version.job.dataset_id else None
    codes = (dataset.hs_codes or {}) if dataset is not None else {}
    return {
        "version": version,
        "predictions": [
            {
                "label": str(label),
                "confidence": float(confidence),
                "percent": round(100 * float(confidence), 1),
                "hs_code": codes.get(str(label), ""),
            }
            for label, confidence in predictions
        ],
        "heatmap": "data:image/png;base64," + base64.b64encode(heatmap).decode("ascii"),
        "milliseconds": milliseconds,
    }
