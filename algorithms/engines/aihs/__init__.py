"""AI-HS: HS-code recommendation from a goods description (issue 5).

Plain Python (no Django). The public surface:

- :func:`train` (the job's engine function): with ``labelled_csv=None`` it packages the nomenclature-only model and
  measures it on the hand-labelled evaluation set shipped in ``algorithms/data/hs/``; with an administration's CSV
  (``description``, ``hs_code``) it validates every row, holds out a seeded split, measures top-1/3/5 accuracy at
  HS2/HS4/HS6 for the combined model, the nomenclature-only model and the plain TF-IDF baseline, and writes a
  model directory that :func:`load` reads.
- :func:`default_model`: the nomenclature-only :class:`Recommender` (lexical retrieval over the HS hierarchy plus
  sentence embeddings, calibrated on real held-out descriptions), built once per process (a few seconds).
- :meth:`Recommender.suggest`: ranked HS6 suggestions with the nomenclature text and a confidence.
- :func:`classify_batch` (the batch job's engine function): the top five codes of every description of a CSV, with
  a flag where the declared code is not among them (``batch.py``).

A blank description (or one with no word the model knows, such as "123") gives an empty list, not an error.
"""

from __future__ import annotations

import threading

from .batch import classify_batch
from .engine import FORMAT, MAX_CSV_BYTES, load, read_labelled_csv, train
from .hybrid import HybridIndex
from .model import NomenclatureIndex, Recommender, nomenclature

__all__ = [
    "FORMAT",
    "MAX_CSV_BYTES",
    "HybridIndex",
    "NomenclatureIndex",
    "Recommender",
    "classify_batch",
    "default_model",
    "load",
    "nomenclature",
    "read_labelled_csv",
    "train",
]

_lock = threading.Lock()
_default: Recommender | None = None


def default_model() -> Recommender:
    """The nomenclature-only recommender (HS 2022 hierarchy + sentence embeddings, calibrated; see ``hybrid.py``),
    built once and kept in-process."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Recommender(HybridIndex(nomenclature()), info={"kind": "nomenclature"})
    return _default
