"""The DATE job's champion rule and the unseen goods combinations (issue 14, part 2)."""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from algorithms.declarations import LABEL_COLUMNS, read_declarations
from algorithms.engines import date
from algorithms.engines.base import EngineError, noop_progress
from algorithms.engines.features import COMBINATION, DeclarationFeatures, unseen_mask

SAMPLE = Path(__file__).resolve().parents[3] / "algorithms" / "data" / "declarations_sample.csv"
SMALL = {"date_epochs": 2, "date_networks": 1, "date_trees": 10, "xgb_rounds": 50, "unseen_models": 2}


def _figures(unseen_precision, unseen_revenue, all_precision=1.0, all_revenue=1.0):
    return {
        "unseen_precision": unseen_precision,
        "unseen_revenue": unseen_revenue,
        "all_precision": all_precision,
        "all_revenue": all_revenue,
    }


def test_the_model_best_on_all_rows_but_worse_on_unseen_combinations_is_not_champion():
    figures = {
        "lightgbm": _figures(0.30, 0.40, all_precision=0.99),
        "xgboost": _figures(0.31, 0.40, all_precision=0.98),
        "routed": _figures(0.42, 0.35, all_precision=0.99),
        "date": _figures(0.25, 0.50, all_precision=1.00),  # best on all rows, weakest on unseen
    }
    assert date.choose_champion(figures) == "routed"
    # without enough unseen rows the rule falls back to all valid rows
    assert date.choose_champion(figures, on_unseen=False) == "date"


def test_revenue_breaks_a_precision_tie_and_an_exact_tie_goes_to_the_simpler_model():
    figures = {
        "lightgbm": _figures(0.40, 0.30),
        "xgboost": _figures(0.40, 0.30),
        "routed": _figures(0.402, 0.301),  # equal to two decimals: a tie
        "date": _figures(0.40, 0.36),  # same precision, more revenue
    }
    assert date.choose_champion(figures) == "date"
    figures["date"] = _figures(0.404, 0.298)
    assert date.choose_champion(figures) == "lightgbm"  # all tied: the first of MODEL_NAMES
    assert date.MODEL_NAMES[0] == "lightgbm" and date.MODEL_NAMES[-1] == "date"
    del figures["lightgbm"]
    assert date.choose_champion(figures) == "xgboost"


def test_selection_figures_rank_the_unseen_rows_among_themselves():
    labels = np.array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0] * 4)
    revenue = labels * 10.0
    unseen = np.zeros(40, dtype=bool)
    unseen[20:] = True
    scores = np.where(unseen, 1 - labels, labels + 1.0)  # perfect on seen rows, inverted on unseen ones
    figures = date.selection_figures(scores, labels, revenue, unseen, 10)
    assert figures["all_precision"] == 1.0 and figures["unseen_precision"] == 0.0
    assert figures["unseen_revenue"] == 0.0 and figures["all_revenue"] == 0.5


def _row(hs, departure, origin, rate, kind, mass, importer="I1"):
    return {
        "HS6 Code": hs,
        "Country of Departure": departure,
        "Country of Origin": origin,
        "Tax Rate": rate,
        "Tax Type": kind,
        "Net Mass": mass,
        "Importer ID": importer,
    }


def test_unseen_mask_is_the_exact_goods_combination():
    reference = pd.DataFrame([_row("10101", "CN", "CN", 8.0, "A", 2.5), _row("854442", "JP", "CN", 0.0, "C", 14.4)])
    frame = pd.DataFrame(
        [
            _row("010101", "CN", "CN", 8.0, "A", 2.5, importer="I9"),  # seen (leading zero restored, new importer)
            _row("854442", "JP", "CN", 0.0, "C", 14.4),  # seen
            _row("854442", "JP", "CN", 0.0, "C", 14.5),  # another mass: unseen
            _row("854442", "KR", "CN", 0.0, "C", 14.4),  # another departure country: unseen
            _row("854442", "JP", "CN", 8.0, "C", 14.4),  # another tax rate: unseen
        ]
    )
    assert unseen_mask(reference, frame).tolist() == [False, False, True, True, True]
    assert COMBINATION == ("HS6 Code", "Country of Departure", "Country of Origin", "Tax Rate", "Tax Type", "Net Mass")
    coarse = ("HS6 Code", "Country of Origin")
    assert unseen_mask(reference, frame, coarse).tolist() == [False] * 5


def test_the_engine_s_unseen_rows_are_the_raw_mask():
    frame = read_declarations(SAMPLE)
    train, test = frame.iloc[:2000].reset_index(drop=True), frame.iloc[2000:].reset_index(drop=True)
    features = DeclarationFeatures(seed=0)
    features.fit_transform(train)
    mask = unseen_mask(train, test)
    assert 0 < mask.sum() < len(test)
    assert (date.is_unseen(features.transform(test)) == mask).all()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("date-champion")
    return date.train(SAMPLE, workdir=workdir, seed=3, progress=noop_progress, params=dict(SMALL))


def test_the_version_records_the_criterion_and_every_model_on_all_and_unseen_rows(trained):
    metrics = trained.metrics
    selection = metrics["champion_selection"]
    assert selection["target_rate"] == 5 and selection["combination"] == list(COMBINATION)
    assert "unseen in training" in selection["criterion"] or not selection["on_unseen"]
    assert metrics["champion"] == date.choose_champion(selection["figures"], on_unseen=selection["on_unseen"])
    assert set(selection["figures"]) == set(date.MODEL_NAMES)
    raw = read_declarations(SAMPLE)
    valid_start = metrics["split"]["valid"]["first_date"]
    test_start = metrics["split"]["test"]["first_date"]
    train_rows, test_rows = raw[raw["Date"] < valid_start], raw[raw["Date"] >= test_start]
    mask = unseen_mask(train_rows, test_rows)
    assert metrics["unseen_share"]["test"] == round(float(mask.mean()), 4)
    for name, model in metrics["models"].items():
        assert model["selection"] == selection["figures"][name]
        for part in ("valid_unseen", "test_unseen"):
            assert 0.0 <= model[part]["precision@5"] <= 1.0 and 0.0 <= model[part]["auc"] <= 1.0
    assert "unseen goods combination" in trained.summary


def test_a_routed_champion_scores_seen_rows_with_history_and_unseen_rows_with_the_label_free_model(trained, tmp_path):
    model_dir = tmp_path / "model"
    shutil.copytree(trained.artifacts["model"], model_dir)
    meta = json.loads((model_dir / "meta.json").read_text())
    meta["champion"] = "routed"
    (model_dir / "meta.json").write_text(json.dumps(meta))
    to_score = tmp_path / "to_score.csv"
    pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).drop(columns=list(LABEL_COLUMNS)).to_csv(
        to_score, index=False
    )
    routed = date.score(model_dir, to_score, workdir=tmp_path / "routed", progress=noop_progress)
    meta["champion"] = "lightgbm"
    (model_dir / "meta.json").write_text(json.dumps(meta))
    plain = date.score(model_dir, to_score, workdir=tmp_path / "plain", progress=noop_progress)
    a = pd.read_csv(routed.artifacts["scores"], dtype={"Declaration ID": str}).set_index("Declaration ID")[
        "fraud probability"
    ]
    b = pd.read_csv(plain.artifacts["scores"], dtype={"Declaration ID": str}).set_index("Declaration ID")[
        "fraud probability"
    ]
    b = b.loc[a.index]
    _, features, _ = date._load_model(model_dir)
    frame = read_declarations(to_score)
    unseen = pd.Series(
        date.is_unseen(features.transform(frame)), index=frame["Declaration ID"].astype(str).to_numpy()
    ).loc[a.index]
    assert unseen.any() and (~unseen).any()
    assert np.allclose(a[~unseen.to_numpy()], b[~unseen.to_numpy()])
    assert not np.allclose(a[unseen.to_numpy()], b[unseen.to_numpy()])


def test_a_model_of_the_previous_engine_version_still_scores(trained, tmp_path):
    model_dir = tmp_path / "model"
    shutil.copytree(trained.artifacts["model"], model_dir)
    meta = json.loads((model_dir / "meta.json").read_text())
    meta.update(engine="date-1", champion="lightgbm")
    del meta["unseen_models"]
    (model_dir / "meta.json").write_text(json.dumps(meta))
    for path in model_dir.glob("unseen_*.txt"):
        path.unlink()
    to_score = tmp_path / "to_score.csv"
    pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).drop(columns=list(LABEL_COLUMNS)).to_csv(
        to_score, index=False
    )
    result = date.score(model_dir, to_score, workdir=tmp_path / "scored", progress=noop_progress)
    assert result.metrics["rows"] == 3000 and result.metrics["champion"] == "lightgbm"
    meta["engine"] = "date-0"
    (model_dir / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(EngineError, match="date-0"):
        date.score(model_dir, to_score, workdir=tmp_path / "refused", progress=noop_progress)


def test_the_page_table_is_absent_for_metrics_without_a_champion_selection(trained):
    from algorithms.date_views import champion_selection_for

    assert champion_selection_for({"champion": "date", "models": {"date": {"test": {"precision@5": 1.0}}}}) is None
    assert champion_selection_for(None) is None and champion_selection_for("x") is None
    table = champion_selection_for(trained.metrics)
    assert [row["label"] for row in table["rows"]] == [date.MODEL_LABELS[name] for name in date.MODEL_NAMES]
    assert sum(row["champion"] for row in table["rows"]) == 1
