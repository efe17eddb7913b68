"""Extra columns of a declarations dataset: the columns of an administration's file beyond the portal's layout,
kept in the stored dataset, and which of them a model may use as features.

At upload, ``ExtraColumnTracker`` types each extra column from its values: ``numeric`` when every non-empty cell is
a finite number, ``categorical`` otherwise, ``empty`` when no cell has a value. The national ``Tariff Code`` (HS8,
HS10) that the upload writes next to the HS6 is a categorical feature too. The dataset keeps the result in
``Dataset.extra_columns``; the dataset page lists them.

For the feature builder (``algorithms/engines/features.py``, not changed here), one call on the frame that
``declarations.read_declarations`` returns, with the dataset's recorded kinds when there are any::

    from algorithms.extra_columns import feature_columns

    extra = feature_columns(frame, kinds=dataset_extra_columns_or_None)
    for column in extra.numeric:       # float Series, NaN where the cell was empty
        matrix[column] = frame[column].pipe(pd.to_numeric, errors="coerce")
    for column in extra.categorical:   # strings: encode as the layout's categorical columns are
        matrix[column] = frame[column]

``feature_columns`` decides from the frame itself when ``kinds`` is None (a job's worker has the file, and the
kinds are a property of its values), and drops what cannot be a feature: empty columns, identifiers (a categorical
column whose every value is distinct), and the layout's own columns.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from .declarations import COLUMNS, TARIFF_CODE

NUMERIC, CATEGORICAL, EMPTY = "numeric", "categorical", "empty"
DISTINCT_CAP = 1000  # distinct values counted per column, beyond which only "many" is known


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


class ExtraColumnTracker:
    """Types extra columns while an upload is read row by row, in bounded memory."""

    def __init__(self, columns: list[str]):
        self.columns = list(columns)
        self.filled = dict.fromkeys(self.columns, 0)
        self.numeric = dict.fromkeys(self.columns, True)
        self.distinct: dict[str, set] = {column: set() for column in self.columns}
        self.rows = 0

    def add(self, cells: dict) -> None:
        self.rows += 1
        for column in self.columns:
            value = cells[column].strip()
            if not value:
                continue
            self.filled[column] += 1
            if self.numeric[column] and not _is_number(value):
                self.numeric[column] = False
            seen = self.distinct[column]
            if len(seen) <= DISTINCT_CAP:
                seen.add(value)

    def kinds(self) -> dict[str, dict]:
        """Column -> {"kind": numeric/categorical/empty, "filled": non-empty cells, "distinct": values counted up
        to DISTINCT_CAP + 1}."""
        out = {}
        for column in self.columns:
            filled = self.filled[column]
            kind = EMPTY if not filled else NUMERIC if self.numeric[column] else CATEGORICAL
            out[column] = {"kind": kind, "filled": filled, "distinct": len(self.distinct[column])}
        return out


@dataclass
class FeatureColumns:
    numeric: list[str] = field(default_factory=list)
    categorical: list[str] = field(default_factory=list)


def usable(kinds: dict[str, dict]) -> FeatureColumns:
    """The extra columns a model may use, from recorded kinds (see ``ExtraColumnTracker.kinds``): numeric ones, and
    categorical ones that are not identifiers (every filled cell distinct)."""
    result = FeatureColumns()
    for column, info in kinds.items():
        if column in COLUMNS:
            continue
        if info["kind"] == NUMERIC:
            result.numeric.append(column)
        elif info["kind"] == CATEGORICAL and not (info["filled"] > 1 and info["distinct"] >= info["filled"]):
            result.categorical.append(column)
    return result


KIND_LABELS = {NUMERIC: _("numeric"), CATEGORICAL: _("categorical"), EMPTY: _("empty")}


def described(kinds: dict[str, dict]) -> list[dict]:
    """For the dataset page: each extra column, its kind in words, and whether a model may use it."""
    features = usable(kinds)
    return [
        {
            "name": column,
            "kind_label": KIND_LABELS.get(info.get("kind"), info.get("kind")),
            "usable": column in features.numeric or column in features.categorical,
        }
        for column, info in kinds.items()
    ]


def kinds_of_frame(frame: pd.DataFrame) -> dict[str, dict]:
    """``ExtraColumnTracker.kinds`` for the columns of a frame of strings beyond the layout."""
    tracker = ExtraColumnTracker([column for column in frame.columns if column not in COLUMNS])
    for column in tracker.columns:
        values = frame[column].astype(str).str.strip()
        values = values[values != ""]
        tracker.filled[column] = int(values.size)
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        tracker.numeric[column] = bool(values.size) and bool(np.isfinite(numbers).all())
        tracker.distinct[column] = set(values.unique()[: DISTINCT_CAP + 1])
    return tracker.kinds()


def feature_columns(frame: pd.DataFrame, kinds: dict[str, dict] | None = None) -> FeatureColumns:
    """The extra columns of ``frame`` a model may use (the national ``Tariff Code`` among the categorical ones when
    it is longer than the HS6). ``kinds``: the dataset's recorded ``extra_columns``; None: typed from the frame."""
    kinds = kinds_of_frame(frame) if kinds is None else {c: k for c, k in kinds.items() if c in frame.columns}
    result = usable(kinds)
    if TARIFF_CODE in frame.columns and TARIFF_CODE not in result.categorical:
        codes = frame[TARIFF_CODE].astype(str)
        if (codes.str.len() > 6).any():
            result.categorical.insert(0, TARIFF_CODE)
    if TARIFF_CODE in result.numeric:  # digits, but a code
        result.numeric.remove(TARIFF_CODE)
    return result
