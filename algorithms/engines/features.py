"""Features for customs fraud detection on the Customs Import Declaration layout (shared by DATE and its baselines).

All models of the DATE job (plain XGBoost, LightGBM with native categoricals, DATE itself) see the SAME feature
table, built here by :class:`DeclarationFeatures`, fitted on the training split only:

- **categorical codes** of the declaration's code columns (office, process/import/payment types, transport,
  countries, tax type, origin indicator, HS2/HS4/HS6, declarant...), values seen fewer than ``min_count`` times in
  training mapped to 0 ("rare or unseen");
- **numbers**: tax rate, log net mass, log item price, log unit price (price per kg), whether the mass is a whole
  number;
- **history (target statistics)** of exact value tuples in the training data: for each key (for example the goods
  tuple HS6 + countries + tax rate + tax type + net mass, see ``HISTORY_KEYS``) how many training declarations
  had that tuple, how many of them were frauds, the smoothed fraud rate and a lower bound of the rate (5 %
  quantile of its Beta posterior), which grows with the evidence. For the training rows themselves
  the statistics are computed out of fold (K random folds) so that a row never sees its own label. At scoring
  time only the stored training statistics are used: labels of the scored data are never read.

Why the history features: the public data is synthetic (CTGAN) and its generator treated HS10, the two
countries, tax rate, tax type, net mass, Fraud and Critical Fraud as ONE categorical column, so the same goods
tuple recurs with the same label; see ``algorithms/engines/DATE_NOTES.md``. On real declarations such tuples are
the classic "risk profile" statistics (fraud history per HS code, origin, importer...) that risk engines use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import beta as beta_distribution

from algorithms.declarations import (
    CRITICAL_FRAUD,
    DATE,
    FRAUD,
    HS6_CODE,
    IMPORTER_ID,
    ITEM_PRICE,
    NET_MASS,
    TARIFF_CODE,
    TAX_RATE,
)

from .extra_features import ExtraFeatures, add_extra_features, fit_extra_features

# Categorical inputs: declaration columns plus derived HS2/HS4.
CATEGORICAL_FEATURES = (
    "Office ID",
    "Process Type",
    "Import Type",
    "Import Use",
    "Payment Type",
    "Mode of Transport",
    "Declarant ID",
    "Courier ID",
    "Country of Departure",
    "Country of Origin",
    "Tax Type",
    "Country of Origin Indicator",
    "HS2",
    "HS4",
    HS6_CODE,
)
NUMERIC_FEATURES = ("tax_rate", "log_mass", "log_price", "log_unit_price", "mass_is_whole", "origin_differs")

GOODS = (HS6_CODE, "Country of Departure", "Country of Origin", TAX_RATE, "Tax Type", NET_MASS)
# name -> columns whose exact joint value is looked up in the training history.
HISTORY_KEYS = {
    "goods": GOODS,
    "goods_price": (*GOODS, ITEM_PRICE),
    "hs_mass": (HS6_CODE, NET_MASS),
    "hs_price": (HS6_CODE, ITEM_PRICE),
    "mass_price": (NET_MASS, ITEM_PRICE),
    "price": (ITEM_PRICE,),
    "mass": (NET_MASS,),
    "hs_tariff": (HS6_CODE, "Country of Departure", "Country of Origin", TAX_RATE, "Tax Type"),
    "hs6": (HS6_CODE,),
    "importer": (IMPORTER_ID,),
    "declarant": ("Declarant ID",),
    "seller": ("Seller ID",),
}
# With a national tariff code longer than the HS6 (HS8, HS10), its fraud history too (out of fold like the others).
NATIONAL_HISTORY_KEYS = {"tariff": (TARIFF_CODE,)}
# The "goods combination" of a declaration: the exact tuple the synthetic generator fused with the fraud label
# (HS6, both countries, tax rate, tax type, net mass). A validation or test declaration whose combination never
# occurs in the training period is "unseen": there the label cannot be looked up, so only features that generalise
# can rank it. On the public data 18.4 % of the test file (fraud rate 0.216) and 17.9 % of the valid file are
# unseen with respect to the train file. Coarser tuples leave few unseen rows (HS6 + origin: 5.1 %; HS6 + both
# countries + tax: 7.8 %) and finer ones almost none seen (HS6 + origin + importer: 98 % unseen).
COMBINATION = GOODS
# Features that read no label: the categorical codes and the numbers (no history statistics). The model for
# unseen combinations uses only these: on unseen validation rows, adding the history rates lowered precision
# at 5 % (their out-of-fold training values do not behave like their values on new combinations).
LABEL_FREE_FEATURES = (*CATEGORICAL_FEATURES, *NUMERIC_FEATURES)
PRIOR_WEIGHT = 2.0  # pseudo-count of the smoothed fraud rate
STATS = 4  # history figures per key: log count, log frauds, smoothed rate, lower bound of the rate


def history_feature_names(keys=HISTORY_KEYS) -> list[str]:
    names = []
    for key in keys:
        names += [f"{key}_n", f"{key}_fraud", f"{key}_rate", f"{key}_low"]
    return names


def revenue_proxy(frame: pd.DataFrame) -> np.ndarray:
    """Duty at stake if the declaration is fraudulent: Item Price x Tax Rate / 100 (KRW), 0 on non-fraud rows.

    The data has no raised-tax column (the DATE paper's revenue target); this proxy is documented in DATE_NOTES.md.
    """
    duty = frame[ITEM_PRICE].to_numpy(float) * frame[TAX_RATE].to_numpy(float) / 100.0
    duty = np.clip(np.nan_to_num(duty, nan=0.0), 0.0, None)
    return duty * (frame[FRAUD].to_numpy() > 0)


def combination_keys(frame: pd.DataFrame, columns: tuple[str, ...] = COMBINATION) -> np.ndarray:
    """The goods combination of every row as one string (HS6 zero-padded to six digits)."""
    return _key_series(_base_columns(frame[list(columns)]) if HS6_CODE in columns else frame, columns)


def unseen_mask(reference: pd.DataFrame, frame: pd.DataFrame, columns: tuple[str, ...] = COMBINATION) -> np.ndarray:
    """True for the rows of ``frame`` whose combination of ``columns`` never occurs in ``reference``."""
    seen = pd.Index(pd.unique(combination_keys(reference, columns)))
    return seen.get_indexer(combination_keys(frame, columns)) < 0


def _key_series(frame: pd.DataFrame, columns: tuple[str, ...], cache: dict | None = None) -> np.ndarray:
    """The joint value of ``columns`` per row as one string (object array); ``cache`` keeps converted columns."""
    cache = {} if cache is None else cache
    parts = []
    for column in columns:
        if column not in cache:
            cache[column] = frame[column].astype(str).to_numpy(object)
        parts.append(cache[column])
    key = parts[0]
    for part in parts[1:]:
        key = key + "|" + part
    return key


def _column_codes(frame: pd.DataFrame, column: str, cache: dict) -> tuple[np.ndarray, np.ndarray]:
    """One column as (code per row, its distinct values as ``astype(str)`` writes them): the string conversion runs
    once per distinct value, not per row. Floats are told apart by their bits (``-0.0`` stays apart from ``0.0``,
    as its string does)."""
    if column not in cache:
        values = frame[column]
        if pd.api.types.is_float_dtype(values.dtype):
            codes, uniques = pd.factorize(values.to_numpy(np.float64).view(np.int64))
            strings = pd.Series(uniques.view(np.float64)).astype(str)
        else:
            codes, uniques = pd.factorize(values, use_na_sentinel=False)
            strings = pd.Series(uniques).astype(str)
        cache[column] = (codes.astype(np.int64, copy=False), strings.to_numpy(object))
    return cache[column]


def _key_groups(frame: pd.DataFrame, columns: tuple[str, ...], cache: dict) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(_key_series(frame, columns))`` without a string per row: rows are grouped by their joint value
    with integer codes and only each distinct joint value is written as a string (in order of first appearance, so
    the same codes and keys; joint values whose strings coincide are merged as the strings would be)."""
    coded = [_column_codes(frame, column, cache) for column in columns]
    combined = coded[0][0]
    for codes, strings in coded[1:]:
        combined, _ = pd.factorize(combined * len(strings) + codes)  # stays below rows x distinct values
    group, first_values = pd.factorize(combined)
    if not len(group):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=object)
    first = np.empty(len(first_values), dtype=np.int64)
    first[group[::-1]] = np.arange(len(group) - 1, -1, -1)  # the first row of every distinct joint value
    key = coded[0][1][coded[0][0][first]]
    for codes, strings in coded[1:]:
        key = key + "|" + strings[codes[first]]
    merged, keys = pd.factorize(key)
    return merged[group], keys


def _key_positions(frame: pd.DataFrame, columns: tuple[str, ...], index: pd.Index, cache: dict) -> np.ndarray:
    """``index.get_indexer(_key_series(frame, columns))``, vectorised: each distinct joint value is looked up once
    (``_key_groups``: same strings, so the same positions)."""
    group, keys = _key_groups(frame, columns, cache)
    return index.get_indexer(keys)[group] if len(group) else np.zeros(0, dtype=np.intp)


def on_distinct(values: pd.Series, function) -> pd.Series:
    """``function(values.astype(str))`` (a per-element string function) computed on the distinct values only."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    result = function(pd.Series(uniques).astype(str))
    return pd.Series(result.take(codes).array, index=values.index, name=values.name)


def _base_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds the derived string columns (HS2, HS4) used as categoricals."""
    hs = on_distinct(frame[HS6_CODE], lambda s: s.str.zfill(6))
    out = frame.copy(deep=False)  # copy-on-write: the caller's frame is left as it was
    out[HS6_CODE] = hs
    out["HS2"] = on_distinct(hs, lambda s: s.str[:2])
    out["HS4"] = on_distinct(hs, lambda s: s.str[:4])
    return out


class DeclarationFeatures:
    """Fitted on a training frame (with labels); transforms any frame of the layout (labels not needed).

    ``use_extras``: also use the file's usable extra columns (``extra_features.py``) and, when the national tariff
    code is longer than the HS6, its fraud history (``NATIONAL_HISTORY_KEYS``). A file without them gives the
    table of the layout alone, column for column."""

    def __init__(self, *, min_count: int = 2, folds: int = 5, seed: int = 0, use_extras: bool = True):
        self.min_count = min_count
        self.folds = folds
        self.seed = seed
        self.use_extras = use_extras
        self.vocab: dict[str, dict[str, int]] = {}
        self.history: dict[str, pd.DataFrame] = {}
        self.prior = 0.0
        self._set_extra(ExtraFeatures())

    def _set_extra(self, extra: ExtraFeatures) -> None:
        self.extra = extra
        self.history_keys = {**HISTORY_KEYS, **(NATIONAL_HISTORY_KEYS if extra.national_code else {})}
        self.history_names = history_feature_names(self.history_keys)
        self.categorical_features: list[str] = [*CATEGORICAL_FEATURES, *extra.categorical.values()]
        # features that read no label (the model for unseen combinations uses only these)
        self.label_free_features: list[str] = [*LABEL_FREE_FEATURES, *extra.names]
        self.feature_names: list[str] = [*self.label_free_features, *self.history_names]

    # ----- fitting
    def fit_transform(self, train: pd.DataFrame) -> pd.DataFrame:
        """Fits on ``train`` and returns its features, the history ones out of fold."""
        frame = _base_columns(train)
        labels = frame[FRAUD].to_numpy().astype(float)
        self.prior = float(labels.mean())
        for column in CATEGORICAL_FEATURES:
            counts = frame[column].astype(str).value_counts()
            kept = sorted(counts[counts >= self.min_count].index)
            self.vocab[column] = {value: i + 1 for i, value in enumerate(kept)}
        cache: dict = {}
        if self.use_extras:
            taken = {*CATEGORICAL_FEATURES, *NUMERIC_FEATURES}
            self._set_extra(fit_extra_features(frame, taken, self.min_count, _column_codes))
        rng = np.random.default_rng(self.seed)
        fold = rng.integers(0, self.folds, size=len(frame))
        history = np.zeros((len(frame), STATS * len(self.history_keys)), dtype=np.float32)
        for j, (name, cols) in enumerate(self.history_keys.items()):
            # grouped by integer codes, one key at a time: a string per row and key (12 of them) would take
            # gigabytes at millions of rows
            codes, uniques = _key_groups(frame, cols, cache)
            size = np.bincount(codes, minlength=len(uniques)).astype(float)
            frauds = np.bincount(codes, weights=labels, minlength=len(uniques))
            self.history[name] = pd.DataFrame({"size": size, "sum": frauds}, index=pd.Index(uniques, name="key"))
            for k in range(self.folds):
                inside = fold == k
                # statistics of the other folds: all rows minus this fold's rows
                fold_size = size - np.bincount(codes[inside], minlength=len(uniques))
                fold_frauds = frauds - np.bincount(codes[inside], weights=labels[inside], minlength=len(uniques))
                history[inside, STATS * j : STATS * (j + 1)] = self._stats(
                    fold_size[codes[inside]], fold_frauds[codes[inside]]
                )
        features = self._plain(frame, cache)
        features[self.history_names] = history
        return features

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Features of any frame of the layout; each row's depend on that row alone (so a file transformed in
        chunks gives the rows of the whole file's table)."""
        frame = _base_columns(frame)
        cache: dict = {}
        features = self._plain(frame, cache)
        history = np.zeros((len(frame), STATS * len(self.history_keys)), dtype=np.float32)
        for j, (name, cols) in enumerate(self.history_keys.items()):
            table = self.history[name]
            if all(column in frame.columns for column in cols):
                position = _key_positions(frame, cols, table.index, cache)
            else:  # a file scored without the national code: never seen in training
                position = np.full(len(frame), -1, dtype=np.intp)
            seen = position >= 0
            size = np.where(seen, table["size"].to_numpy(float)[position], 0.0)
            frauds = np.where(seen, table["sum"].to_numpy(float)[position], 0.0)
            history[:, STATS * j : STATS * (j + 1)] = self._stats(size, frauds)
        features[self.history_names] = history
        return features

    # ----- helpers
    def _stats(self, size: np.ndarray, frauds: np.ndarray) -> np.ndarray:
        rate = (frauds + PRIOR_WEIGHT * self.prior) / (size + PRIOR_WEIGHT)
        # 5 % quantile of the Beta posterior of the fraud rate (uniform prior): grows with the evidence, so that
        # 8 frauds out of 8 ranks above 3 out of 3; computed once per distinct (count, frauds) pair
        counts, fraud_counts = np.rint(size).astype(np.int64), np.rint(frauds).astype(np.int64)
        pairs, where = np.unique(counts * (fraud_counts.max(initial=0) + 1) + fraud_counts, return_inverse=True)
        pair_size, pair_frauds = pairs // (fraud_counts.max(initial=0) + 1), pairs % (fraud_counts.max(initial=0) + 1)
        low = beta_distribution.ppf(0.05, pair_frauds + 1.0, pair_size - pair_frauds + 1.0)[where.ravel()]
        return np.stack([np.log1p(size), np.log1p(frauds), rate, low], axis=1)

    def _plain(self, frame: pd.DataFrame, cache: dict | None = None) -> pd.DataFrame:
        out = pd.DataFrame(index=frame.index)
        cache = {} if cache is None else cache
        for column in CATEGORICAL_FEATURES:
            vocab = self.vocab[column]
            codes, strings = _column_codes(frame, column, cache)  # looked up once per distinct value
            position = pd.Index(list(vocab), dtype=object).get_indexer(strings)[codes]
            codes = np.fromiter(vocab.values(), dtype=np.int32, count=len(vocab))
            out[column] = np.where(position >= 0, codes[position] if len(codes) else 0, 0).astype(np.int32)
        mass = frame[NET_MASS].to_numpy(float)
        price = frame[ITEM_PRICE].to_numpy(float)
        out["tax_rate"] = frame[TAX_RATE].to_numpy(float)
        out["log_mass"] = np.log1p(np.clip(mass, 0, None))
        out["log_price"] = np.log1p(np.clip(price, 0, None))
        out["log_unit_price"] = out["log_price"] - out["log_mass"]
        out["mass_is_whole"] = (mass == np.round(mass)).astype(np.float32)
        out["origin_differs"] = (
            frame["Country of Departure"].astype(str) != frame["Country of Origin"].astype(str)
        ).astype(np.float32)
        add_extra_features(out, frame, self.extra, _column_codes, cache)
        return out


def labels_of(frame: pd.DataFrame) -> np.ndarray:
    return frame[FRAUD].to_numpy().astype(int)


def critical_of(frame: pd.DataFrame) -> np.ndarray:
    return frame[CRITICAL_FRAUD].to_numpy().astype(int)


def sort_by_date(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(DATE, kind="stable").reset_index(drop=True)


def features_to_state(features: DeclarationFeatures) -> dict:
    """A JSON-serialisable state of a fitted pipeline (no pickle in model directories)."""
    return {
        "min_count": features.min_count,
        "folds": features.folds,
        "seed": features.seed,
        "prior": features.prior,
        "vocab": features.vocab,
        "use_extras": features.use_extras,
        "extra": features.extra.to_state(),
        "history": {
            name: {"keys": list(table.index), "size": table["size"].tolist(), "sum": table["sum"].tolist()}
            for name, table in features.history.items()
        },
    }


def features_from_state(state: dict) -> DeclarationFeatures:
    features = DeclarationFeatures(
        min_count=state["min_count"],
        folds=state["folds"],
        seed=state["seed"],
        use_extras=state.get("use_extras", False),
    )
    features._set_extra(ExtraFeatures.from_state(state.get("extra")))  # absent from models made before extras
    features.prior = float(state["prior"])
    features.vocab = {column: dict(values) for column, values in state["vocab"].items()}
    features.history = {
        name: pd.DataFrame({"size": table["size"], "sum": table["sum"]}, index=pd.Index(table["keys"], name="key"))
        for name, table in state["history"].items()
    }
    return features
