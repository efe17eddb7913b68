"""Scoring new declarations with a saved model: ``score``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import torch
import xgboost as xgb

from algorithms.declarations import DECLARATION_ID
from algorithms.engines import date_model
from algorithms.engines.base import EngineError, EngineResult, ProgressCallback
from algorithms.engines.features import (
    features_from_state,
)

from .data import ENGINE_VERSION, MODEL_LABELS, READABLE_ENGINE_VERSIONS, read_dataset
from .models import DateModel, _new_network, is_unseen, predict_unseen, predict_xgboost, routed_scores


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
