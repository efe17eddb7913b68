"""Top-k accuracy at HS2, HS4 and HS6, and the evaluation set shipped in ``algorithms/data/hs/``."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

import numpy as np

from .text import DATA_DIR

LEVELS = (2, 4, 6)
KS = (1, 3, 5)


def topk_hits(
    examples: Iterable[tuple[str, str]], scorer: Callable[[str], np.ndarray], codes: list[str]
) -> tuple[dict[tuple[int, int], int], int]:
    """Counts of examples whose true code, cut to ``level`` digits, is the prefix of at least one of the ``k``
    best-scored HS6 codes, per (level, k); and the number of examples. ``scorer`` gives one score per code."""
    code_array = np.array(codes)
    hits = {(lv, k): 0 for lv in LEVELS for k in KS}
    n = 0
    for description, truth in examples:
        scores = scorer(description)
        top = code_array[np.argsort(-scores, kind="stable")[: max(KS)]]
        n += 1
        for lv in LEVELS:
            prefixes = [c[:lv] for c in top]
            for k in KS:
                hits[(lv, k)] += truth[:lv] in prefixes[:k]
    return hits, n


def as_accuracy(hits: dict[tuple[int, int], int], n: int) -> dict[str, float]:
    return {f"hs{lv}_top{k}": round(hits[(lv, k)] / n, 4) if n else 0.0 for lv in LEVELS for k in KS}


def topk_accuracy(
    examples: Iterable[tuple[str, str]], scorer: Callable[[str], np.ndarray], codes: list[str]
) -> dict[str, float]:
    """``hs{level}_top{k}``: the share of examples whose true code (cut to ``level`` digits) is the prefix of at
    least one of the ``k`` best-scored HS6 codes."""
    return as_accuracy(*topk_hits(examples, scorer, codes))


def evaluation_set(split: str | None = None) -> list[tuple[str, str]]:
    """The hand-labelled evaluation descriptions (``split`` = "tune", "test" or None for both)."""
    with (DATA_DIR / "eval_descriptions.csv").open(encoding="utf-8", newline="") as handle:
        return [
            (row["description"], row["hs_code"])
            for row in csv.DictReader(handle)
            if split is None or row["split"] == split
        ]


def labelled_sample() -> list[tuple[str, str]]:
    """The templated labelled training sample (never evaluated on: see algorithms/data/hs/README.md)."""
    with (DATA_DIR / "labelled_sample.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["description"], row["hs_code"]) for row in csv.DictReader(handle)]
