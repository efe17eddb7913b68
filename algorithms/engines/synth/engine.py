"""The engine: ``train_and_generate`` checks the parameters, holds out a test part, fits and generates."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from algorithms.declarations import (
    FRAUD,
)
from algorithms.engines.base import EngineError, EngineResult, ProgressCallback

from .data import (
    DEFAULT_PARAMS,
    MAX_ROWS,
    METRICS_MAX_ROWS,
    MIN_LEARNING_ROWS,
    dataset_columns,
    is_labelled,
    load_dataset,
    write_layout_csv,
)
from .sampling import _pseudonymise, fit, generate


# --------------------------------------------------------------------------------------------- the engine
def _checked_params(params: dict, rows: int) -> dict:
    unknown = set(params) - set(DEFAULT_PARAMS)
    if unknown:
        raise EngineError("Unknown parameters: " + ", ".join(sorted(unknown)) + ".")
    merged = {**DEFAULT_PARAMS, **params}
    if not isinstance(rows, int) or not 1 <= rows <= MAX_ROWS:
        raise EngineError(f"The number of rows must be between 1 and {MAX_ROWS:,}.")
    try:
        merged["holdout_fraction"] = float(merged["holdout_fraction"])
        merged["numeric_noise"] = float(merged["numeric_noise"])
        merged["date_jitter_days"] = int(merged["date_jitter_days"])
        merged["min_group"] = int(merged["min_group"])
        merged["min_differences"] = int(merged["min_differences"])
    except (TypeError, ValueError):
        raise EngineError("A parameter has a value of the wrong type.")
    if not 0.0 <= merged["holdout_fraction"] <= 0.5:
        raise EngineError("holdout_fraction must be between 0 and 0.5.")
    if not 0.0 <= merged["numeric_noise"] <= 1.0:
        raise EngineError("numeric_noise must be between 0 and 1.")
    if not 0 <= merged["date_jitter_days"] <= 60:
        raise EngineError("date_jitter_days must be between 0 and 60.")
    if not 1 <= merged["min_group"] <= 100:
        raise EngineError("min_group must be between 1 and 100.")
    if not 0 <= merged["min_differences"] <= 6:
        raise EngineError("min_differences must be between 0 and 6.")
    if merged["donor_key"] not in ("goods", "hs6"):
        raise EngineError('donor_key must be "goods" or "hs6".')
    merged["pseudonymise_ids"] = bool(merged["pseudonymise_ids"])
    return merged


def split_holdout(frame: pd.DataFrame, fraction: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A random holdout (stratified by the fraud label) kept out of learning; ``None`` when ``fraction`` is 0."""
    if fraction <= 0:
        return frame, None
    rng = np.random.default_rng([seed, 1])
    held = np.zeros(len(frame), dtype=bool)
    for label in np.unique(frame[FRAUD]):
        rows = np.flatnonzero(frame[FRAUD].to_numpy() == label)
        held[rng.choice(rows, round(len(rows) * fraction), replace=False)] = True
    return frame[~held].reset_index(drop=True), frame[held].reset_index(drop=True)


def train_and_generate(
    dataset_csv: Path, *, workdir: Path, seed: int, rows: int, progress: ProgressCallback, params: dict
) -> EngineResult:
    """Learns ``dataset_csv`` and writes ``rows`` synthetic declarations and a report of metrics into ``workdir``."""
    from algorithms.engines.synth_metrics import evaluate

    started = time.perf_counter()
    params = _checked_params(dict(params or {}), rows)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    progress(2, "reading the dataset")
    frame = load_dataset(Path(dataset_csv))
    labelled = is_labelled(dataset_columns(Path(dataset_csv)))
    learn, holdout = split_holdout(frame, params["holdout_fraction"], seed)
    if len(learn) < MIN_LEARNING_ROWS:
        raise EngineError(
            f"The dataset has too few rows to learn from: {len(learn)} after the holdout, "
            f"at least {MIN_LEARNING_ROWS} are needed."
        )

    progress(10, "learning the dataset")
    model = fit(learn)
    learned_at = time.perf_counter()

    progress(30, "generating synthetic declarations")
    synthetic = generate(model, rows, seed=seed, params=params, progress=progress, avoid=frame)
    generated_at = time.perf_counter()

    def metrics_progress(percent: int, stage: str) -> None:
        progress(50 + percent * 45 // 100, stage)

    rng = np.random.default_rng([seed, 2])
    measured = synthetic
    if len(synthetic) > METRICS_MAX_ROWS:
        measured = synthetic.iloc[np.sort(rng.choice(len(synthetic), METRICS_MAX_ROWS, replace=False))]
    metrics = evaluate(learn, measured, holdout, seed=seed, labelled=labelled, progress=metrics_progress)

    progress(96, "writing the synthetic CSV")
    if params["pseudonymise_ids"]:
        synthetic = _pseudonymise(synthetic, np.random.default_rng([seed, 3]))
    synthetic_path = workdir / "synthetic.csv"
    write_layout_csv(synthetic, synthetic_path, labelled=labelled)
    finished = time.perf_counter()

    metrics.update(
        {
            "rows_learned": len(learn),
            "rows_holdout": 0 if holdout is None else len(holdout),
            "rows_generated": len(synthetic),
            "rows_measured": len(measured),
            "seconds_learning": round(learned_at - started, 2),
            "seconds_generating": round(generated_at - learned_at, 2),
            "seconds_total": round(finished - started, 2),
            "params": params,
            "seed": seed,
            "labelled": labelled,
            "method": "conditional hot-deck sampler (goods key, perturbed mass, donor rows for the other columns)",
        }
    )
    report_path = workdir / "report.json"
    report_path.write_text(json.dumps(metrics, indent=2, sort_keys=True), encoding="utf-8")
    summary = (
        f"Generated {len(synthetic):,} synthetic declarations from {len(learn):,} learned rows in "
        f"{metrics['seconds_total']:.1f} s; column shapes {metrics['column_shapes']:.3f}, pair trends "
        f"{metrics['pair_trends']:.3f}, detection {metrics['detection']:.3f}, exact copies {metrics['exact_copies']}"
    )
    if "utility" in metrics:
        summary += f", utility {metrics['utility']:.3f}"
    if "dcr_synthetic_median" in metrics:
        summary += f", DCR median {metrics['dcr_synthetic_median']:.3f} (holdout {metrics['dcr_holdout_median']:.3f})"
    if "utility" not in metrics:
        summary += "; utility not measured (it needs a holdout and the Fraud label with frauds and non-frauds)"
    if "dcr_synthetic_median" not in metrics:
        summary += "; privacy against a holdout not measured (holdout_fraction is 0)"
    progress(100, "done")
    return EngineResult(
        metrics=metrics, artifacts={"synthetic": synthetic_path, "report": report_path}, summary=summary + "."
    )
