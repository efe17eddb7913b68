"""Fraud-detection metrics and the LightGBM baseline, public for other engines (AI-Synth's utility metric).

Metrics follow the DATE paper (Kim et al., KDD 2020): declarations are ranked by predicted fraud score and the
top n % are "inspected". Precision@n% is the share of frauds among the inspected, Recall@n% the share of all
frauds that were inspected, Revenue@n% the share of the total (proxy) revenue at stake that the inspected rows
carry (see ``features.revenue_proxy``). ``k = max(1, round(n/100 * rows))``; ties are broken by row order
(a stable sort), so the figures are deterministic.

Usage by another engine::

    from algorithms.engines.fraud_metrics import precision_at, train_lightgbm_baseline
    model = train_lightgbm_baseline(train_df, valid_df, seed=0)   # frames from read_declarations, with labels
    scores = model.predict(test_df)                               # labels not needed
    precision_at(scores, test_df["Fraud"].to_numpy(), 5)
"""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd

from algorithms.engines.features import DeclarationFeatures, labels_of

INSPECTION_RATES = (1, 2, 5, 10)  # percent
# The finer grid of the precision/recall/revenue curves the job pages draw (``ranking_curves``).
CURVE_RATES = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30)

# Tuned on the public data (fit on the train file, judged on the valid file by mean precision at 1/2/5/10 %, then
# AUC): a grid of 48 settings, num_leaves 15/31/63 x learning_rate 0.05/0.1 x min_data_in_leaf 20/50 x cat_smooth
# 10/50 x feature_fraction 0.8/1.0, on the engine's feature table; early stopping picks the number of trees.
LIGHTGBM_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "cat_smooth": 50.0,
    "cat_l2": 10.0,
    "max_cat_to_onehot": 8,
    "min_data_per_group": 20,
    "verbose": -1,
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
}
LIGHTGBM_ROUNDS = 600
LIGHTGBM_EARLY_STOPPING = 50


def _top(scores: np.ndarray, rate: float) -> np.ndarray:
    scores = np.asarray(scores, dtype=float)
    k = max(1, round(len(scores) * rate / 100.0))
    order = np.argsort(-scores, kind="stable")
    return order[:k]


def precision_at(scores, labels, rate: float) -> float:
    """Share of frauds among the top ``rate`` percent of declarations by score."""
    labels = np.asarray(labels)
    if len(labels) == 0:
        return 0.0
    return float(labels[_top(scores, rate)].mean())


def recall_at(scores, labels, rate: float) -> float:
    """Share of all frauds found in the top ``rate`` percent."""
    labels = np.asarray(labels)
    total = labels.sum()
    if total == 0:
        return 0.0
    return float(labels[_top(scores, rate)].sum() / total)


def revenue_at(scores, revenue, rate: float) -> float:
    """Share of the total revenue at stake carried by the top ``rate`` percent."""
    revenue = np.asarray(revenue, dtype=float)
    total = revenue.sum()
    if total <= 0:
        return 0.0
    return float(revenue[_top(scores, rate)].sum() / total)


def auc(scores, labels) -> float:
    """ROC AUC by the rank formula (ties averaged); 0.5 when only one class is present."""
    labels = np.asarray(labels).astype(bool)
    positives, negatives = labels.sum(), (~labels).sum()
    if positives == 0 or negatives == 0:
        return 0.5
    ranks = pd.Series(np.asarray(scores, dtype=float)).rank(method="average").to_numpy()
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def ranking_metrics(scores, labels, revenue) -> dict:
    """Precision, recall and revenue at every inspection rate, and AUC."""
    out = {"auc": round(auc(scores, labels), 4)}
    for rate in INSPECTION_RATES:
        out[f"precision@{rate}"] = round(precision_at(scores, labels, rate), 4)
        out[f"recall@{rate}"] = round(recall_at(scores, labels, rate), 4)
        out[f"revenue@{rate}"] = round(revenue_at(scores, revenue, rate), 4)
    return out


def ranking_curves(scores, labels, revenue, rates=CURVE_RATES) -> dict:
    """Precision, recall and revenue share at each of ``rates`` (percent inspected), as lists in that order."""
    return {
        "precision": [round(precision_at(scores, labels, rate), 4) for rate in rates],
        "recall": [round(recall_at(scores, labels, rate), 4) for rate in rates],
        "revenue": [round(revenue_at(scores, revenue, rate), 4) for rate in rates],
    }


def lightgbm_dataset(features: pd.DataFrame, categorical: list[str], labels=None) -> lgb.Dataset:
    return lgb.Dataset(features, label=labels, categorical_feature=categorical, free_raw_data=False)


def fit_lightgbm(train_x, train_y, valid_x, valid_y, categorical: list[str], seed: int, threads: int = 1):
    """LightGBM with native categoricals, early-stopped on the valid split (average precision)."""
    params = {**LIGHTGBM_PARAMS, "seed": seed, "num_threads": threads, "metric": "average_precision"}
    train_set = lightgbm_dataset(train_x, categorical, train_y)
    valid_set = lgb.Dataset(valid_x, label=valid_y, categorical_feature=categorical, reference=train_set)
    return lgb.train(
        params,
        train_set,
        num_boost_round=LIGHTGBM_ROUNDS,
        valid_sets=[valid_set],
        callbacks=[lgb.early_stopping(LIGHTGBM_EARLY_STOPPING, verbose=False)],
    )


@dataclass
class LightGBMBaseline:
    """The fitted feature pipeline and booster; ``predict(frame)`` returns fraud scores (labels not needed)."""

    features: DeclarationFeatures
    booster: lgb.Booster

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        return self.booster.predict(self.features.transform(frame), num_iteration=self.booster.best_iteration)


def train_lightgbm_baseline(train_df: pd.DataFrame, valid_df: pd.DataFrame, seed: int) -> LightGBMBaseline:
    """The DATE job's LightGBM baseline on frames from ``read_declarations`` (with the Fraud column)."""
    features = DeclarationFeatures(seed=seed)
    train_x = features.fit_transform(train_df)
    valid_x = features.transform(valid_df)
    booster = fit_lightgbm(
        train_x, labels_of(train_df), valid_x, labels_of(valid_df), features.categorical_features, seed
    )
    return LightGBMBaseline(features, booster)
