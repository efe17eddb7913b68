"""The models: XGBoost, LightGBM, the DATE network, and the models of unseen importer x HS combinations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
import xgboost as xgb

from algorithms.declarations import HS6_CODE, IMPORTER_ID
from algorithms.engines import date_model
from algorithms.engines.features import (
    CATEGORICAL_FEATURES,
    LABEL_FREE_FEATURES,
    labels_of,
    on_distinct,
    revenue_proxy,
)
from algorithms.engines.fraud_metrics import fit_lightgbm

from .data import MIN_EVAL_FRAUDS

PREDICT_CHUNK_ROWS = 100 * date_model.PREDICT_BATCH  # rows of valid / test the DATE model predicts at a time


# ----------------------------------------------------------------------------------------------- models
def _seed_everything(seed: int, threads: int) -> None:
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    torch.set_num_threads(threads)


def _xgb_params(params: dict, seed: int, *, depth: int, eta: float) -> dict:
    return {
        "objective": "binary:logistic",
        "eval_metric": "aucpr",
        "tree_method": "hist",
        "max_depth": depth,
        "eta": eta,
        "subsample": 0.9,
        "colsample_bytree": 0.9,
        "min_child_weight": 1.0,
        "seed": seed,
        "nthread": params["threads"],
        "verbosity": 0,
    }


def fit_xgboost(train_x, train_y, valid_x, valid_y, params: dict, seed: int) -> xgb.Booster:
    """Plain XGBoost: every feature numeric (category codes as numbers), early-stopped on valid."""
    # quantised at once (one byte per value): a DMatrix would also keep every value with its column index (8 bytes),
    # and the hist method trains on the same bins either way
    dtrain = xgb.QuantileDMatrix(train_x.to_numpy(np.float32), label=train_y)
    dvalid = xgb.DMatrix(valid_x.to_numpy(np.float32), label=valid_y)
    return xgb.train(
        _xgb_params(params, seed, depth=params["xgb_depth"], eta=params["xgb_eta"]),
        dtrain,
        num_boost_round=params["xgb_rounds"],
        evals=[(dvalid, "valid")],
        early_stopping_rounds=40,
        verbose_eval=False,
    )


def predict_xgboost(booster: xgb.Booster, features: pd.DataFrame) -> np.ndarray:
    matrix = xgb.DMatrix(features.to_numpy(np.float32))
    return booster.predict(matrix, iteration_range=(0, booster.best_iteration + 1))


class DateModel:
    """The DATE tree part (XGBoost), id vocabularies and network, with the revenue scale."""

    def __init__(self, trees: xgb.Booster, networks, importers, items, depth: int, revenue_scale: float, dense):
        self.trees = trees
        self.dense = dense  # {"columns": [...], "mean": [...], "std": [...]}
        self.networks = networks  # one or more networks (different seeds); their outputs are averaged
        self.importers = importers
        self.items = items
        self.depth = depth
        self.revenue_scale = revenue_scale

    @property
    def nodes_per_tree(self) -> int:
        return 2 ** (self.depth + 1)

    def inputs(self, frame: pd.DataFrame, features: pd.DataFrame):
        raw = self.trees.predict(xgb.DMatrix(features.to_numpy(np.float32)), pred_leaf=True)
        raw = np.asarray(raw).reshape(len(features), -1)
        leaves = date_model.leaf_indexes(raw, self.nodes_per_tree)
        dense = features[self.dense["columns"]].to_numpy(np.float32)
        dense = ((dense - np.float32(self.dense["mean"])) / np.float32(self.dense["std"])).astype(np.float32)
        dense = np.nan_to_num(dense, nan=0.0)  # an empty numeric extra cell: the training mean
        return (
            leaves,
            self.importers.encode(frame[IMPORTER_ID]),
            self.items.encode(on_distinct(frame[HS6_CODE], lambda s: s.str.zfill(6))),
            np.ascontiguousarray(dense),
        )

    def predict(self, frame: pd.DataFrame, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Fraud probability and predicted revenue (KRW) per row."""
        inputs = self.inputs(frame, features)
        outputs = [date_model.predict(network, *inputs) for network in self.networks]
        probability = np.mean([p for p, _ in outputs], axis=0)
        revenue = np.mean([r for _, r in outputs], axis=0)
        return probability, np.expm1(revenue * self.revenue_scale)

    def predict_in_chunks(
        self, frame: pd.DataFrame, features: pd.DataFrame, chunk_rows: int = PREDICT_CHUNK_ROWS
    ) -> tuple[np.ndarray, np.ndarray]:
        """``predict`` ``chunk_rows`` rows at a time (a multiple of the network's forward pass, so the same figures):
        the tree leaves, their matrix and the network inputs of hundreds of thousands of rows are never held at once."""
        parts = [
            self.predict(frame.iloc[start : start + chunk_rows], features.iloc[start : start + chunk_rows])
            for start in range(0, len(features), chunk_rows)
        ]
        if not parts:
            return np.zeros(0), np.zeros(0)
        return np.concatenate([p for p, _ in parts]), np.concatenate([r for _, r in parts])


def fit_date(
    train, train_x, valid, valid_x, params: dict, seed: int, progress, start: int, end: int, categorical=None
) -> DateModel:
    """Trees, then each network epoch by epoch, keeping its epoch with the lowest valid log loss. ``categorical``:
    the table's category-code columns (the layout's by default), left out of the network's dense inputs."""
    train_y, valid_y = labels_of(train), labels_of(valid)
    trees = xgb.train(
        _xgb_params(params, seed, depth=params["date_depth"], eta=params["date_eta"]),
        xgb.DMatrix(train_x.to_numpy(np.float32), label=train_y),
        num_boost_round=params["date_trees"],
        verbose_eval=False,
    )
    importers = date_model.IdVocabulary(train[IMPORTER_ID], params["date_min_id_count"])
    items = date_model.IdVocabulary(on_distinct(train[HS6_CODE], lambda s: s.str.zfill(6)), params["date_min_id_count"])
    revenue_log = np.log1p(revenue_proxy(train))
    revenue_scale = float(max(revenue_log.max(), 1.0))
    categorical = set(CATEGORICAL_FEATURES if categorical is None else categorical)
    dense_columns = [c for c in train_x.columns if c not in categorical]
    dense_values = train_x[dense_columns].to_numpy(np.float64)
    with np.errstate(all="ignore"):  # a numeric extra column may be empty on every sampled row
        mean, std = np.nanmean(dense_values, axis=0), np.nanstd(dense_values, axis=0)
    dense = {
        "columns": dense_columns,
        "mean": np.nan_to_num(mean).tolist(),
        "std": np.maximum(np.nan_to_num(std), 1e-6).tolist(),
    }
    model = DateModel(trees, [], importers, items, params["date_depth"], revenue_scale, dense)
    leaves, importer, item, dense_x = model.inputs(train, train_x)
    tensors = (
        torch.from_numpy(leaves),
        torch.from_numpy(importer),
        torch.from_numpy(item),
        torch.from_numpy(dense_x),
        torch.from_numpy(train_y.astype(np.float32)),
        torch.from_numpy((revenue_log / revenue_scale).astype(np.float32)),
    )
    valid_inputs = model.inputs(valid, valid_x)
    epochs, count = params["date_epochs"], params["date_networks"]
    for index in range(count):
        network_seed = seed + 1000 * index
        torch.manual_seed(network_seed)
        network = _new_network(params, model, n_dense=len(dense_columns))
        optimizer = torch.optim.Adam(network.parameters(), lr=params["date_lr"], weight_decay=1e-6)
        schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=params["date_lr_decay"])
        generator = torch.Generator().manual_seed(network_seed)
        best, best_state = None, None
        for epoch in range(epochs):
            done = index * epochs + epoch
            network_text = f" (network {index + 1} of {count})" if count > 1 else ""
            progress(
                start + (end - start) * done // (epochs * count), f"DATE epoch {epoch + 1} of {epochs}{network_text}"
            )
            date_model.train_epoch(
                network, optimizer, tensors, batch=params["date_batch"], alpha=params["date_alpha"], generator=generator
            )
            schedule.step()
            probability, _ = date_model.predict(network, *valid_inputs)
            quality = -_log_loss(probability, valid_y)
            if best is None or quality > best:
                best, best_state = quality, {k: v.clone() for k, v in network.state_dict().items()}
        network.load_state_dict(best_state)
        model.networks.append(network)
    return model


def _new_network(params: dict, model: DateModel, n_dense: int) -> date_model.DateNetwork:
    return date_model.DateNetwork(
        params["date_trees"] * model.nodes_per_tree,
        len(model.importers),
        len(model.items),
        dim=params["date_dim"],
        heads=params["date_heads"],
        self_attention=params["date_self_attention"],
        n_dense=n_dense if params["date_wide"] else 0,
    )


def _log_loss(probability: np.ndarray, labels: np.ndarray) -> float:
    probability = np.clip(probability, 1e-6, 1 - 1e-6)
    return round(float(-np.mean(labels * np.log(probability) + (1 - labels) * np.log(1 - probability))), 6)


# ----------------------------------------------------------------------------------------------- unseen combinations
def _enough(labels: np.ndarray, needed: int = MIN_EVAL_FRAUDS) -> bool:
    frauds = int(np.sum(labels))
    return frauds >= needed and len(labels) - frauds >= needed


def fit_unseen_models(
    train_x, train_y, valid_x, valid_y, valid_unseen, params: dict, seed: int, columns=None, categorical=None
) -> list:
    """LightGBMs on the label-free features only, early-stopped on the unseen valid rows (all valid rows when there
    are too few), one per seed; their probabilities are averaged (``predict_unseen``). ``columns`` and
    ``categorical``: the fitted pipeline's ``label_free_features`` and ``categorical_features`` (the layout's by
    default)."""
    columns = list(LABEL_FREE_FEATURES if columns is None else columns)
    categorical = [c for c in (CATEGORICAL_FEATURES if categorical is None else categorical) if c in columns]
    rows = valid_unseen if _enough(valid_y[valid_unseen]) else np.ones(len(valid_y), dtype=bool)
    return [
        fit_lightgbm(
            train_x[columns],
            train_y,
            valid_x.loc[rows, columns],
            valid_y[rows],
            categorical,
            seed + 7919 * index,
            threads=params["threads"],
        )
        for index in range(params["unseen_models"])
    ]


def predict_unseen(boosters: list, features: pd.DataFrame, columns=None) -> np.ndarray:
    columns = list(LABEL_FREE_FEATURES if columns is None else columns)
    return np.mean([b.predict(features[columns], num_iteration=b.best_iteration or None) for b in boosters], axis=0)


def is_unseen(features: pd.DataFrame) -> np.ndarray:
    """Rows whose goods combination (``features.COMBINATION``) never occurs in the fitted training history."""
    return features["goods_n"].to_numpy() == 0


def routed_scores(history_scores: np.ndarray, unseen_scores: np.ndarray, unseen: np.ndarray) -> np.ndarray:
    """The history model's score on seen combinations, the label-free model's on unseen ones."""
    return np.where(unseen, unseen_scores, history_scores)
