"""Training: ``train`` fits every model, picks the champion and saves the ``model`` artifact."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import time
from pathlib import Path

import numpy as np
import torch

from algorithms.declarations import DATE, FRAUD, HS6_CODE, IMPORTER_ID, ITEM_PRICE, TAX_RATE
from algorithms.engines.base import EngineResult, ProgressCallback
from algorithms.engines.date_chart import write_precision_chart
from algorithms.engines.features import (
    COMBINATION,
    DeclarationFeatures,
    features_to_state,
    labels_of,
    revenue_proxy,
)
from algorithms.engines.fraud_metrics import (
    CURVE_RATES,
    INSPECTION_RATES,
    fit_lightgbm,
    ranking_curves,
    ranking_metrics,
)

from .champion import choose_champion, selection_figures
from .data import (
    CHAMPION_DECIMALS,
    ENGINE_VERSION,
    MIN_EVAL_FRAUDS,
    MODEL_LABELS,
    MODEL_NAMES,
    read_dataset,
    resolve_params,
    split_by_date,
)
from .models import (
    DateModel,
    _enough,
    _seed_everything,
    fit_date,
    fit_unseen_models,
    fit_xgboost,
    is_unseen,
    predict_unseen,
    predict_xgboost,
    routed_scores,
)

# ----------------------------------------------------------------------------------------------- train
IMPORTANCE_FEATURES = 15


def _feature_importance(booster) -> dict:
    """The LightGBM model's total gain by feature, as shares of the whole, the largest first (at most 15)."""
    gains = booster.feature_importance(importance_type="gain")
    total = float(np.sum(gains)) or 1.0
    ranked = sorted(zip(booster.feature_name(), gains, strict=True), key=lambda item: -item[1])
    return {
        "model": "lightgbm",
        "kind": "gain",
        "features": [[name, round(float(gain) / total, 4)] for name, gain in ranked[:IMPORTANCE_FEATURES] if gain > 0],
    }


def train(dataset_csv: Path, *, workdir: Path, seed: int, progress: ProgressCallback, params: dict) -> EngineResult:
    """Trains XGBoost, LightGBM and DATE on a date split of ``dataset_csv``; see the module docstring."""
    started = time.perf_counter()
    params = resolve_params(params)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    _seed_everything(seed, params["threads"])
    timings: dict[str, float] = {}

    progress(1, "loading")
    train_df, valid_df, test_df = split_by_date(read_dataset(Path(dataset_csv), labelled=True), params)
    timings["loading"] = time.perf_counter() - started

    progress(8, "features")
    clock = time.perf_counter()
    features = DeclarationFeatures(seed=seed, use_extras=params["use_extra_columns"])
    train_x = features.fit_transform(train_df)
    valid_x, test_x = features.transform(valid_df), features.transform(test_df)
    train_y, valid_y, test_y = labels_of(train_df), labels_of(valid_df), labels_of(test_df)
    valid_revenue, test_revenue = revenue_proxy(valid_df), revenue_proxy(test_df)
    split = _split_summary(train_df, valid_df, test_df)
    cap = params["date_max_rows"]
    date_train, date_valid = _at_most(len(train_df), cap, seed), _at_most(len(valid_df), cap, seed + 1)
    # The raw declarations (a Python string per cell) weigh more than the feature table: from here on only the
    # columns DATE reads are kept, and of the training rows only DATE's sample
    date_train_df = _date_columns(train_df.iloc[date_train])
    valid_df, test_df = _date_columns(valid_df), _date_columns(test_df)
    del train_df
    _return_freed_memory()
    timings["features"] = time.perf_counter() - clock

    scores: dict[str, dict[str, np.ndarray]] = {}
    progress(15, "baseline XGBoost")
    clock = time.perf_counter()
    xgb_booster = fit_xgboost(train_x, train_y, valid_x, valid_y, params, seed)
    scores["xgboost"] = {"valid": predict_xgboost(xgb_booster, valid_x), "test": predict_xgboost(xgb_booster, test_x)}
    timings["xgboost"] = time.perf_counter() - clock
    _return_freed_memory()

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
    _return_freed_memory()

    progress(30, "model for unseen combinations")
    clock = time.perf_counter()
    valid_unseen, test_unseen = is_unseen(valid_x), is_unseen(test_x)
    label_free = features.label_free_features
    unseen_boosters = fit_unseen_models(
        train_x, train_y, valid_x, valid_y, valid_unseen, params, seed, label_free, features.categorical_features
    )
    scores["routed"] = {
        part: routed_scores(scores["lightgbm"][part], predict_unseen(unseen_boosters, x, label_free), mask)
        for part, x, mask in (("valid", valid_x, valid_unseen), ("test", test_x, test_unseen))
    }
    timings["routed"] = timings["lightgbm"] + time.perf_counter() - clock
    _return_freed_memory()

    progress(35, "DATE trees")
    clock = time.perf_counter()
    date = fit_date(
        date_train_df,
        train_x.iloc[date_train].reset_index(drop=True),
        valid_df.iloc[date_valid].reset_index(drop=True),
        valid_x.iloc[date_valid].reset_index(drop=True),
        params,
        seed,
        progress,
        40,
        90,
        categorical=features.categorical_features,
    )
    subsampling = {
        "date": {
            "rule": (
                f"DATE (trees, id vocabularies and networks) fitted on at most {cap} training declarations and its "
                f"epoch chosen on at most {cap} valid declarations, drawn at random without replacement (seeded "
                "by the job's seed); every other model uses all rows, and every model is measured on all valid "
                "and test rows"
            ),
            "max_rows": cap,
            "train_rows": len(date_train),
            "train_rows_available": split["train"]["rows"],
            "valid_rows": len(date_valid),
            "valid_rows_available": len(valid_df),
        }
    }
    scores["date"] = {
        part: date.predict_in_chunks(df, x)[0]
        for part, df, x in (("valid", valid_df, valid_x), ("test", test_df, test_x))
    }
    timings["date"] = time.perf_counter() - clock

    progress(92, "evaluating")
    rate = params["target_rate"]
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
    curves = {"rates": list(CURVE_RATES), "models": {}}
    for name in MODEL_NAMES:
        test_scores = scores[name]["test"]
        curves["models"][name] = {
            "test": ranking_curves(test_scores, test_y, test_revenue),
            "test_unseen": ranking_curves(test_scores[test_unseen], test_y[test_unseen], test_revenue[test_unseen])
            if test_unseen.any()
            else None,
        }
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
    _save_model(
        model_dir, features, xgb_booster, lgb_booster, unseen_boosters, date, champion, seed, params, date_train
    )
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
        "curves": curves,
        "feature_importance": _feature_importance(lgb_booster),
        "extra_features": features.extra.summary(),
        "split": split,
        "revenue_proxy": "Item Price x Tax Rate / 100 on fraudulent declarations (KRW)",
        "seed": seed,
        "params": params,
        "timings_seconds": {k: round(v, 2) for k, v in timings.items()},
        "subsampling": subsampling,
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
        + f", AUC {best['auc']:.3f}{unseen_text}; {split['train']['rows']} training, {split['valid']['rows']} valid, "
        f"{split['test']['rows']} test rows; {timings['total']:.1f} s."
    )
    return EngineResult(
        metrics=metrics, artifacts={"model": model_dir, "chart": chart, "metrics": metrics_path}, summary=summary
    )


def _return_freed_memory() -> None:
    """Collects garbage and hands the C heap's free pages back to the system (glibc ``malloc_trim``): the freed raw
    declarations (millions of small strings) would otherwise stay resident, while the next model's large arrays are
    mapped beside them. Only memory use changes, never a figure."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to hand back this way
        ctypes.CDLL("libc.so.6").malloc_trim(0)


DATE_COLUMNS = (IMPORTER_ID, HS6_CODE, ITEM_PRICE, TAX_RATE, FRAUD)  # what DATE reads besides the feature table


def _date_columns(frame):
    return frame[list(DATE_COLUMNS)].reset_index(drop=True)


def _split_summary(train_df, valid_df, test_df) -> dict:
    return {
        name: {
            "first_date": f"{df[DATE].min():%Y-%m-%d}",
            "last_date": f"{df[DATE].max():%Y-%m-%d}",
            "rows": len(df),
            "frauds": int(df[FRAUD].sum()),
        }
        for name, df in (("train", train_df), ("valid", valid_df), ("test", test_df))
    }


def _at_most(rows: int, cap: int, seed: int) -> np.ndarray:
    """Row positions: all of them when there are at most ``cap``, else ``cap`` drawn at random without replacement
    (seeded), in their original order."""
    if rows <= cap:
        return np.arange(rows)
    return np.sort(np.random.default_rng(seed).choice(rows, size=cap, replace=False))


def _save_model(
    model_dir: Path, features, xgb_booster, lgb_booster, unseen, date: DateModel, champion, seed, params, date_train
):
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
            "train_rows": len(date_train),
            "dense": date.dense,
        },
    }
    (model_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
