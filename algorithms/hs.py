"""Interactive HS-code suggestions: the administration's champion AI-HS model, else the nomenclature-only one.

Loaded models are kept in this process (keyed by the model file's checksum), so a suggestion after the first
costs only the model's own lookup.
"""

import threading
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import selectors
from .engines.aihs import calibration
from .enums import AlgorithmKind
from .runner import engine, materialize

_models: dict[str, object] = {}
_lock = threading.Lock()


def _load(version):
    artifact = version.model_artifact
    with _lock:
        if artifact.sha256 not in _models:
            target = Path(settings.BACUDA_MODEL_JOB_WORK_DIR) / "loaded" / artifact.sha256
            _models[artifact.sha256] = engine("aihs_load")(materialize(artifact, target))
        return _models[artifact.sha256]


def suggester_for(administration):
    """(suggester, version or None): the model that answers for this administration."""
    version = selectors.champion_version(algorithm_kind=AlgorithmKind.AIHS, administration=administration)
    if version is not None and version.model_artifact_id is not None:
        return _load(version), version
    return engine("aihs_default")(), None


# The first suggestion's probability in words (algorithms/engines/aihs/calibration.py decides the thresholds).
BAND_LABELS = {"likely": _("likely"), "possible": _("possible"), "unlikely": _("unlikely")}


def suggest(*, administration, description: str, k: int = 5) -> dict:
    """Ranked HS6 suggestions for one goods description, with the model used and the time taken.

    Each suggestion carries its probability (``confidence``) and a plain-language ``band``; ``too_vague`` is true
    when there is no suggestion or the first one is less probable than ``calibration.VAGUE_BELOW``: the page then
    asks for the material, the use or the composition rather than pretending."""
    started = time.perf_counter()
    suggester, version = suggester_for(administration)
    suggestions = suggester.suggest(description, k=k)
    items = [
        {
            "code": str(item["code"]),
            "description": str(item.get("description", "")),
            "confidence": float(item.get("confidence", 0.0)),
            "band": calibration.band(float(item.get("confidence", 0.0))),
        }
        for item in suggestions
    ]
    for item in items:
        item["band_label"] = BAND_LABELS[item["band"]]
    return {
        "description": description,
        "suggestions": items,
        "too_vague": not items or items[0]["confidence"] < calibration.VAGUE_BELOW,
        "version": version,
        "milliseconds": round((time.perf_counter() - started) * 1000, 1),
    }
