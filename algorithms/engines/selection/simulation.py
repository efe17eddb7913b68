"""The selection simulation: replays customs selection batch by batch for several strategies side by side.

A labelled declarations dataset is cut by date: a first training window ``[train_start, train_start +
train_days)`` whose labels are all known (the inspection history), then ``batches`` consecutive batches of
``batch_days`` days. For every batch and every strategy: the strategy selects ``round(rate * n)`` of the batch's
``n`` declarations (``rate`` fixed, or planned linearly from ``rate`` to ``final_rate`` over the batches), only the
labels of those are revealed and added to that strategy's training data, and the strategy is refitted on the
schedule (every ``retrain_every`` batches, every batch by default). Every strategy sees the same batches; each has
its own random generator derived from the seed and its name, so a run is deterministic for a seed.

Figures per strategy and batch (the labels of the whole batch are used to *measure* only, never given to a
strategy): precision (frauds found / declarations inspected), recall (frauds found / frauds in the batch), revenue
captured (revenue at stake of the frauds found, and its share of the batch's total; revenue at stake = the declared
duty Item Price x Tax Rate / 100 of a fraudulent declaration, the DATE job's proxy), and the same three cumulated
from the first batch.
"""

from __future__ import annotations

import csv
import json
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from algorithms.declarations import DATE, FRAUD, LABEL_COLUMNS
from algorithms.engines.base import EngineError, EngineResult, ProgressCallback
from algorithms.engines.selection.features import GOODS, key_values, revenue_of
from algorithms.engines.selection.names import BOUNDS, DEFAULTS, STRATEGY_LABELS, STRATEGY_NAMES
from algorithms.engines.selection.strategies import STRATEGIES

ENGINE_VERSION = "selection-1"
MIN_TRAIN_EACH = 5  # frauds and non-frauds the first training window needs
CSV_COLUMNS = (
    "strategy",
    "batch",
    "first_date",
    "last_date",
    "rate",
    "declarations",
    "inspected",
    "explored",
    "exploration_share",
    "frauds_in_batch",
    "frauds_found",
    "precision",
    "recall",
    "unseen_frauds_in_batch",
    "unseen_frauds_found",
    "revenue_in_batch",
    "revenue_captured",
    "revenue_share",
    "cumulative_inspected",
    "cumulative_frauds_found",
    "cumulative_precision",
    "cumulative_recall",
    "cumulative_revenue_share",
    "cumulative_unseen_recall",
    "training_rows",
    "seconds",
)


# ----------------------------------------------------------------------------------------------- parameters
def _number(params: dict, name: str):
    low, high, whole, low_open = BOUNDS[name]
    value = params[name]
    kind = int if whole else (int, float)
    if (
        isinstance(value, bool)
        or not isinstance(value, kind)
        or not ((low < value if low_open else low <= value) and value <= high)
    ):
        bound = f"more than {low}" if low_open else f"from {low}"
        raise EngineError(f"Parameter {name} must be a {'whole ' if whole else ''}number {bound} to {high}.")
    return value


def resolve_params(params: dict | None) -> dict:
    """Defaults overlaid with ``params``; a bad value is an EngineError naming the parameter."""
    params = dict(params or {})
    unknown = sorted(set(params) - set(DEFAULTS))
    if unknown:
        raise EngineError(f"Unknown parameter(s) for the selection simulation: {', '.join(unknown)}.")
    resolved = {**DEFAULTS, **params}
    _number(resolved, "train_days")
    _number(resolved, "batch_days")
    _number(resolved, "batches")
    _number(resolved, "rate")
    if resolved["final_rate"] is not None:
        _number(resolved, "final_rate")
    _number(resolved, "exploration")
    _number(resolved, "retrain_every")
    _number(resolved, "threads")
    strategies = resolved["strategies"]
    if isinstance(strategies, str):
        strategies = [s.strip() for s in strategies.split(",") if s.strip()]
    if not isinstance(strategies, list | tuple) or not strategies:
        raise EngineError("Parameter strategies must name at least one strategy.")
    unknown = [s for s in strategies if s not in STRATEGY_NAMES]
    if unknown:
        raise EngineError(f"Unknown strateg(ies): {', '.join(map(str, unknown))}. Known: {', '.join(STRATEGY_NAMES)}.")
    resolved["strategies"] = [s for s in STRATEGY_NAMES if s in strategies]  # one order, no duplicates
    if resolved["train_start"] is not None:
        try:
            resolved["train_start"] = pd.Timestamp(str(resolved["train_start"])).strftime("%Y-%m-%d")
        except (TypeError, ValueError):
            raise EngineError("Parameter train_start must be a date, YYYY-MM-DD.") from None
    return resolved


def inspection_rates(rate: float, final_rate: float | None, batches: int) -> list[float]:
    """The inspection rate of each batch: fixed, or linear from ``rate`` (first batch) to ``final_rate`` (last)."""
    if final_rate is None or batches == 1:
        return [float(rate)] * batches
    step = (final_rate - rate) / (batches - 1)
    return [float(rate + step * b) for b in range(batches)]


def inspected_count(rate: float, declarations: int) -> int:
    """How many of a batch's declarations are inspected: ``round(rate * n)`` (Python's rounding)."""
    return min(declarations, round(rate * declarations))


# ----------------------------------------------------------------------------------------------- the loop
@dataclass
class SimulationResult:
    rows: list[dict] = field(default_factory=list)  # one per strategy and batch, CSV_COLUMNS
    summary: dict = field(default_factory=dict)  # strategy -> cumulative figures and series
    windows: list[tuple[str, str]] = field(default_factory=list)
    training: dict = field(default_factory=dict)


def batch_windows(first_day: pd.Timestamp, batch_days: int, batches: int) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """``[start, end)`` of each batch."""
    step = pd.Timedelta(days=batch_days)
    return [(first_day + b * step, first_day + (b + 1) * step) for b in range(batches)]


def _strategy_seed(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def run(frame: pd.DataFrame, params: dict, *, seed: int, progress: ProgressCallback) -> SimulationResult:
    """The simulation on a labelled frame (``read_declarations``); ``params`` already resolved."""
    frame = frame.sort_values(DATE, kind="stable").reset_index(drop=True)
    first, last = frame[DATE].min(), frame[DATE].max()
    train_start = pd.Timestamp(params["train_start"]) if params["train_start"] else first
    train_end = train_start + pd.Timedelta(days=params["train_days"])
    if not first <= train_start <= last:
        raise EngineError(
            f"The first training window starts on {train_start:%Y-%m-%d}, outside the dataset "
            f"({first:%Y-%m-%d} to {last:%Y-%m-%d})."
        )
    windows = batch_windows(train_end, params["batch_days"], params["batches"])
    if windows[-1][0] > last:
        raise EngineError(
            f"The last batch would start on {windows[-1][0]:%Y-%m-%d}, after the dataset's last date "
            f"({last:%Y-%m-%d}): choose fewer batches, shorter batches or an earlier start."
        )
    dates = frame[DATE]
    initial = np.flatnonzero(((dates >= train_start) & (dates < train_end)).to_numpy())
    frauds = int(frame[FRAUD].to_numpy()[initial].sum())
    if frauds < MIN_TRAIN_EACH or len(initial) - frauds < MIN_TRAIN_EACH:
        raise EngineError(
            f"The first training window ({train_start:%Y-%m-%d} to {train_end - pd.Timedelta(days=1):%Y-%m-%d}) "
            f"has {frauds} fraud and {len(initial) - frauds} non-fraud declaration(s); at least {MIN_TRAIN_EACH} "
            "of each are needed."
        )
    rates = inspection_rates(params["rate"], params["final_rate"], params["batches"])
    names = params["strategies"]
    strategies = {name: STRATEGIES[name](threads=params["threads"], share=params["exploration"]) for name in names}
    generators = {name: _strategy_seed(seed, name) for name in names}
    revealed = {name: [initial] for name in names}
    totals = {
        name: dict.fromkeys(("inspected", "found", "frauds", "revenue", "captured", "unseen", "unseen_found"), 0.0)
        for name in names
    }
    # The goods tuple (HS6, countries, tariff, mass) of every declaration, and, per strategy, the tuples whose label
    # it has seen: a fraud on an unseen tuple is "new" fraud for that strategy (the synthetic data ties the label
    # to the tuple, so this is where a strategy that only exploits can go blind).
    goods = key_values(frame.assign(**{GOODS[0]: frame[GOODS[0]].astype(str).str.zfill(6)}), GOODS)
    known_goods = {name: set(goods[initial]) for name in names}
    result = SimulationResult(
        windows=[(f"{a:%Y-%m-%d}", f"{b - pd.Timedelta(days=1):%Y-%m-%d}") for a, b in windows],
        training={
            "first_date": f"{train_start:%Y-%m-%d}",
            "last_date": f"{train_end - pd.Timedelta(days=1):%Y-%m-%d}",
            "rows": len(initial),
            "frauds": frauds,
        },
    )
    labels_all = frame[FRAUD].to_numpy().astype(int)
    revenue_all = revenue_of(frame)
    count = len(windows)
    for b, (start, end) in enumerate(windows):
        progress(2 + 95 * b // count, f"batch {b + 1} of {count}")
        rows = np.flatnonzero(((dates >= start) & (dates < end)).to_numpy())
        hidden = frame.iloc[rows].drop(columns=list(LABEL_COLUMNS)).reset_index(drop=True)
        labels, revenue = labels_all[rows], revenue_all[rows]
        k = inspected_count(rates[b], len(rows))
        for name, strategy in strategies.items():
            clock = time.perf_counter()
            rng = generators[name]
            if b % params["retrain_every"] == 0:
                known = np.concatenate(revealed[name])
                strategy.fit(frame.iloc[known].reset_index(drop=True), seed)
            share = strategy.exploration_share
            if len(rows):
                picks, explored = strategy.select(hidden, k, rng)
            else:
                picks, explored = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
            picks = np.asarray(picks, dtype=np.int64)
            if len(np.unique(picks)) != len(picks) or len(picks) != k:
                raise EngineError(f"Strategy {name} selected {len(picks)} declarations instead of {k}.")
            found = labels[picks]
            unseen = np.fromiter((g not in known_goods[name] for g in goods[rows]), dtype=bool, count=len(rows))
            unseen_frauds = int((unseen & (labels > 0)).sum())
            unseen_found = int((unseen[picks] & (found > 0)).sum())
            known_goods[name].update(goods[rows[picks]])
            strategy.observe(found.copy(), np.asarray(explored, dtype=bool))
            revealed[name].append(rows[picks])
            total = totals[name]
            total["inspected"] += len(picks)
            total["found"] += int(found.sum())
            total["frauds"] += int(labels.sum())
            total["revenue"] += float(revenue.sum())
            total["captured"] += float(revenue[picks].sum())
            total["unseen"] += unseen_frauds
            total["unseen_found"] += unseen_found
            result.rows.append(
                {
                    "strategy": name,
                    "batch": b + 1,
                    "first_date": result.windows[b][0],
                    "last_date": result.windows[b][1],
                    "rate": round(rates[b], 6),
                    "declarations": len(rows),
                    "inspected": len(picks),
                    "explored": int(np.sum(explored)),
                    "exploration_share": round(float(share), 4),
                    "frauds_in_batch": int(labels.sum()),
                    "frauds_found": int(found.sum()),
                    "precision": _ratio(found.sum(), len(picks)),
                    "recall": _ratio(found.sum(), labels.sum()),
                    "unseen_frauds_in_batch": unseen_frauds,
                    "unseen_frauds_found": unseen_found,
                    "revenue_in_batch": round(float(revenue.sum()), 2),
                    "revenue_captured": round(float(revenue[picks].sum()), 2),
                    "revenue_share": _ratio(revenue[picks].sum(), revenue.sum()),
                    "cumulative_inspected": int(total["inspected"]),
                    "cumulative_frauds_found": int(total["found"]),
                    "cumulative_precision": _ratio(total["found"], total["inspected"]),
                    "cumulative_recall": _ratio(total["found"], total["frauds"]),
                    "cumulative_revenue_share": _ratio(total["captured"], total["revenue"]),
                    "cumulative_unseen_recall": _ratio(total["unseen_found"], total["unseen"]),
                    "training_rows": int(sum(len(part) for part in revealed[name][:-1])),
                    "seconds": round(time.perf_counter() - clock, 3),
                }
            )
    progress(98, "summarising")
    result.summary = summarise(result.rows, names)
    return result


def _ratio(numerator, denominator) -> float:
    return round(float(numerator) / float(denominator), 6) if denominator else 0.0


SERIES = ("precision", "recall", "revenue_share", "cumulative_precision", "cumulative_recall",
          "cumulative_revenue_share", "cumulative_unseen_recall", "exploration_share")  # fmt: skip


def summarise(rows: list[dict], names: list[str]) -> dict:
    """Per strategy: the final cumulative figures, the first and second halves' precision, and the series."""
    summary = {}
    for name in names:
        mine = [row for row in rows if row["strategy"] == name]
        last = mine[-1]
        half = max(1, len(mine) // 2)
        first_half, second_half = mine[:half], mine[half:] or mine[-1:]
        summary[name] = {
            "label": STRATEGY_LABELS[name],
            "precision": last["cumulative_precision"],
            "recall": last["cumulative_recall"],
            "revenue": last["cumulative_revenue_share"],
            "revenue_captured": round(sum(row["revenue_captured"] for row in mine), 2),
            "unseen_recall": last["cumulative_unseen_recall"],
            "unseen_frauds": sum(row["unseen_frauds_in_batch"] for row in mine),
            "frauds_found": last["cumulative_frauds_found"],
            "inspected": last["cumulative_inspected"],
            "precision_first_half": _ratio(
                sum(r["frauds_found"] for r in first_half), sum(r["inspected"] for r in first_half)
            ),
            "precision_second_half": _ratio(
                sum(r["frauds_found"] for r in second_half), sum(r["inspected"] for r in second_half)
            ),
            "seconds": round(sum(row["seconds"] for row in mine), 2),
            "series": {key: [row[key] for row in mine] for key in SERIES},
        }
    return summary


# ----------------------------------------------------------------------------------------------- the engine
def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def simulate(dataset_csv: Path, *, workdir: Path, seed: int, progress: ProgressCallback, params: dict) -> EngineResult:
    """The job's engine: the simulation on a labelled declarations CSV; artifacts ``batches`` (CSV of every
    strategy and batch) and ``metrics`` (JSON)."""
    from algorithms.engines.date import read_dataset

    started = time.perf_counter()
    params = resolve_params(params)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    progress(1, "loading")
    frame = read_dataset(Path(dataset_csv), labelled=True)
    result = run(frame, params, seed=seed, progress=progress)
    elapsed = time.perf_counter() - started
    batches_path = write_csv(workdir / "batches.csv", result.rows)
    metrics = {
        "engine": ENGINE_VERSION,
        "seed": seed,
        "params": params,
        "training": result.training,
        "batches": [{"first_date": a, "last_date": b} for a, b in result.windows],
        "strategies": result.summary,
        "seconds": round(elapsed, 2),
    }
    metrics_path = workdir / "metrics.json"
    metrics_path.write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    progress(100, "done")
    best = max(result.summary, key=lambda n: result.summary[n]["precision"])
    summary = (
        f"Simulated {len(result.windows)} batches x {len(result.summary)} strategies (seed {seed}) in {elapsed:.1f} s; "
        + "; ".join(
            f"{figures['label']}: precision {figures['precision']:.3f}, recall {figures['recall']:.3f}, "
            f"revenue {figures['revenue']:.3f}"
            for figures in result.summary.values()
        )
        + f". Highest cumulative precision: {result.summary[best]['label']}."
    )
    return EngineResult(metrics=metrics, artifacts={"batches": batches_path, "metrics": metrics_path}, summary=summary)
