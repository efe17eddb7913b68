"""An administration's extra columns as features of the DATE job's tree models (issue 14, part 3).

``algorithms/extra_columns.feature_columns`` says which columns beyond the layout a model may use: numeric ones and
categorical ones (the national ``Tariff Code`` among them when it is longer than the HS6). Here they are encoded
for :class:`~algorithms.engines.features.DeclarationFeatures`, fitted on the training split only:

- a **numeric** extra column becomes a float32 feature, NaN where the cell is empty or not a number (LightGBM and
  XGBoost treat NaN as missing);
- a **categorical** one becomes category codes learnt on the training split, values seen fewer than ``min_count``
  times there, values first met at scoring and an absent column all mapped to the reserved code 0 ("rare or
  unseen"), as the layout's own categorical columns are.

The encoding is part of the fitted pipeline's JSON state, so scoring applies exactly the training's. A file
scored without one of the columns gets NaN or code 0 for it. Strings are converted once per distinct value, never
once per row (``features._column_codes``): the memory work of "DATE at scale" in benchmarks/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from algorithms.declarations import COLUMNS, TARIFF_CODE
from algorithms.extra_columns import CATEGORICAL, DISTINCT_CAP, EMPTY, NUMERIC, feature_columns

UNKNOWN_CODE = 0  # rare in training, first met at scoring, or the column is absent
_UNSAFE = re.compile(r"[^0-9A-Za-z_ .()/-]")  # LightGBM refuses JSON punctuation in feature names


@dataclass
class ExtraFeatures:
    """Column of the file -> feature name, for the numeric and the categorical extras; the categoricals' codes."""

    numeric: dict[str, str] = field(default_factory=dict)
    categorical: dict[str, str] = field(default_factory=dict)
    vocab: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def national_code(self) -> bool:
        return TARIFF_CODE in self.categorical

    @property
    def names(self) -> list[str]:
        return [*self.categorical.values(), *self.numeric.values()]

    def summary(self) -> dict:
        """For the version's metrics: which extra columns the models used."""
        return {
            "numeric": list(self.numeric),
            "categorical": [c for c in self.categorical if c != TARIFF_CODE],
            "national_code": self.national_code,
        }

    def to_state(self) -> dict:
        return {"numeric": self.numeric, "categorical": self.categorical, "vocab": self.vocab}

    @classmethod
    def from_state(cls, state: dict | None) -> ExtraFeatures:
        state = state or {}
        return cls(
            numeric=dict(state.get("numeric", {})),
            categorical=dict(state.get("categorical", {})),
            vocab={column: dict(values) for column, values in state.get("vocab", {}).items()},
        )


def _feature_name(column: str, taken: set[str]) -> str:
    base = column if column == TARIFF_CODE else f"extra {_UNSAFE.sub('_', column)}"
    name, index = base, 2
    while name in taken:
        name, index = f"{base} ({index})", index + 1
    taken.add(name)
    return name


def _kinds(frame: pd.DataFrame, taken: set[str], column_codes) -> dict[str, dict]:
    """``extra_columns.kinds_of_frame`` from each column's distinct values and their counts: no string per row."""
    kinds = {}
    for column in frame.columns:
        if column in COLUMNS or column in taken:
            continue
        codes, strings = column_codes(frame, column, {})
        values = pd.Series(strings, dtype=object).astype(str).str.strip()
        counts = pd.Series(np.bincount(codes, minlength=len(strings))).groupby(values.to_numpy()).sum()
        counts = counts[counts.index != ""]
        numbers = pd.to_numeric(pd.Series(counts.index, dtype=object), errors="coerce").to_numpy(np.float64)
        filled = int(counts.sum())
        numeric = bool(len(counts)) and bool(np.isfinite(numbers).all())
        kind = EMPTY if not filled else NUMERIC if numeric else CATEGORICAL
        kinds[column] = {"kind": kind, "filled": filled, "distinct": min(len(counts), DISTINCT_CAP + 1)}
    return kinds


def fit_extra_features(frame: pd.DataFrame, taken: set[str], min_count: int, column_codes) -> ExtraFeatures:
    """The usable extra columns of the training ``frame`` and the codes of the categorical ones (``column_codes``:
    ``features._column_codes``, a code per row and the distinct values as strings). ``taken``: the names of the
    layout's features, among them the derived HS2 and HS4 columns of ``frame``, which are no extra columns."""
    columns = feature_columns(frame, kinds=_kinds(frame, taken, column_codes))
    taken = set(taken)
    extra = ExtraFeatures()
    cache: dict = {}
    columns.categorical = [c for c in columns.categorical if c not in taken]
    columns.numeric = [c for c in columns.numeric if c not in taken]
    for column in columns.categorical:
        extra.categorical[column] = _feature_name(column, taken)
        codes, strings = column_codes(frame, column, cache)
        counts = np.bincount(codes, minlength=len(strings))
        kept = sorted({strings[i] for i in np.flatnonzero(counts >= min_count)} - {""})
        extra.vocab[column] = {value: i + 1 for i, value in enumerate(kept)}
    for column in columns.numeric:
        extra.numeric[column] = _feature_name(column, taken)
    return extra


def add_extra_features(out: pd.DataFrame, frame: pd.DataFrame, extra: ExtraFeatures, column_codes, cache) -> None:
    """Writes the extra features of ``frame`` into ``out`` (the feature table being built), in a fixed order."""
    for column, name in extra.categorical.items():
        if column not in frame.columns:
            out[name] = np.full(len(frame), UNKNOWN_CODE, dtype=np.int32)
            continue
        vocab = extra.vocab[column]
        codes, strings = column_codes(frame, column, cache)
        position = pd.Index(list(vocab), dtype=object).get_indexer(strings)
        values = np.fromiter(vocab.values(), dtype=np.int32, count=len(vocab))
        per_value = np.where(position >= 0, values[position] if len(values) else UNKNOWN_CODE, UNKNOWN_CODE)
        out[name] = per_value.astype(np.int32)[codes]
    for column, name in extra.numeric.items():
        if column not in frame.columns:
            out[name] = np.full(len(frame), np.nan, dtype=np.float32)
            continue
        codes, strings = column_codes(frame, column, cache)
        numbers = pd.to_numeric(pd.Series(strings, dtype=object).str.strip(), errors="coerce")
        numbers = numbers.to_numpy(np.float64, copy=True)
        numbers[~np.isfinite(numbers)] = np.nan
        out[name] = numbers.astype(np.float32)[codes]
