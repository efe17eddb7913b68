"""A tiny engine obeying the contract of ``algorithms.engines.base``, for testing the job machinery.

It is real code run by the real runner (in-process or in a worker process): it reads the dataset, reports
progress, honours ``params`` (``sleep`` seconds per step, ``steps``, ``fail`` to raise an EngineError, ``crash``
to raise an unexpected error) and writes a model directory, a CSV and a metrics figure computed from the data.
"""

import csv
import json
import os
import random
import time
from pathlib import Path

from algorithms.engines.base import EngineError, EngineResult


def _steps(progress, params: dict, label: str) -> None:
    steps = int(params.get("steps", 3))
    for step in range(steps):
        progress(int(100 * step / max(steps, 1)), f"{label} {step + 1}/{steps}")
        time.sleep(float(params.get("sleep", 0)))


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def train(dataset_csv, *, workdir: Path, seed: int, progress, params: dict) -> EngineResult:
    if params.get("fail"):
        raise EngineError("The data has no fraud at all.")
    if params.get("crash"):
        raise RuntimeError("boom")
    if params.get("outside"):  # a file outside the job's folder must not be stored
        return EngineResult(metrics={}, artifacts={"model": Path(__file__)})
    rows = _read(dataset_csv)
    _steps(progress, params, "Training")
    fraud_rate = sum(row["Fraud"] == "1" for row in rows) / len(rows)
    model = workdir / "model"
    model.mkdir()
    (model / "weights.json").write_text(json.dumps({"seed": seed, "fraud_rate": fraud_rate}))
    chart = workdir / "chart.svg"
    chart.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    draw = random.Random(seed).random()
    return EngineResult(
        metrics={"fraud_rate": round(fraud_rate, 4), "rows": len(rows), "draw": draw},
        artifacts={"model": model, "chart": chart},
        summary=f"Trained on {len(rows)} rows.",
    )


def score(model_path, dataset_csv, *, workdir: Path, progress) -> EngineResult:
    weights = json.loads((Path(model_path) / "weights.json").read_text())
    rows = _read(dataset_csv)
    progress(50, "Scoring")
    out = workdir / "scores.csv"
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Declaration ID", "score"])
        for row in rows:
            writer.writerow([row["Declaration ID"], weights["fraud_rate"]])
    return EngineResult(metrics={"rows": len(rows)}, artifacts={"scores": out})


NOMENCLATURE_TOP5 = 0.5  # what the tiny "nomenclature-only model" scores on any held-out split


def aihs_train(labelled_csv, *, workdir: Path, seed: int, progress, params: dict, champion=None) -> EngineResult:
    """Labelled: the new model scores ``params["hs6_top5"]`` (default 0.6) and is compared with the champion,
    whose score is the one stored in its model file (the nomenclature-only model: 0.5)."""
    progress(10, "Reading")
    if labelled_csv is not None:
        rows = _read(labelled_csv)
        if not rows or "hs_code" not in rows[0]:
            raise EngineError("Not a labelled file.")
    score = float(params.get("hs6_top5", 0.6)) if labelled_csv is not None else NOMENCLATURE_TOP5
    model = workdir / "aihs.json"
    model.write_text(json.dumps({"labelled": labelled_csv is not None, "hs6_top5": score}))
    metrics = {"top5_hs6": score}
    if labelled_csv is not None:
        rival = json.loads(Path(champion).read_text())["hs6_top5"] if champion else NOMENCLATURE_TOP5
        metrics["n_rows"] = len(rows)
        metrics["comparison"] = {
            "n_holdout": max(1, len(rows) // 5),
            "criterion": "top-5 HS6",
            "new": {"hs6_top5": score, "hs6_top1": score / 2, "hs4_top5": score},
            "champion": {"hs6_top5": rival, "hs6_top1": rival / 2, "hs4_top5": rival},
            "champion_model": "tiny",
            "better": score > rival,
            "error": "",
        }
    return EngineResult(metrics=metrics, artifacts={"model": model})


def synth(dataset_csv, *, workdir: Path, seed: int, rows: int, progress, params: dict) -> EngineResult:
    source = _read(dataset_csv)
    _steps(progress, params, "Generating")
    rng = random.Random(seed)
    out = workdir / "synthetic.csv"
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(source[0]))
        writer.writeheader()
        for _ in range(rows):
            writer.writerow(rng.choice(source))
    return EngineResult(metrics={"rows": rows}, artifacts={"synthetic": out})


# What the service's "why" of the tiny suggestion is: it names no text, tariff line or example.
COFFEE_WHY = {
    "subheading": "",
    "heading_code": "0901",
    "heading": "",
    "tariff_code": "",
    "tariff_line": "",
    "examples": [],
}


class _Suggester:
    def suggest(self, description: str, k: int = 5) -> list[dict]:
        if description.strip().lower() == "goods":  # a description too vague to answer with any confidence
            return [{"code": "999999", "description": "Anything", "confidence": 0.01}][:k]
        return [{"code": "090111", "description": "Coffee, not roasted", "confidence": 0.9}][:k]


def aihs_default():
    return _Suggester()


class _LabelledSuggester(_Suggester):
    """A model trained on labelled descriptions explains with the nomenclature and its nearest examples."""

    def suggest(self, description: str, k: int = 5) -> list[dict]:
        return [
            {
                **item,
                "subheading": "Coffee; not roasted or decaffeinated",
                "heading_code": "0901",
                "heading": "Coffee, whether or not roasted or decaffeinated",
                "examples": [{"description": "arabica beans, green", "code": item["code"], "similarity": 0.8}],
            }
            for item in super().suggest(description, k)
        ]


def aihs_load(model_path):
    path = Path(model_path)
    labelled = path.is_file() and json.loads(path.read_text()).get("labelled")
    return _LabelledSuggester() if labelled else _Suggester()


def aihs_batch(model_path, descriptions_csv, *, workdir: Path, seed: int, progress, params: dict) -> EngineResult:
    """The real batch classification (reading, flagging, writing) with the tiny suggester in place of the model;
    ``TINY_BATCH_SLEEP`` (environment) seconds per description let a test cancel it."""
    from algorithms.engines.aihs.batch import run_batch

    suggester = aihs_load(model_path) if model_path else _Suggester()
    pause = float(os.environ.get("TINY_BATCH_SLEEP") or 0)
    if pause:
        slow = suggester.suggest

        def suggest(description, k=5):
            time.sleep(pause)
            return slow(description, k)

        suggester.suggest = suggest
    return run_batch(suggester, descriptions_csv, workdir=workdir, seed=seed, progress=progress, params=params)


ENGINES = {
    "date_train": "tests.algorithms.tiny_engine.train",
    "date_score": "tests.algorithms.tiny_engine.score",
    "date_simulate": "algorithms.engines.selection.simulation.simulate",
    "aihs_train": "tests.algorithms.tiny_engine.aihs_train",
    "aihs_batch": "tests.algorithms.tiny_engine.aihs_batch",
    "synth": "tests.algorithms.tiny_engine.synth",
    "aihs_load": "tests.algorithms.tiny_engine.aihs_load",
    "aihs_default": "tests.algorithms.tiny_engine.aihs_default",
}
