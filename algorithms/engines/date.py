"""The DATE fraud-detection engine: ``train`` and ``score`` (pure Python, no Django).

``train`` splits a labelled declarations CSV by date into train / valid / test, builds one feature table
(``features.DeclarationFeatures``, fitted on train only), trains four models on it -- LightGBM with native
categorical features, plain XGBoost, a routed LightGBM and DATE (``date_model``) -- chooses the champion on valid
and measures every model on test, on all rows and on the rows whose goods combination is unseen in training.
Artifacts: ``model`` (a directory with everything ``score`` needs), ``chart`` (SVG, precision at n % per model on
test) and ``metrics`` (JSON).

Champion rule (issue 14): on the public synthetic data a seen goods combination (``features.COMBINATION``: HS6,
both countries, tax rate, tax type, net mass) nearly fixes the label, so every model reaches precision ~1.0 on all
valid rows and a choice made there is noise. The champion is the model with the best precision at
``target_rate`` % (default 5) on the valid declarations whose combination never occurs in training (ranked among
themselves), then the best revenue share at that rate there; figures equal to two decimals are a tie, which goes
to the earlier of ``MODEL_NAMES`` (simplest and fastest first). With fewer than ``MIN_EVAL_FRAUDS`` frauds or
non-frauds among those rows the rule falls back to all valid rows and says so. ``metrics["champion_selection"]``
records the criterion and every model's figures; every model also has ``valid_unseen`` and ``test_unseen``.

The routed model uses the LightGBM's score on rows whose combination was seen in training and, on unseen rows,
the average of ``unseen_models`` LightGBMs trained on the label-free features only (``LABEL_FREE_FEATURES``: no
history statistics), early-stopped on the unseen valid rows.

Split: ``params["split_dates"] = ["YYYY-MM-DD", "YYYY-MM-DD"]`` gives the first day of valid and of test. By default
the dates are cut chronologically at 70 % and 85 % of the rows; when a calendar month starts within 3 % of the rows
of a cut, the cut moves to that month's first date (so the three public files concatenated split at their real
boundaries, 2021-01-01 and 2021-04-01). A date never straddles two parts.

Revenue: the data has no raised-tax column (the DATE paper's revenue). The proxy used everywhere here is the duty
at stake on a fraudulent declaration, ``Item Price x Tax Rate / 100`` (KRW), and 0 on non-fraud rows
(``features.revenue_proxy``). Revenue@n% is the share of the test split's total proxy revenue carried by the top
n %. DATE's revenue head is trained on ``log1p(proxy) / scale`` and ``score`` reports its output back in KRW as
"predicted revenue" (the duty at stake the model expects from inspecting that declaration). The proxy is very
heavy-tailed (a few declarations carry most of it), so Revenue@n% is noisy.

Determinism: the same CSV, params and seed give the same models and figures (numpy, LightGBM ``deterministic``,
XGBoost ``hist`` and ``torch.manual_seed`` with a fixed number of threads, default 1).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import torch
import xgboost as xgb

from algorithms.declarations import COLUMNS, DATE, DECLARATION_ID, FRAUD, HS6_CODE, IMPORTER_ID, LABEL_COLUMNS
from algorithms.declarations import read_declarations as _read
from algorithms.engines import date_model
from algorithms.engines.base import EngineError, EngineResult, ProgressCallback
from algorithms.engines.date_chart import write_precision_chart
from algorithms.engines.features import (
    CATEGORICAL_FEATURES,
    COMBINATION,
    LABEL_FREE_FEATURES,
    DeclarationFeatures,
    features_from_state,
    features_to_state,
    labels_of,
    revenue_proxy,
)
from algorithms.engines.fraud_metrics import (
    INSPECTION_RATES,
    fit_lightgbm,
    precision_at,
    ranking_metrics,
    revenue_at,
)

ENGINE_VERSION = "date-2"
READABLE_ENGINE_VERSIONS = ("date-1", "date-2")  # date-1 models (three models, no routed one) still score
# Simplest and fastest first: a tie on the champion criterion goes to the earlier model.
MODEL_NAMES = ("lightgbm", "xgboost", "routed", "date")
MODEL_LABELS = {
    "date": "DATE",
    "lightgbm": "LightGBM (native categoricals)",
    "xgboost": "XGBoost (plain)",
    "routed": "LightGBM routed by combination",  # history where seen, label-free model where unseen
}
CHAMPION_DECIMALS = 2  # figures equal to two decimals are a tie (one declaration moves P@5% by ~0.013 on valid)

DEFAULT_PARAMS = {
    "split_dates": None,  # ["YYYY-MM-DD" first day of valid, "YYYY-MM-DD" first day of test]
    "threads": 1,
    # plain XGBoost baseline
    "xgb_rounds": 400,
    "xgb_depth": 6,
    "xgb_eta": 0.1,
    # DATE: the tree part and the network
    "date_trees": 60,
    "date_depth": 4,
    "date_eta": 0.3,
    "date_dim": 16,
    "date_heads": 4,
    "date_epochs": 5,
    "date_batch": 1024,
    "date_lr": 0.01,
    "date_lr_decay": 0.7,  # the learning rate is multiplied by this after every epoch
    "date_alpha": 1.0,  # weight of the revenue loss
    "date_min_id_count": 2,
    "date_networks": 3,  # networks trained from different seeds; their probabilities are averaged
    "date_self_attention": False,  # the reference code's optional self-attention over leaves (slow on CPU)
    "date_wide": True,  # also feed the standardised numeric features to the fusion layer
    # champion rule and the model for unseen goods combinations
    "target_rate": 5,  # percent inspected: the champion is chosen on precision and revenue at this rate
    "unseen_models": 3,  # label-free LightGBMs (different seeds) averaged for unseen combinations
}
BOOL_PARAMS = ("date_self_attention", "date_wide")
INT_PARAMS = {
    "threads": (1, 16),
    "xgb_rounds": (1, 5000),
    "xgb_depth": (1, 12),
    "date_trees": (1, 500),
    "date_depth": (1, 8),
    "date_dim": (4, 128),
    "date_heads": (1, 16),
    "date_epochs": (1, 100),
    "date_batch": (16, 8192),
    "date_min_id_count": (1, 1000),
    "date_networks": (1, 10),
    "target_rate": (1, 10),
    "unseen_models": (1, 10),
}
FLOAT_PARAMS = {
    "xgb_eta": (1e-4, 1.0),
    "date_eta": (1e-4, 1.0),
    "date_lr": (1e-5, 1.0),
    "date_lr_decay": (0.05, 1.0),
    "date_alpha": (0.0, 100.0),
}

MIN_TRAIN_FRAUDS = 20
MIN_EVAL_FRAUDS = 5
MIN_DATES = 3
DEFAULT_CUTS = (0.70, 0.85)
SNAP_TOLERANCE = 0.03


# ----------------------------------------------------------------------------------------------- parameters, data
def resolve_params(params: dict | None) -> dict:
    """Defaults overlaid with ``params``; a bad value is an EngineError naming the parameter."""
    params = dict(params or {})
    unknown = sorted(set(params) - set(DEFAULT_PARAMS) - {"seed"})
    if unknown:
        raise EngineError(f"Unknown parameter(s) for the DATE engine: {', '.join(unknown)}.")
    resolved = {**DEFAULT_PARAMS, **{k: v for k, v in params.items() if k != "seed"}}
    for name, (low, high) in INT_PARAMS.items():
        value = resolved[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise EngineError(f"Parameter {name} must be a whole number from {low} to {high}.")
    for name, (low, high) in FLOAT_PARAMS.items():
        value = resolved[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise EngineError(f"Parameter {name} must be a number from {low} to {high}.")
    for name in BOOL_PARAMS:
        if not isinstance(resolved[name], bool):
            raise EngineError(f"Parameter {name} must be true or false.")
    if resolved["date_dim"] % resolved["date_heads"]:
        raise EngineError("Parameter date_dim must be a multiple of date_heads.")
    split = resolved["split_dates"]
    if split is not None:
        try:
            valid_start, test_start = (pd.Timestamp(str(d)) for d in split)
        except (TypeError, ValueError):
            raise EngineError("Parameter split_dates must be two dates, YYYY-MM-DD: first day of valid, of test.")
        if not valid_start < test_start:
            raise EngineError("Parameter split_dates: the first day of valid must come before the first day of test.")
        resolved["split_dates"] = [valid_start.strftime("%Y-%m-%d"), test_start.strftime("%Y-%m-%d")]
    return resolved


def read_dataset(dataset_csv: Path, *, labelled: bool) -> pd.DataFrame:
    """The declarations CSV, with a clear EngineError when it does not have the layout."""
    try:
        header = pd.read_csv(dataset_csv, dtype=str, nrows=0).columns
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise EngineError(f"The dataset could not be read as a CSV file ({error}).")
    required = COLUMNS if labelled else tuple(c for c in COLUMNS if c not in LABEL_COLUMNS)
    missing = [c for c in required if c not in header]
    if missing:
        raise EngineError(f"The dataset lacks the column(s): {', '.join(missing)}.")
    try:
        frame = _read(dataset_csv)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise EngineError(f"The dataset has values that are not in the declaration layout ({error}).")
    if frame.empty:
        raise EngineError("The dataset has no rows.")
    if labelled and not frame[FRAUD].isin([0, 1]).all():
        raise EngineError("The Fraud column must hold 0 or 1 on every row.")
    return frame


def _cut_dates(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    per_day = frame.groupby(DATE).size().sort_index()
    days = per_day.index
    share_before = (per_day.cumsum() - per_day) / per_day.sum()  # rows strictly before each day
    cuts = []
    for target in DEFAULT_CUTS:
        position = int(np.argmin(np.abs(share_before.to_numpy() - target)))
        month_starts = [i for i in range(1, len(days)) if days[i].to_period("M") != days[i - 1].to_period("M")]
        near = [i for i in month_starts if abs(share_before.iloc[i] - target) <= SNAP_TOLERANCE]
        if near:
            position = min(near, key=lambda i: abs(share_before.iloc[i] - target))
        cuts.append(days[max(position, 1)])
    return cuts[0], cuts[1]


def split_by_date(frame: pd.DataFrame, params: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Train / valid / test by date, with clear errors when a part cannot support training or measuring."""
    dates = frame[DATE].nunique()
    if dates < MIN_DATES:
        raise EngineError(
            f"The dataset covers {dates} date(s); a date split needs at least {MIN_DATES} distinct dates "
            "(train, valid and test periods)."
        )
    if params["split_dates"]:
        valid_start, test_start = (pd.Timestamp(d) for d in params["split_dates"])
    else:
        valid_start, test_start = _cut_dates(frame)
    parts = (
        frame[frame[DATE] < valid_start],
        frame[(frame[DATE] >= valid_start) & (frame[DATE] < test_start)],
        frame[frame[DATE] >= test_start],
    )
    for name, part, needed in zip(
        ("train", "valid", "test"), parts, (MIN_TRAIN_FRAUDS, MIN_EVAL_FRAUDS, MIN_EVAL_FRAUDS), strict=True
    ):
        frauds = int(part[FRAUD].sum())
        if frauds < needed or len(part) - frauds < needed:
            raise EngineError(
                f"The {name} period ({_period(part)}) has {frauds} fraud and {len(part) - frauds} non-fraud "
                f"declaration(s); at least {needed} of each are needed. Upload more labelled declarations or "
                "choose other split dates."
            )
    return tuple(part.reset_index(drop=True) for part in parts)


def _period(part: pd.DataFrame) -> str:
    if part.empty:
        return "no rows"
    return f"{part[DATE].min():%Y-%m-%d} to {part[DATE].max():%Y-%m-%d}, {len(part)} rows"


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
    dtrain = xgb.DMatrix(train_x.to_numpy(np.float32), label=train_y)
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
        return (
            leaves,
            self.importers.encode(frame[IMPORTER_ID]),
            self.items.encode(frame[HS6_CODE].str.zfill(6)),
            np.ascontiguousarray(dense),
        )

    def predict(self, frame: pd.DataFrame, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Fraud probability and predicted revenue (KRW) per row."""
        inputs = self.inputs(frame, features)
        outputs = [date_model.predict(network, *inputs) for network in self.networks]
        probability = np.mean([p for p, _ in outputs], axis=0)
        revenue = np.mean([r for _, r in outputs], axis=0)
        return probability, np.expm1(revenue * self.revenue_scale)


def fit_date(train, train_x, valid, valid_x, params: dict, seed: int, progress, start: int, end: int) -> DateModel:
    """Trees, then each network epoch by epoch, keeping its epoch with the lowest valid log loss."""
    train_y, valid_y = labels_of(train), labels_of(valid)
    trees = xgb.train(
        _xgb_params(params, seed, depth=params["date_depth"], eta=params["date_eta"]),
        xgb.DMatrix(train_x.to_numpy(np.float32), label=train_y),
        num_boost_round=params["date_trees"],
        verbose_eval=False,
    )
    importers = date_model.IdVocabulary(train[IMPORTER_ID], params["date_min_id_count"])
    items = date_model.IdVocabulary(train[HS6_CODE].str.zfill(6), params["date_min_id_count"])
    revenue_log = np.log1p(revenue_proxy(train))
    revenue_scale = float(max(revenue_log.max(), 1.0))
    dense_columns = [c for c in train_x.columns if c not in CATEGORICAL_FEATURES]
    dense_values = train_x[dense_columns].to_numpy(np.float64)
    dense = {
        "columns": dense_columns,
        "mean": dense_values.mean(axis=0).tolist(),
        "std": np.maximum(dense_values.std(axis=0), 1e-6).tolist(),
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


def fit_unseen_models(train_x, train_y, valid_x, valid_y, valid_unseen, params: dict, seed: int) -> list:
    """LightGBMs on the label-free features only, early-stopped on the unseen valid rows (all valid rows when there
    are too few), one per seed; their probabilities are averaged (``predict_unseen``)."""
    columns = list(LABEL_FREE_FEATURES)
    categorical = [c for c in CATEGORICAL_FEATURES if c in columns]
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


def predict_unseen(boosters: list, features: pd.DataFrame) -> np.ndarray:
    columns = list(LABEL_FREE_FEATURES)
    return np.mean([b.predict(features[columns], num_iteration=b.best_iteration or None) for b in boosters], axis=0)


def is_unseen(features: pd.DataFrame) -> np.ndarray:
    """Rows whose goods combination (``features.COMBINATION``) never occurs in the fitted training history."""
    return features["goods_n"].to_numpy() == 0


def routed_scores(history_scores: np.ndarray, unseen_scores: np.ndarray, unseen: np.ndarray) -> np.ndarray:
    """The history model's score on seen combinations, the label-free model's on unseen ones."""
    return np.where(unseen, unseen_scores, history_scores)


# ----------------------------------------------------------------------------------------------- champion
def selection_figures(scores, labels, revenue, unseen, rate: int) -> dict:
    """What the champion rule reads on valid: precision and revenue share at ``rate`` % on the unseen rows
    (ranked among themselves), and precision at ``rate`` % on all rows for the record."""
    unseen = np.asarray(unseen, dtype=bool)
    return {
        "unseen_precision": round(precision_at(scores[unseen], labels[unseen], rate), 4) if unseen.any() else 0.0,
        "unseen_revenue": round(revenue_at(scores[unseen], revenue[unseen], rate), 4) if unseen.any() else 0.0,
        "all_precision": round(precision_at(scores, labels, rate), 4),
        "all_revenue": round(revenue_at(scores, revenue, rate), 4),
    }


def choose_champion(figures: dict[str, dict], order=MODEL_NAMES, *, on_unseen: bool = True) -> str:
    """The model with the best precision at the target rate on unseen-combination valid rows (``on_unseen``; all
    valid rows otherwise), then the best revenue share there, both rounded to ``CHAMPION_DECIMALS``; a tie goes to
    the earlier model of ``order`` (simplest and fastest first)."""
    prefix = "unseen" if on_unseen else "all"

    def key(name):
        row = figures[name]
        return (
            round(row[f"{prefix}_precision"], CHAMPION_DECIMALS),
            round(row[f"{prefix}_revenue"], CHAMPION_DECIMALS),
            -order.index(name),
        )

    return max((name for name in order if name in figures), key=key)


# ----------------------------------------------------------------------------------------------- train
def train(dataset_csv: Path, *, workdir: Path, seed: int, progress: ProgressCallback, params: dict) -> EngineResult:
    """Trains XGBoost, LightGBM and DATE on a date split of ``dataset_csv``; see the module docstring."""
    started = time.perf_counter()
    params = resolve_params(params)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    _seed_everything(seed, params["threads"])
    timings: dict[str, float] = {}

    progress(1, "loading")
    frame = read_dataset(Path(dataset_csv), labelled=True)
    train_df, valid_df, test_df = split_by_date(frame, params)
    timings["loading"] = time.perf_counter() - started

    progress(8, "features")
    clock = time.perf_counter()
    features = DeclarationFeatures(seed=seed)
    train_x = features.fit_transform(train_df)
    valid_x, test_x = features.transform(valid_df), features.transform(test_df)
    train_y, valid_y, test_y = labels_of(train_df), labels_of(valid_df), labels_of(test_df)
    timings["features"] = time.perf_counter() - clock

    scores: dict[str, dict[str, np.ndarray]] = {}
    progress(15, "baseline XGBoost")
    clock = time.perf_counter()
    xgb_booster = fit_xgboost(train_x, train_y, valid_x, valid_y, params, seed)
    scores["xgboost"] = {"valid": predict_xgboost(xgb_booster, valid_x), "test": predict_xgboost(xgb_booster, test_x)}
    timings["xgboost"] = time.perf_counter() - clock

    progress(25, "LightGBM")
    clock = time.perf_counter()
    lgb_booster = fit_lightgbm(
        train_x, train_y, valid_x, valid_y, features.categorical_features, seed, threads=params["threads"]
    )
    scores["lightgbm"] = {
        part: lgb_booster.predict(x, num_iteration=lgb_booster.best_iteration)
        for part, x in (("valid", valid_x), ("test", test_x))
    }
    timings["lightgbm"] = time.perf_counter() - clock

    progress(30, "model for unseen combinations")
    clock = time.perf_counter()
    valid_unseen, test_unseen = is_unseen(valid_x), is_unseen(test_x)
    unseen_boosters = fit_unseen_models(train_x, train_y, valid_x, valid_y, valid_unseen, params, seed)
    scores["routed"] = {
        part: routed_scores(scores["lightgbm"][part], predict_unseen(unseen_boosters, x), mask)
        for part, x, mask in (("valid", valid_x, valid_unseen), ("test", test_x, test_unseen))
    }
    timings["routed"] = timings["lightgbm"] + time.perf_counter() - clock

    progress(35, "DATE trees")
    clock = time.perf_counter()
    date = fit_date(train_df, train_x, valid_df, valid_x, params, seed, progress, 40, 90)
    scores["date"] = {
        part: date.predict(df, x)[0] for part, df, x in (("valid", valid_df, valid_x), ("test", test_df, test_x))
    }
    timings["date"] = time.perf_counter() - clock

    progress(92, "evaluating")
    rate = params["target_rate"]
    valid_revenue, test_revenue = revenue_proxy(valid_df), revenue_proxy(test_df)
    masks = {"valid": (valid_unseen, valid_y, valid_revenue), "test": (test_unseen, test_y, test_revenue)}
    models = {}
    for name in MODEL_NAMES:
        models[name] = {
            "label": MODEL_LABELS[name],
            "valid": ranking_metrics(scores[name]["valid"], valid_y, valid_revenue),
            "test": ranking_metrics(scores[name]["test"], test_y, test_revenue),
            "selection": selection_figures(scores[name]["valid"], valid_y, valid_revenue, valid_unseen, rate),
            "train_seconds": round(timings[name], 2),
        }
        for part, (mask, labels, revenue) in masks.items():
            models[name][f"{part}_unseen"] = (
                ranking_metrics(scores[name][part][mask], labels[mask], revenue[mask]) if mask.any() else None
            )
    on_unseen = _enough(valid_y[valid_unseen])
    champion = choose_champion({n: models[n]["selection"] for n in MODEL_NAMES}, on_unseen=on_unseen)
    selection = {
        "criterion": (
            f"precision at {rate} % on valid declarations whose goods combination is unseen in training, then "
            f"revenue share at {rate} % there; figures equal to {CHAMPION_DECIMALS} decimals are a tie, won by "
            "the simpler, faster model"
            if on_unseen
            else f"precision at {rate} % on all valid declarations, then revenue share at {rate} % (too few "
            f"unseen-combination valid declarations: fewer than {MIN_EVAL_FRAUDS} frauds or non-frauds)"
        ),
        "on_unseen": on_unseen,
        "target_rate": rate,
        "combination": list(COMBINATION),
        "order": list(MODEL_NAMES),
        "figures": {n: models[n]["selection"] for n in MODEL_NAMES},
    }

    progress(95, "saving the model")
    model_dir = workdir / "model"
    model_dir.mkdir(exist_ok=True)
    _save_model(model_dir, features, xgb_booster, lgb_booster, unseen_boosters, date, champion, seed, params)
    chart = write_precision_chart(
        workdir / "precision_at_n.svg",
        {MODEL_LABELS[n]: models[n]["test"] for n in MODEL_NAMES},
        INSPECTION_RATES,
        "Precision at n % inspected (test period)",
    )
    timings["total"] = time.perf_counter() - started
    metrics = {
        "engine": ENGINE_VERSION,
        "champion": champion,
        **models[champion]["test"],
        "champion_selection": selection,
        "unseen_share": {
            "valid": round(float(valid_unseen.mean()), 4),
            "test": round(float(test_unseen.mean()), 4),
            "test_fraud_rate": round(float(test_y[test_unseen].mean()), 4) if test_unseen.any() else None,
        },
        "models": models,
        "split": {
            name: {
                "first_date": f"{df[DATE].min():%Y-%m-%d}",
                "last_date": f"{df[DATE].max():%Y-%m-%d}",
                "rows": len(df),
                "frauds": int(df[FRAUD].sum()),
            }
            for name, df in (("train", train_df), ("valid", valid_df), ("test", test_df))
        },
        "revenue_proxy": "Item Price x Tax Rate / 100 on fraudulent declarations (KRW)",
        "seed": seed,
        "params": params,
        "timings_seconds": {k: round(v, 2) for k, v in timings.items()},
    }
    metrics_path = workdir / "metrics.json"
    metrics_path.write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    progress(100, "done")
    best, best_unseen = models[champion]["test"], models[champion]["test_unseen"]
    unseen_text = (
        f"; on the {test_unseen.mean():.0%} of test rows with an unseen goods combination precision "
        f"{best_unseen['precision@5']:.3f} at 5 %, AUC {best_unseen['auc']:.3f}"
        if best_unseen
        else "; no test row has an unseen goods combination"
    )
    summary = (
        f"Champion {MODEL_LABELS[champion]} (chosen on {'unseen-combination ' if on_unseen else ''}valid rows): "
        "on the test period precision "
        + ", ".join(f"{best[f'precision@{r}']:.3f} at {r} %" for r in INSPECTION_RATES)
        + f", AUC {best['auc']:.3f}{unseen_text}; {len(train_df)} training, {len(valid_df)} valid, "
        f"{len(test_df)} test rows; {timings['total']:.1f} s."
    )
    return EngineResult(
        metrics=metrics, artifacts={"model": model_dir, "chart": chart, "metrics": metrics_path}, summary=summary
    )


def _save_model(model_dir: Path, features, xgb_booster, lgb_booster, unseen, date: DateModel, champion, seed, params):
    (model_dir / "features.json").write_text(json.dumps(features_to_state(features)), encoding="utf-8")
    xgb_booster.save_model(model_dir / "xgboost.json")
    lgb_booster.save_model(str(model_dir / "lightgbm.txt"), num_iteration=lgb_booster.best_iteration)
    for index, booster in enumerate(unseen):
        booster.save_model(str(model_dir / f"unseen_{index}.txt"), num_iteration=booster.best_iteration)
    date.trees.save_model(model_dir / "date_trees.json")
    for index, network in enumerate(date.networks):
        torch.save(network.state_dict(), model_dir / f"date_network_{index}.pt")
    meta = {
        "engine": ENGINE_VERSION,
        "champion": champion,
        "seed": seed,
        "params": params,
        "xgboost_best_iteration": int(xgb_booster.best_iteration),
        "unseen_models": len(unseen),
        "date": {
            "depth": date.depth,
            "revenue_scale": date.revenue_scale,
            "importers": list(date.importers.index),
            "items": list(date.items.index),
            "networks": len(date.networks),
            "dense": date.dense,
        },
    }
    (model_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


# ----------------------------------------------------------------------------------------------- score
def _load_model(model_dir: Path):
    try:
        meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
        features = features_from_state(json.loads((model_dir / "features.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as error:
        raise EngineError(f"The model directory is incomplete or unreadable ({error}).")
    if meta.get("engine") not in READABLE_ENGINE_VERSIONS:
        raise EngineError(f"The model was made by engine {meta.get('engine')!r}, not {ENGINE_VERSION!r}.")
    params = meta["params"]
    importers, items = date_model.IdVocabulary(pd.Series([], dtype=str)), date_model.IdVocabulary(pd.Series([]))
    importers.index = {v: i + 1 for i, v in enumerate(meta["date"]["importers"])}
    items.index = {v: i + 1 for i, v in enumerate(meta["date"]["items"])}
    trees = xgb.Booster()
    trees.load_model(model_dir / "date_trees.json")
    date = DateModel(
        trees, [], importers, items, meta["date"]["depth"], meta["date"]["revenue_scale"], meta["date"]["dense"]
    )
    for index in range(meta["date"]["networks"]):
        network = _new_network(params, date, n_dense=len(meta["date"]["dense"]["columns"]))
        network.load_state_dict(torch.load(model_dir / f"date_network_{index}.pt", weights_only=True))
        date.networks.append(network)
    return meta, features, date


def score(model_path: Path, dataset_csv: Path, *, workdir: Path, progress: ProgressCallback) -> EngineResult:
    """Ranks the declarations of ``dataset_csv`` (labels not needed) into ``scores.csv``, most suspicious first."""
    started = time.perf_counter()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    progress(2, "loading the model")
    meta, features, date = _load_model(Path(model_path))
    torch.set_num_threads(meta["params"]["threads"])
    progress(10, "loading")
    frame = read_dataset(Path(dataset_csv), labelled=False)
    progress(30, "features")
    table = features.transform(frame)
    progress(55, "scoring")
    probability, revenue = date.predict(frame, table)
    champion = meta["champion"]
    if champion == "xgboost":
        booster = xgb.Booster()
        booster.load_model(Path(model_path) / "xgboost.json")
        booster.best_iteration = meta["xgboost_best_iteration"]
        probability = predict_xgboost(booster, table)
    elif champion in ("lightgbm", "routed"):
        booster = lgb.Booster(model_file=str(Path(model_path) / "lightgbm.txt"))
        probability = booster.predict(table)
        if champion == "routed":
            unseen = [
                lgb.Booster(model_file=str(Path(model_path) / f"unseen_{i}.txt"))
                for i in range(meta.get("unseen_models", 0))
            ]
            probability = routed_scores(probability, predict_unseen(unseen, table), is_unseen(table))
    progress(85, "writing the ranking")
    order = np.lexsort((-revenue, -probability))  # by probability, then predicted revenue
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    out = pd.DataFrame(
        {
            "Declaration ID": frame[DECLARATION_ID].to_numpy(),
            "fraud probability": np.round(probability, 6),
            "predicted revenue": np.round(revenue, 0),
            "rank": rank,
        }
    ).iloc[order]
    scores_path = workdir / "scores.csv"
    out.to_csv(scores_path, index=False)
    elapsed = time.perf_counter() - started
    progress(100, "done")
    top = max(1, round(len(out) * 0.05))
    return EngineResult(
        metrics={"rows": len(out), "champion": champion, "seconds": round(elapsed, 2)},
        artifacts={"scores": scores_path},
        summary=(
            f"Ranked {len(out)} declarations with the {MODEL_LABELS[champion]} champion in {elapsed:.1f} s; "
            f"the top 5 % ({top}) have a fraud probability of at least {out['fraud probability'].iloc[top - 1]:.3f}."
        ),
    )
