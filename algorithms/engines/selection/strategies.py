"""Selection strategies: each batch, choose ``k`` declarations to inspect among those of the batch.

A strategy is fitted on the revealed declarations only (``fit(revealed)``, with labels) and selects from a batch
whose label columns have been removed (``select(batch, k)``); after the inspection it is told the labels of what
it selected, and only those (``observe``). The simulation loop (``simulation.py``) enforces this: no strategy is
ever handed a label it did not reveal.

- ``random``: k declarations drawn uniformly (the "random inspection" baseline).
- ``profiles``: risky profiles. The smoothed fraud rate of the importer, the declarant, the HS6 code and the
  country of origin among the revealed declarations, combined as ``1 - prod(1 - rate)``; the k highest.
- ``lightgbm``: exploitation with LightGBM on the light feature table (``features.py``): the k most probable.
- ``date``: exploitation with the DATE network of ``algorithms/engines/date_model.py`` (XGBoost leaves as cross
  features, leaf embeddings pooled by the importer x HS6 attention, fraud and revenue heads), lighter settings so
  that it can be retrained every batch (see ``DATE_SETTINGS``).
- ``hybrid_random``: LightGBM exploitation for ``1 - share`` of k, random exploration for the rest.
- ``hybrid_bate``: LightGBM exploitation, and an explorer in the spirit of bATE (Kim et al., "Active learning for
  human-in-the-loop customs inspection", IEEE TKDE 2022): candidates weighted by uncertainty (``1 - |2p - 1|``)
  and by the log of the predicted revenue (probability x declared duty), drawn one by one like k-means++ in the
  model's leaf-index space (the probability grows with the squared Hamming distance to the declarations already
  chosen, the exploitation picks included), so the exploration set is uncertain, valuable and diverse.
- ``adaptive``: ``hybrid_bate`` whose exploration share moves after every batch from what was observed (see
  ``AdaptiveShare``).
"""

from __future__ import annotations

import math

import lightgbm as lgb
import numpy as np
import pandas as pd
import torch
import xgboost as xgb

from algorithms.declarations import FRAUD, HS6_CODE, IMPORTER_ID
from algorithms.engines import date_model
from algorithms.engines.selection.features import (
    CATEGORIES,
    PROFILE_KEYS,
    HistoryTable,
    SelectionFeatures,
    declared_duty,
    key_values,
    revenue_of,
    smoothed_rate,
)
from algorithms.engines.selection.names import STRATEGY_LABELS, STRATEGY_NAMES  # noqa: F401 (re-exported)

LIGHTGBM_SETTINGS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.9,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "cat_smooth": 20.0,
    "verbose": -1,
    "deterministic": True,
    "force_row_wise": True,
}
LIGHTGBM_ROUNDS = 120
# DATE lighter than the DATE job's defaults (60 trees, 3 networks of 5 epochs): one network, 3 epochs.
DATE_SETTINGS = {"trees": 40, "depth": 4, "eta": 0.3, "dim": 16, "epochs": 3, "batch": 512, "lr": 0.01, "alpha": 1.0}


def _top(scores: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Positions of the k highest scores; ties broken at random (seeded), never by row order."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    tiebreak = rng.random(len(scores))
    order = np.lexsort((tiebreak, -np.asarray(scores, dtype=float)))
    return order[:k].astype(np.int64)


# ----------------------------------------------------------------------------------------------- scorers
class ProfileScorer:
    """Risky profiles from revealed labels: smoothed fraud rate per importer, declarant, HS6 and origin."""

    def fit(self, revealed: pd.DataFrame, seed: int) -> None:
        labels = revealed[FRAUD].to_numpy().astype(float)
        self.prior = float(labels.mean()) if len(labels) else 0.0
        frame = revealed.assign(**{HS6_CODE: revealed[HS6_CODE].astype(str).str.zfill(6)})
        self.tables = {name: HistoryTable(key_values(frame, cols), labels) for name, cols in PROFILE_KEYS.items()}

    def score(self, batch: pd.DataFrame) -> np.ndarray:
        frame = batch.assign(**{HS6_CODE: batch[HS6_CODE].astype(str).str.zfill(6)})
        clean = np.ones(len(batch))
        for name, cols in PROFILE_KEYS.items():
            count, frauds = self.tables[name].lookup(key_values(frame, cols))
            clean *= 1.0 - smoothed_rate(count, frauds, self.prior)
        return 1.0 - clean


class LightGBMScorer:
    def __init__(self, threads: int = 1):
        self.threads = threads

    def fit(self, revealed: pd.DataFrame, seed: int) -> None:
        self.features = SelectionFeatures(seed=seed)
        table = self.features.fit_transform(revealed)
        labels = revealed[FRAUD].to_numpy().astype(int)
        self.constant = None
        if labels.min(initial=0) == labels.max(initial=0):  # one class only: nothing to learn
            self.constant = float(labels.mean()) if len(labels) else 0.0
            return
        params = {**LIGHTGBM_SETTINGS, "seed": seed, "num_threads": self.threads}
        dataset = lgb.Dataset(table, label=labels, categorical_feature=list(CATEGORIES), free_raw_data=False)
        self.booster = lgb.train(params, dataset, num_boost_round=LIGHTGBM_ROUNDS)

    def score(self, batch: pd.DataFrame) -> np.ndarray:
        if self.constant is not None:
            return np.full(len(batch), self.constant)
        return self.booster.predict(self.features.transform(batch))

    def leaves(self, batch: pd.DataFrame) -> np.ndarray:
        """Leaf index of each row in each tree (rows x trees): the space the bATE-style explorer diversifies in."""
        if self.constant is not None:
            return np.zeros((len(batch), 1), dtype=np.int32)
        return np.asarray(self.booster.predict(self.features.transform(batch), pred_leaf=True)).reshape(len(batch), -1)


class DateScorer:
    """The DATE network (``date_model``) on XGBoost leaves of the light feature table, retrained from scratch."""

    def __init__(self, threads: int = 1):
        self.threads = threads

    def fit(self, revealed: pd.DataFrame, seed: int) -> None:
        settings = DATE_SETTINGS
        torch.manual_seed(seed)
        torch.set_num_threads(self.threads)
        self.features = SelectionFeatures(seed=seed)
        table = self.features.fit_transform(revealed)
        labels = revealed[FRAUD].to_numpy().astype(int)
        self.constant = None
        if labels.min(initial=0) == labels.max(initial=0):
            self.constant = float(labels.mean()) if len(labels) else 0.0
            return
        self.trees = xgb.train(
            {
                "objective": "binary:logistic",
                "tree_method": "hist",
                "max_depth": settings["depth"],
                "eta": settings["eta"],
                "seed": seed,
                "nthread": self.threads,
                "verbosity": 0,
            },
            xgb.DMatrix(table.to_numpy(np.float32), label=labels),
            num_boost_round=settings["trees"],
        )
        self.nodes_per_tree = 2 ** (settings["depth"] + 1)
        self.importers = date_model.IdVocabulary(revealed[IMPORTER_ID], 2)
        self.items = date_model.IdVocabulary(revealed[HS6_CODE].astype(str).str.zfill(6), 2)
        values = table.to_numpy(np.float64)
        self.mean, self.std = values.mean(axis=0), np.maximum(values.std(axis=0), 1e-6)
        revenue = np.log1p(revenue_of(revealed))
        scale = float(max(revenue.max(initial=0.0), 1.0))
        self.network = date_model.DateNetwork(
            settings["trees"] * self.nodes_per_tree,
            len(self.importers),
            len(self.items),
            dim=settings["dim"],
            n_dense=table.shape[1],
        )
        inputs = self._inputs(revealed, table)
        tensors = (
            *(torch.from_numpy(x) for x in inputs),
            torch.from_numpy(labels.astype(np.float32)),
            torch.from_numpy((revenue / scale).astype(np.float32)),
        )
        optimizer = torch.optim.Adam(self.network.parameters(), lr=settings["lr"], weight_decay=1e-6)
        generator = torch.Generator().manual_seed(seed)
        for _epoch in range(settings["epochs"]):
            date_model.train_epoch(
                self.network, optimizer, tensors, batch=settings["batch"], alpha=settings["alpha"], generator=generator
            )

    def _inputs(self, frame: pd.DataFrame, table: pd.DataFrame):
        raw = np.asarray(self.trees.predict(xgb.DMatrix(table.to_numpy(np.float32)), pred_leaf=True))
        leaves = date_model.leaf_indexes(raw.reshape(len(table), -1), self.nodes_per_tree)
        dense = ((table.to_numpy(np.float64) - self.mean) / self.std).astype(np.float32)
        return (
            leaves,
            self.importers.encode(frame[IMPORTER_ID]),
            self.items.encode(frame[HS6_CODE].astype(str).str.zfill(6)),
            np.ascontiguousarray(dense),
        )

    def score(self, batch: pd.DataFrame) -> np.ndarray:
        if self.constant is not None:
            return np.full(len(batch), self.constant)
        table = self.features.transform(batch)
        probability, _revenue = date_model.predict(self.network, *self._inputs(batch, table))
        return probability


# ----------------------------------------------------------------------------------------------- explorers
def bate_explore(
    candidates: np.ndarray,
    count: int,
    probability: np.ndarray,
    duty: np.ndarray,
    leaves: np.ndarray,
    chosen: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """``count`` of ``candidates`` (positions), drawn by uncertainty x revenue weight x squared distance in leaf
    space to what is already chosen (k-means++ style). All arrays are indexed by batch position."""
    if count <= 0 or len(candidates) == 0:
        return np.zeros(0, dtype=np.int64)
    count = min(count, len(candidates))
    p = probability[candidates]
    uncertainty = 1.0 - np.abs(2.0 * p - 1.0)
    value = np.log1p(p * duty[candidates])
    value = value / value.max() if value.max() > 0 else np.zeros_like(value)
    weight = uncertainty * (0.5 + 0.5 * value) + 1e-9
    pool_size = min(len(candidates), 20 * count + 50)
    pool = candidates[np.argsort(-weight, kind="stable")[:pool_size]]
    pool_weight = np.sort(weight)[::-1][:pool_size]
    pool_leaves = leaves[pool]
    if len(chosen):
        distance = np.min(
            [(pool_leaves != leaves[c]).mean(axis=1) for c in chosen[:200]], axis=0
        )  # nearest chosen declaration (the first 200 exploitation picks suffice for the distance)
    else:
        distance = np.ones(len(pool))
    picked: list[int] = []
    available = np.ones(len(pool), dtype=bool)
    for _ in range(count):
        mass = pool_weight * np.maximum(distance, 1e-3) ** 2 * available
        if mass.sum() <= 0:
            break
        position = int(rng.choice(len(pool), p=mass / mass.sum()))
        picked.append(position)
        available[position] = False
        distance = np.minimum(distance, (pool_leaves != pool_leaves[position]).mean(axis=1))
    return pool[np.array(picked, dtype=np.int64)]


class AdaptiveShare:
    """The adaptive hybrid's exploration share, moved after each batch from what was observed.

    ``signal = (precision of the exploration picks - precision of the exploitation picks)
    + (mean exploitation precision of the earlier batches - this batch's)``: exploration grows when it finds fraud
    as well as exploitation does, or when exploitation's precision falls below its own past (decay, drift), and
    shrinks otherwise. ``share <- clip(share * exp(RATE * signal), MINIMUM, MAXIMUM)``.
    """

    RATE, MINIMUM, MAXIMUM = 2.0, 0.02, 0.5

    def __init__(self, share: float):
        self.share = min(max(share, self.MINIMUM), self.MAXIMUM)
        self.exploit_history: list[float] = []

    def update(self, exploit_precision: float | None, explore_precision: float | None) -> None:
        if exploit_precision is None or explore_precision is None:
            return
        past = float(np.mean(self.exploit_history)) if self.exploit_history else exploit_precision
        signal = (explore_precision - exploit_precision) + (past - exploit_precision)
        self.exploit_history.append(exploit_precision)
        self.share = float(min(max(self.share * math.exp(self.RATE * signal), self.MINIMUM), self.MAXIMUM))


# ----------------------------------------------------------------------------------------------- strategies
class Strategy:
    """Base: fit on revealed declarations, select from an unlabelled batch, observe the revealed picks."""

    name = ""
    scorer = None

    def __init__(self, *, threads: int = 1, share: float = 0.0):
        self.threads = threads
        self.share = share

    def fit(self, revealed: pd.DataFrame, seed: int) -> None:
        if self.scorer is not None:
            self.scorer.fit(revealed, seed)

    def select(self, batch: pd.DataFrame, k: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Positions chosen in ``batch`` and, for each, whether it was an exploration pick."""
        raise NotImplementedError

    def observe(self, labels: np.ndarray, explored: np.ndarray) -> None:
        """The revealed labels of the picks (nothing else)."""

    @property
    def exploration_share(self) -> float:
        return self.share


class RandomStrategy(Strategy):
    name = "random"

    def select(self, batch, k, rng):
        picks = rng.permutation(len(batch))[:k].astype(np.int64)
        return picks, np.ones(len(picks), dtype=bool)

    @property
    def exploration_share(self) -> float:
        return 1.0


class ExploitStrategy(Strategy):
    def select(self, batch, k, rng):
        picks = _top(self.scorer.score(batch), k, rng)
        return picks, np.zeros(len(picks), dtype=bool)


class ProfilesStrategy(ExploitStrategy):
    name = "profiles"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scorer = ProfileScorer()


class LightGBMStrategy(ExploitStrategy):
    name = "lightgbm"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scorer = LightGBMScorer(self.threads)


class DateStrategy(ExploitStrategy):
    name = "date"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scorer = DateScorer(self.threads)


class HybridStrategy(Strategy):
    """LightGBM exploitation for ``1 - share`` of the picks, exploration for the rest."""

    explorer = "random"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scorer = LightGBMScorer(self.threads)

    def select(self, batch, k, rng):
        explore = min(k, round(self.exploration_share * k))
        probability = self.scorer.score(batch)
        exploit = _top(probability, k - explore, rng)
        rest = np.setdiff1d(np.arange(len(batch)), exploit)
        if self.explorer == "random":
            extra = rng.permutation(rest)[:explore].astype(np.int64)
        else:
            extra = bate_explore(
                rest, explore, probability, declared_duty(batch), self.scorer.leaves(batch), exploit, rng
            )
        picks = np.concatenate([exploit, extra]).astype(np.int64)
        return picks, np.concatenate([np.zeros(len(exploit), bool), np.ones(len(extra), bool)])


class HybridRandomStrategy(HybridStrategy):
    name = "hybrid_random"


class HybridBateStrategy(HybridStrategy):
    name = "hybrid_bate"
    explorer = "bate"


class AdaptiveStrategy(HybridBateStrategy):
    name = "adaptive"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.adaptive = AdaptiveShare(self.share)

    @property
    def exploration_share(self) -> float:
        return self.adaptive.share

    def observe(self, labels, explored):
        exploit = labels[~explored]
        explore = labels[explored]
        self.adaptive.update(
            float(exploit.mean()) if len(exploit) else None, float(explore.mean()) if len(explore) else None
        )


STRATEGIES = {
    cls.name: cls
    for cls in (
        RandomStrategy,
        ProfilesStrategy,
        LightGBMStrategy,
        DateStrategy,
        HybridRandomStrategy,
        HybridBateStrategy,
        AdaptiveStrategy,
    )
}
