"""The default model's figures on real held-out descriptions, as measured and recorded by the benchmark.

The real labelled descriptions (rulings and commercial titles, ``realdata.py``) come from public sources that are
not shipped in the repository, so a fresh installation cannot measure the nomenclature-only model itself.
``python -m benchmarks.algorithms_aihs --write`` measures it on their test split and records the figures in
``algorithms/data/hs/real_evaluation.json`` with a fingerprint of everything the model's scores depend on (the
weights, the temperatures and their length classes, when a description is read as French, the embedding model and
the checksums of the shipped data files). A job, the card and a
version show the recorded figures only while the fingerprint still matches the model: a change to the model
without a new measurement makes them disappear rather than describe another model.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from . import embed, hybrid, national
from .text import DATA_DIR

RECORD_FILE = DATA_DIR / "real_evaluation.json"
COMMAND = ".venv/bin/python -m benchmarks.algorithms_aihs --write"
_DATA_FILES = (
    DATA_DIR / "harmonized-system.csv",
    DATA_DIR / "sections.csv",
    embed.EMBEDDINGS_FILE,
    national.CN_FILE,
    national.EMBEDDINGS_FILE,
)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of what the default model's scores depend on."""
    digest = hashlib.sha256()
    settings = {
        "weights": hybrid.WEIGHTS,
        "temperatures": hybrid.TEMPERATURES,
        "short_words": hybrid.SHORT_WORDS,
        "french_margin": national.FRENCH_MARGIN,
        "embedding_model": embed.MODEL_NAME,
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for path in _DATA_FILES:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def write(metrics: dict, **about) -> None:
    """Record the default model's real-data figures (see the module docstring)."""
    record = {"fingerprint": fingerprint(), "command": COMMAND, **about, "metrics": metrics}
    RECORD_FILE.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def recorded() -> dict | None:
    """The recorded record (``metrics`` and how they were measured) if it describes the current model."""
    try:
        record = json.loads(RECORD_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("fingerprint") == fingerprint() else None
