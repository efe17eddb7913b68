"""The engine's settings and parameters, reading the declarations and splitting them by date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from algorithms.declarations import COLUMNS, DATE, FRAUD, LABEL_COLUMNS, convert_declarations
from algorithms.declarations import read_declarations as _read
from algorithms.engines.base import EngineError

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
    # scale: the DATE trees and networks are fitted on at most this many training declarations (and choose their
    # epoch on at most this many valid ones), drawn at random without replacement with the job's seed; the other
    # models use every row. The network is the one part whose time grows with rows x epochs x networks.
    "date_max_rows": 100_000,
    # champion rule and the model for unseen goods combinations
    "target_rate": 5,  # percent inspected: the champion is chosen on precision and revenue at this rate
    "unseen_models": 3,  # label-free LightGBMs (different seeds) averaged for unseen combinations
    # the file's usable extra columns (numeric, categorical, the national tariff code longer than the HS6) as
    # features; the version's metrics list those used ("extra_features")
    "use_extra_columns": True,
}
BOOL_PARAMS = ("date_self_attention", "date_wide", "use_extra_columns")
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
    "date_max_rows": (1000, 100_000_000),
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


def _check_header(dataset_csv: Path, *, labelled: bool) -> None:
    try:
        header = pd.read_csv(dataset_csv, dtype=str, nrows=0).columns
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise EngineError(f"The dataset could not be read as a CSV file ({error}).")
    required = COLUMNS if labelled else tuple(c for c in COLUMNS if c not in LABEL_COLUMNS)
    missing = [c for c in required if c not in header]
    if missing:
        raise EngineError(f"The dataset lacks the column(s): {', '.join(missing)}.")


def read_dataset_chunks(dataset_csv: Path, *, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The declarations CSV (labels not needed) as frames of at most ``chunk_rows`` rows, each converted like
    ``read_dataset``'s, so that scoring holds one chunk of raw rows in memory at a time; the same clear
    EngineErrors (layout, bad values, no rows)."""
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    _check_header(dataset_csv, labelled=False)
    rows = 0
    try:
        with pd.read_csv(dataset_csv, dtype=str, keep_default_na=False, chunksize=chunk_rows) as reader:
            for chunk in reader:
                chunk.index = pd.RangeIndex(rows, rows + len(chunk))
                rows += len(chunk)
                yield convert_declarations(chunk)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise EngineError(f"The dataset has values that are not in the declaration layout ({error}).")
    if not rows:
        raise EngineError("The dataset has no rows.")


def count_rows(dataset_csv: Path) -> int:
    """Lines after the header (an estimate when quoted cells hold line breaks): for progress only."""
    lines, last = 0, b"\n"
    with open(dataset_csv, "rb") as handle:
        while block := handle.read(1 << 22):
            lines += block.count(b"\n")
            last = block[-1:]
    return max(lines - (last == b"\n"), 0)


def read_dataset(dataset_csv: Path, *, labelled: bool) -> pd.DataFrame:
    """The declarations CSV, with a clear EngineError when it does not have the layout."""
    _check_header(dataset_csv, labelled=labelled)
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
