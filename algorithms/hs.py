"""Interactive HS-code suggestions: the administration's champion AI-HS model, else the nomenclature-only one.

Loaded models are kept in this process (keyed by the model file's checksum), so a suggestion after the first
costs only the model's own lookup.

Each answer can carry a feedback token: what was suggested, by which model, for which administration and user,
signed by the server. A confirmation or correction sends it back, so the labelled description records what was
really suggested then, without the client being trusted with it (``read_feedback_token``).
"""

import threading
import time
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils.translation import get_language
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

    Each suggestion carries its probability (``confidence``), a plain-language ``band`` and ``why`` (the
    subheading's and heading's nomenclature texts and, for a model trained on labelled descriptions of this
    administration, the nearest of them with that code); ``too_vague`` is true when there is no suggestion or the
    first one's heading is less probable than ``calibration.VAGUE_BELOW``: the page then asks for the material, the
    use or the composition rather than pretending."""
    started = time.perf_counter()
    suggester, version = suggester_for(administration)
    suggestions = suggester.suggest(description, k=k)
    examples_allowed = version is None or version.administration_id in (None, getattr(administration, "pk", None))
    items = [
        {
            "code": str(item["code"]),
            "description": str(item.get("description", "")),
            "confidence": float(item.get("confidence", 0.0)),
            "heading_confidence": float(item.get("heading_confidence", item.get("confidence", 0.0))),
            "band": calibration.band(float(item.get("confidence", 0.0))),
            "why": _why(item, examples_allowed),
        }
        for item in suggestions
    ]
    for item in items:
        item["band_label"] = BAND_LABELS[item["band"]]
    return {
        "description": description,
        "suggestions": items,
        "too_vague": calibration.too_vague(suggestions),
        "read_as": suggester.read_as(description) if hasattr(suggester, "read_as") else "",
        "version": version,
        "milliseconds": round((time.perf_counter() - started) * 1000, 1),
    }


def _why(item: dict, examples_allowed: bool) -> dict:
    code = str(item["code"])
    examples = item.get("examples") if examples_allowed else None
    return {
        "subheading": str(item.get("subheading", "")),
        "heading_code": str(item.get("heading_code", code[:4])),
        "heading": str(item.get("heading", "")),
        # The closest 8-digit line of the EU's tariff (default model), in the reader's language when there is one.
        "tariff_code": str(item.get("tariff_code", "")),
        "tariff_line": str(
            ((get_language() or "").startswith("fr") and item.get("tariff_line_fr")) or item.get("tariff_line", "")
        ),
        "examples": [
            {"description": str(example["description"]), "code": str(example["code"])} for example in examples or []
        ],
    }


# --- Feedback tokens ---------------------------------------------------------------------------------------------
FEEDBACK_SALT = "algorithms.hs-feedback"
FEEDBACK_MAX_AGE = 24 * 3600  # seconds a suggestion may be confirmed or corrected after it was made
NOMENCLATURE_MODEL_NAME = "HS nomenclature only"


class FeedbackTokenInvalid(Exception):
    """The token is not one this server signed for this user, or it is too old."""


def feedback_token(*, answer: dict, administration, user) -> str:
    """A signed record of this answer (description, suggested codes and probabilities, model) for feedback."""
    version = answer["version"]
    payload = {
        "d": answer["description"],
        "s": [[item["code"], item["confidence"]] for item in answer["suggestions"]],
        "v": version.pk if version is not None else None,
        "m": str(version) if version is not None else NOMENCLATURE_MODEL_NAME,
        "a": administration.pk,
        "u": user.pk,
    }
    return signing.dumps(payload, salt=FEEDBACK_SALT, compress=True)


def read_feedback_token(token: str, *, user) -> dict:
    """The answer a feedback token records: ``description``, ``suggestions`` ([{code, confidence}]),
    ``version_id``, ``model_name``, ``administration_id``. Raises FeedbackTokenInvalid."""
    try:
        payload = signing.loads(str(token or ""), salt=FEEDBACK_SALT, max_age=FEEDBACK_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired is one
        raise FeedbackTokenInvalid from error
    if not isinstance(payload, dict) or payload.get("u") != getattr(user, "pk", None):
        raise FeedbackTokenInvalid
    return {
        "description": payload["d"],
        "suggestions": [{"code": code, "confidence": confidence} for code, confidence in payload["s"]],
        "version_id": payload["v"],
        "model_name": payload["m"],
        "administration_id": payload["a"],
    }
