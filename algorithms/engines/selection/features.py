"""A light feature table for the selection simulation, refitted on the revealed labels at every retraining.

The simulation retrains each model up to 52 times per strategy, so the table is smaller than the DATE job's
(``algorithms/engines/features.py``): a few low-cardinality codes as categories, five numbers, and the smoothed
fraud history ("risk profiles") of eight keys -- importer, declarant, HS6, country of origin, the goods tuple
(HS6, countries, tax rate, tax type, net mass), HS6 + net mass, HS6 + item price and the item price. The history of
the training rows is computed out of fold (``FOLDS`` random folds), so a training row never sees its own label;
every other row gets the history of the whole training set. Only the frame passed to ``fit_transform`` is read for
labels: in the simulation that frame holds the revealed declarations only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from algorithms.declarations import FRAUD, HS6_CODE, IMPORTER_ID, ITEM_PRICE, NET_MASS, TAX_RATE

CATEGORIES = (
    "Office ID",
    "Process Type",
    "Import Type",
    "Import Use",
    "Payment Type",
    "Mode of Transport",
    "Country of Departure",
    "Country of Origin",
    "Tax Type",
    "Country of Origin Indicator",
    "HS2",
    "HS4",
)
NUMBERS = ("tax_rate", "log_mass", "log_price", "log_unit_price", "log_duty")
GOODS = (HS6_CODE, "Country of Departure", "Country of Origin", TAX_RATE, "Tax Type", NET_MASS)
# The four "risky profile" keys of the profiles strategy come first.
PROFILE_KEYS = {
    "importer": (IMPORTER_ID,),
    "declarant": ("Declarant ID",),
    "hs6": (HS6_CODE,),
    "origin": ("Country of Origin",),
}
HISTORY_KEYS = {
    **PROFILE_KEYS,
    "goods": GOODS,
    "hs_mass": (HS6_CODE, NET_MASS),
    "hs_price": (HS6_CODE, ITEM_PRICE),
    "price": (ITEM_PRICE,),
}
PRIOR_WEIGHT = 5.0  # pseudo-count of the smoothed fraud rate (rate = (frauds + w * prior) / (count + w))
FOLDS = 5


def declared_duty(frame: pd.DataFrame) -> np.ndarray:
    """Duty declared on the row, Item Price x Tax Rate / 100 (KRW): known before inspection."""
    duty = frame[ITEM_PRICE].to_numpy(float) * frame[TAX_RATE].to_numpy(float) / 100.0
    return np.clip(np.nan_to_num(duty, nan=0.0), 0.0, None)


def revenue_of(frame: pd.DataFrame) -> np.ndarray:
    """Revenue at stake (the DATE job's proxy): the declared duty on a fraudulent row, 0 otherwise."""
    return declared_duty(frame) * (frame[FRAUD].to_numpy() > 0)


def key_values(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    key = frame[columns[0]].astype(str).to_numpy(object)
    for column in columns[1:]:
        key = key + "|" + frame[column].astype(str).to_numpy(object)
    return key


def smoothed_rate(count: np.ndarray, frauds: np.ndarray, prior: float) -> np.ndarray:
    return (frauds + PRIOR_WEIGHT * prior) / (count + PRIOR_WEIGHT)


class HistoryTable:
    """Counts and frauds per value of one key, from revealed labels."""

    def __init__(self, keys: np.ndarray, labels: np.ndarray):
        codes, uniques = pd.factorize(keys)
        self.index = pd.Index(uniques)
        self.count = np.bincount(codes, minlength=len(uniques)).astype(float)
        self.frauds = np.bincount(codes, weights=labels, minlength=len(uniques))

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        position = self.index.get_indexer(keys)
        seen = position >= 0
        count = np.where(seen, self.count[np.where(seen, position, 0)], 0.0) if len(self.count) else np.zeros(len(keys))
        frauds = (
            np.where(seen, self.frauds[np.where(seen, position, 0)], 0.0) if len(self.count) else np.zeros(len(keys))
        )
        return count, frauds


def _with_hs(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    hs = out[HS6_CODE].astype(str).str.zfill(6)
    out[HS6_CODE] = hs
    out["HS2"] = hs.str[:2]
    out["HS4"] = hs.str[:4]
    return out


class SelectionFeatures:
    """Fitted on revealed declarations (with labels); transforms any frame of the layout (labels never read)."""

    def __init__(self, *, seed: int = 0):
        self.seed = seed
        self.prior = 0.0
        self.vocab: dict[str, pd.Index] = {}
        self.tables: dict[str, HistoryTable] = {}
        self.names = [*CATEGORIES, *NUMBERS, *(f"{k}_{s}" for k in HISTORY_KEYS for s in ("n", "rate"))]

    def fit_transform(self, train: pd.DataFrame) -> pd.DataFrame:
        frame = _with_hs(train)
        labels = frame[FRAUD].to_numpy().astype(float)
        self.prior = float(labels.mean()) if len(labels) else 0.0
        for column in CATEGORIES:
            self.vocab[column] = pd.Index(sorted(frame[column].astype(str).unique()))
        out = self._plain(frame)
        fold = np.random.default_rng(self.seed).integers(0, FOLDS, size=len(frame))
        for name, columns in HISTORY_KEYS.items():
            keys = key_values(frame, columns)
            table = HistoryTable(keys, labels)
            self.tables[name] = table
            codes = table.index.get_indexer(keys)
            count, frauds = np.zeros(len(frame)), np.zeros(len(frame))
            for k in range(FOLDS):
                inside = fold == k
                fold_count = np.bincount(codes[inside], minlength=len(table.index))
                fold_frauds = np.bincount(codes[inside], weights=labels[inside], minlength=len(table.index))
                count[inside] = (table.count - fold_count)[codes[inside]]
                frauds[inside] = (table.frauds - fold_frauds)[codes[inside]]
            out[f"{name}_n"] = np.log1p(count)
            out[f"{name}_rate"] = smoothed_rate(count, frauds, self.prior)
        return out

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame = _with_hs(frame)
        out = self._plain(frame)
        for name, columns in HISTORY_KEYS.items():
            count, frauds = self.tables[name].lookup(key_values(frame, columns))
            out[f"{name}_n"] = np.log1p(count)
            out[f"{name}_rate"] = smoothed_rate(count, frauds, self.prior)
        return out

    def _plain(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=frame.index)
        for column in CATEGORIES:
            position = self.vocab[column].get_indexer(frame[column].astype(str).to_numpy(object))
            out[column] = (position + 1).astype(np.int32)  # 0: unseen in training
        mass = np.clip(frame[NET_MASS].to_numpy(float), 0, None)
        price = np.clip(frame[ITEM_PRICE].to_numpy(float), 0, None)
        out["tax_rate"] = frame[TAX_RATE].to_numpy(float)
        out["log_mass"] = np.log1p(mass)
        out["log_price"] = np.log1p(price)
        out["log_unit_price"] = out["log_price"] - out["log_mass"]
        out["log_duty"] = np.log1p(declared_duty(frame))
        return out
