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

from .data import ENGINE_VERSION, MODEL_LABELS, READABLE_ENGINE_VERSIONS, count_rows, read_dataset_chunks
from .models import DateModel, _new_network, is_unseen, predict_unseen, predict_xgboost


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


SCORE_CHUNK_ROWS = 100 * 1024  # declarations read, featurised and scored at a time (a multiple of the DATE batch)
WRITE_CHUNK_ROWS = 200_000  # rows of the ranked CSV formatted and written at a time


class _Champion:
    """The saved champion's fraud probability for a chunk; DATE's revenue is computed for every champion."""

    def __init__(self, model_path: Path, meta: dict, date: DateModel, label_free: list[str]):
        self.name, self.date, self.label_free = meta["champion"], date, label_free
        self.booster = self.unseen = None
        if self.name == "xgboost":
            self.booster = xgb.Booster()
            self.booster.load_model(model_path / "xgboost.json")
            self.booster.best_iteration = meta["xgboost_best_iteration"]
        elif self.name in ("lightgbm", "routed"):
            self.booster = lgb.Booster(model_file=str(model_path / "lightgbm.txt"))
            if self.name == "routed":
                self.unseen = [
                    lgb.Booster(model_file=str(model_path / f"unseen_{i}.txt"))
                    for i in range(meta.get("unseen_models", 0))
                ]

    def predict(self, frame: pd.DataFrame, table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        probability, revenue = self.date.predict(frame, table)
        if self.name == "xgboost":
            probability = predict_xgboost(self.booster, table)
        elif self.name == "lightgbm":
            probability = self.booster.predict(table)
        elif self.name == "routed":
            # each model only on the rows it decides (a tree model scores every row on its own): the history
            # model on seen goods combinations, the label-free models on unseen ones
            unseen = is_unseen(table)
            probability = np.empty(len(table), dtype=float)
            if (~unseen).any():
                probability[~unseen] = self.booster.predict(table[~unseen])
            if unseen.any():
                probability[unseen] = predict_unseen(self.unseen, table[unseen], self.label_free)
        return probability, revenue


def score(
    model_path: Path,
    dataset_csv: Path,
    *,
    workdir: Path,
    progress: ProgressCallback,
    chunk_rows: int = SCORE_CHUNK_ROWS,
    write_rows: int = WRITE_CHUNK_ROWS,
) -> EngineResult:
    """Ranks the declarations of ``dataset_csv`` (labels not needed) into ``scores.csv``, most suspicious first.

    Streams: the file is read, featurised and scored ``chunk_rows`` declarations at a time (progress is reported
    and cancellation honoured after every chunk); only each row's id, probability and predicted revenue are kept,
    then the whole file is ranked at once (by probability, then predicted revenue) and the CSV written
    ``write_rows`` rows at a time. Every row's figures depend on that row alone, so the ranking is the one of
    scoring the whole file in one piece (a known-answer test checks it byte for byte). ``chunk_rows`` is rounded
    up to a multiple of the DATE network's forward pass (``date_model.PREDICT_BATCH``) for that purpose."""
    batch = date_model.PREDICT_BATCH
    chunk_rows = -(-max(chunk_rows, 1) // batch) * batch
    started = time.perf_counter()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    progress(2, "loading the model")
    meta, features, date = _load_model(Path(model_path))
    torch.set_num_threads(meta["params"]["threads"])
    champion = _Champion(Path(model_path), meta, date, features.label_free_features)
    progress(5, "loading")
    expected = max(count_rows(Path(dataset_csv)), 1)
    ids, probabilities, revenues = [], [], []
    done = 0
    for frame in read_dataset_chunks(Path(dataset_csv), chunk_rows=chunk_rows):
        table = features.transform(frame)
        probability, revenue = champion.predict(frame, table)
        ids.append(frame[DECLARATION_ID].to_numpy(object))
        probabilities.append(probability)
        revenues.append(revenue)
        done += len(frame)
        del frame, table
        progress(5 + 80 * min(done, expected) // expected, f"scored {done:,} of {max(done, expected):,} declarations")
    ids, probability, revenue = np.concatenate(ids), np.concatenate(probabilities), np.concatenate(revenues)
    del probabilities, revenues

    progress(85, "writing the ranking")
    order = np.lexsort((-revenue, -probability))  # by probability, then predicted revenue
    scores_path = workdir / "scores.csv"
    rows = len(order)
    for start in range(0, rows, write_rows):
        part = order[start : start + write_rows]
        pd.DataFrame(
            {
                "Declaration ID": ids[part],
                "fraud probability": np.round(probability[part], 6),
                "predicted revenue": np.round(revenue[part], 0),
                "rank": np.arange(start + 1, start + len(part) + 1, dtype=np.int64),
            }
        ).to_csv(scores_path, index=False, mode="w" if start == 0 else "a", header=start == 0)
        progress(85 + 14 * min(start + write_rows, rows) // rows, "writing the ranking")
    elapsed = time.perf_counter() - started
    progress(100, "done")
    top = max(1, round(rows * 0.05))
    threshold = round(float(probability[order[top - 1]]), 6)
    return EngineResult(
        metrics={"rows": rows, "champion": champion.name, "seconds": round(elapsed, 2), "chunk_rows": chunk_rows},
        artifacts={"scores": scores_path},
        summary=(
            f"Ranked {rows} declarations with the {MODEL_LABELS[champion.name]} champion in {elapsed:.1f} s; "
            f"the top 5 % ({top}) have a fraud probability of at least {threshold:.3f}."
        ),
    )
