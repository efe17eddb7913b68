"""The DATE fraud-detection engine (algorithms/engines/date.py) on the shipped 3,000-row sample."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from algorithms.declarations import LABEL_COLUMNS, read_declarations
from algorithms.engines import date
from algorithms.engines.base import EngineError, JobCancelled, noop_progress
from algorithms.engines.fraud_metrics import auc, precision_at, recall_at, revenue_at

SAMPLE = Path(__file__).resolve().parents[3] / "algorithms" / "data" / "declarations_sample.csv"
SMALL = {"date_epochs": 3, "date_networks": 2, "date_trees": 20, "xgb_rounds": 100}


def _raw() -> pd.DataFrame:
    return pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("date-train")
    calls = []
    result = date.train(SAMPLE, workdir=workdir, seed=7, progress=lambda p, s: calls.append((p, s)), params=dict(SMALL))
    return result, calls


def test_train_returns_metrics_and_artifacts(trained):
    result, _ = trained
    metrics = result.metrics
    assert set(metrics["models"]) == {"date", "lightgbm", "xgboost", "routed"}
    assert metrics["champion"] in metrics["models"]
    for model in metrics["models"].values():
        for part in ("valid", "test"):
            for rate in (1, 2, 5, 10):
                for name in ("precision", "recall", "revenue"):
                    assert 0.0 <= model[part][f"{name}@{rate}"] <= 1.0
            assert 0.0 <= model[part]["auc"] <= 1.0
    # the top-level figures are the champion's on the test period
    assert metrics["precision@5"] == metrics["models"][metrics["champion"]]["test"]["precision@5"]
    split = metrics["split"]
    assert split["train"]["last_date"] < split["valid"]["first_date"] <= split["valid"]["last_date"]
    assert split["valid"]["last_date"] < split["test"]["first_date"]
    assert sum(part["rows"] for part in split.values()) == len(_raw())

    artifacts = result.artifacts
    assert {"model", "chart", "metrics"} <= set(artifacts)
    assert (artifacts["model"] / "meta.json").is_file()
    assert json.loads(artifacts["metrics"].read_text())["champion"] == metrics["champion"]
    svg = artifacts["chart"].read_text()
    assert svg.startswith("<svg") and "precision@5%" in svg and "LightGBM" in svg
    assert "Champion" in result.summary


def test_champion_beats_random_ranking(trained):
    result, _ = trained
    test = result.metrics["models"][result.metrics["champion"]]["test"]
    base_rate = result.metrics["split"]["test"]["frauds"] / result.metrics["split"]["test"]["rows"]
    assert test["auc"] >= 0.8
    assert test["precision@10"] >= 2.5 * base_rate
    assert test["recall@10"] >= 2 * 0.10


def test_split_of_the_public_files_falls_on_their_boundaries(trained):
    split = trained[0].metrics["split"]
    assert split["train"]["last_date"] == "2020-12-31"
    assert split["test"]["first_date"] == "2021-04-01"


def test_progress_increases_to_100_with_named_stages(trained):
    _, calls = trained
    percents = [p for p, _ in calls]
    assert percents == sorted(percents)
    assert percents[-1] == 100 and len(calls) >= 8
    stages = " ".join(s for _, s in calls)
    for stage in ("loading", "features", "XGBoost", "LightGBM", "DATE epoch 1 of 3 (network 2 of 2)"):
        assert stage in stages


def test_score_ranks_a_dataset_without_labels(trained, tmp_path):
    result, _ = trained
    raw = _raw()
    unlabelled = tmp_path / "to_score.csv"
    raw.drop(columns=list(LABEL_COLUMNS)).to_csv(unlabelled, index=False)
    scored = date.score(result.artifacts["model"], unlabelled, workdir=tmp_path / "out", progress=noop_progress)
    table = pd.read_csv(scored.artifacts["scores"], dtype={"Declaration ID": str})
    assert list(table.columns) == ["Declaration ID", "fraud probability", "predicted revenue", "rank"]
    assert len(table) == len(raw) and scored.metrics["rows"] == len(raw)
    assert sorted(table["Declaration ID"]) == sorted(raw["Declaration ID"])
    assert table["rank"].tolist() == list(range(1, len(raw) + 1))
    assert table["fraud probability"].is_monotonic_decreasing
    assert table["fraud probability"].between(0, 1).all() and (table["predicted revenue"] >= 0).all()
    # the ranking is informative: the labels (kept aside) are concentrated at the top
    labels = table["Declaration ID"].map(raw.set_index("Declaration ID")["Fraud"].astype(int))
    top = labels.iloc[: len(labels) // 10]
    assert top.mean() >= 2 * labels.mean()


def test_same_seed_gives_the_same_models_and_scores(trained, tmp_path):
    first, _ = trained
    again = date.train(SAMPLE, workdir=tmp_path / "again", seed=7, progress=noop_progress, params=dict(SMALL))
    assert again.metrics["models"].keys() == first.metrics["models"].keys()
    for name, model in first.metrics["models"].items():
        assert again.metrics["models"][name]["valid"] == model["valid"]
        assert again.metrics["models"][name]["test"] == model["test"]
    scores = [
        date.score(r.artifacts["model"], SAMPLE, workdir=tmp_path / f"s{i}", progress=noop_progress)
        for i, r in enumerate((first, again))
    ]
    assert scores[0].artifacts["scores"].read_bytes() == scores[1].artifacts["scores"].read_bytes()


def test_too_few_frauds_is_a_clear_error(tmp_path):
    raw = _raw()
    frauds = raw.index[raw["Fraud"] == "1"]
    raw.loc[frauds[10:], ["Fraud", "Critical Fraud"]] = "0"
    path = tmp_path / "few.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(EngineError, match=r"train period .* fraud .* at least 20"):
        date.train(path, workdir=tmp_path / "w", seed=0, progress=noop_progress, params=dict(SMALL))


def test_a_single_date_is_a_clear_error(tmp_path):
    raw = _raw()
    raw["Date"] = "2021-03-01"
    path = tmp_path / "one_day.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(EngineError, match=r"1 date.* at least 3 distinct dates"):
        date.train(path, workdir=tmp_path / "w", seed=0, progress=noop_progress, params=dict(SMALL))


def test_missing_columns_and_bad_params_are_clear_errors(tmp_path):
    path = tmp_path / "no_fraud.csv"
    _raw().drop(columns=["Fraud"]).to_csv(path, index=False)
    with pytest.raises(EngineError, match=r"lacks the column.*Fraud"):
        date.train(path, workdir=tmp_path / "w", seed=0, progress=noop_progress, params={})
    with pytest.raises(EngineError, match="date_epochs"):
        date.train(SAMPLE, workdir=tmp_path / "w", seed=0, progress=noop_progress, params={"date_epochs": 0})
    with pytest.raises(EngineError, match="Unknown parameter"):
        date.train(SAMPLE, workdir=tmp_path / "w", seed=0, progress=noop_progress, params={"epochs": 3})
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\x00\xff\xfe binary")
    with pytest.raises(EngineError):
        date.train(garbage, workdir=tmp_path / "w", seed=0, progress=noop_progress, params={})


def test_given_split_dates_are_used(tmp_path):
    result = date.train(
        SAMPLE,
        workdir=tmp_path,
        seed=0,
        progress=noop_progress,
        params={**SMALL, "date_epochs": 1, "split_dates": ["2020-11-01", "2021-02-15"]},
    )
    split = result.metrics["split"]
    assert split["train"]["last_date"] < "2020-11-01" <= split["valid"]["first_date"]
    assert split["valid"]["last_date"] < "2021-02-15" <= split["test"]["first_date"]


def test_cancel_from_the_progress_callback_stops_training(tmp_path):
    stages = []

    def progress(percent, stage):
        stages.append(stage)
        if stage.startswith("DATE epoch 2"):
            raise JobCancelled

    with pytest.raises(JobCancelled):
        date.train(SAMPLE, workdir=tmp_path, seed=0, progress=progress, params=dict(SMALL))
    assert stages[-1] == "DATE epoch 2 of 3 (network 1 of 2)"
    assert not (tmp_path / "metrics.json").exists()


def test_metric_helpers():
    labels = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 1])
    scores = np.arange(10, 0, -1)  # row 0 first
    assert precision_at(scores, labels, 20) == 0.5  # top 2 rows
    assert recall_at(scores, labels, 30) == pytest.approx(2 / 3)
    assert revenue_at(scores, labels * np.arange(1, 11), 10) == pytest.approx(1 / 14)
    assert auc(labels, labels) == 1.0 and auc(-labels, labels) == 0.0
    assert auc(np.zeros(10), labels) == 0.5
    assert read_declarations(SAMPLE)["Fraud"].isin([0, 1]).all()
