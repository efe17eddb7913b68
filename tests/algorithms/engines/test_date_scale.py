"""The DATE job at scale (issue 14, part 4): scoring streams in chunks with the same ranked CSV as scoring the whole
file at once, bounded chunks, progress and cancellation per chunk, the recorded DATE subsample in training, and the
vectorised features equal to the per-row ones."""

import json
import shutil
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from algorithms.declarations import DECLARATION_ID, LABEL_COLUMNS, read_declarations
from algorithms.engines import date, date_model
from algorithms.engines.base import EngineError, JobCancelled, noop_progress
from algorithms.engines.date.data import count_rows, read_dataset_chunks
from algorithms.engines.features import (
    HISTORY_KEYS,
    DeclarationFeatures,
    _base_columns,
    _key_groups,
    _key_positions,
    _key_series,
)

SAMPLE = Path(__file__).resolve().parents[3] / "algorithms" / "data" / "declarations_sample.csv"
SMALL = {"date_epochs": 2, "date_networks": 2, "date_trees": 10, "xgb_rounds": 50, "unseen_models": 2}
CHAMPIONS = ("lightgbm", "xgboost", "routed", "date")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("date-scale")
    return date.train(SAMPLE, workdir=workdir, seed=3, progress=noop_progress, params=dict(SMALL))


@pytest.fixture(scope="module")
def unlabelled(tmp_path_factory):
    path = tmp_path_factory.mktemp("date-scale-data") / "to_score.csv"
    pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).drop(columns=list(LABEL_COLUMNS)).to_csv(path, index=False)
    return path


def _with_champion(trained, champion: str, tmp_path: Path) -> Path:
    """A copy of the trained model whose saved champion is ``champion`` (every model's files are saved)."""
    model = tmp_path / f"model-{champion}"
    shutil.copytree(trained.artifacts["model"], model)
    meta = json.loads((model / "meta.json").read_text())
    meta["champion"] = champion
    (model / "meta.json").write_text(json.dumps(meta))
    return model


def _whole_file_reference(model: Path, dataset: Path) -> bytes:
    """The ranked CSV as scoring wrote it before it streamed: the whole file read, featurised and scored at once
    (every model on every row), ranked by probability then predicted revenue, written in one piece."""
    meta, features, date_model = date._load_model(model)
    frame = read_declarations(dataset)
    table = features.transform(frame)
    probability, revenue = date_model.predict(frame, table)
    champion = meta["champion"]
    if champion == "xgboost":
        booster = xgb.Booster()
        booster.load_model(model / "xgboost.json")
        booster.best_iteration = meta["xgboost_best_iteration"]
        probability = date.predict_xgboost(booster, table)
    elif champion in ("lightgbm", "routed"):
        probability = lgb.Booster(model_file=str(model / "lightgbm.txt")).predict(table)
        if champion == "routed":
            unseen = [lgb.Booster(model_file=str(model / f"unseen_{i}.txt")) for i in range(meta["unseen_models"])]
            probability = date.routed_scores(probability, date.predict_unseen(unseen, table), date.is_unseen(table))
    order = np.lexsort((-revenue, -probability))
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
    return out.to_csv(index=False).encode()


@pytest.mark.parametrize("champion", CHAMPIONS)
def test_chunked_scoring_writes_the_whole_file_ranking_byte_for_byte(trained, unlabelled, tmp_path, champion):
    model = _with_champion(trained, champion, tmp_path)
    expected = _whole_file_reference(model, unlabelled)
    whole = date.score(model, unlabelled, workdir=tmp_path / "whole", progress=noop_progress, chunk_rows=10_240)
    chunked = date.score(
        model, unlabelled, workdir=tmp_path / "chunked", progress=noop_progress, chunk_rows=1024, write_rows=11
    )
    assert whole.metrics["chunk_rows"] == 10_240 and chunked.metrics["chunk_rows"] == 1024
    assert whole.artifacts["scores"].read_bytes() == expected
    assert chunked.artifacts["scores"].read_bytes() == expected
    assert chunked.metrics["rows"] == whole.metrics["rows"] == 3000
    assert chunked.summary.split("; ")[1] == whole.summary.split("; ")[1]  # the same top-5 % threshold
    table = pd.read_csv(chunked.artifacts["scores"])
    assert table["rank"].tolist() == list(range(1, 3001))


@pytest.mark.parametrize("champion", ("routed", "date"))
def test_tiny_chunks_give_the_same_ranking(trained, unlabelled, tmp_path, champion, monkeypatch):
    """With DATE forward passes of 8 rows, chunks of 40 rows (75 chunks) give the whole-file ranking."""
    monkeypatch.setattr(date_model, "PREDICT_BATCH", 8)
    model = _with_champion(trained, champion, tmp_path)
    tiny = date.score(model, unlabelled, workdir=tmp_path, progress=noop_progress, chunk_rows=40, write_rows=7)
    assert tiny.metrics["chunk_rows"] == 40
    assert tiny.artifacts["scores"].read_bytes() == _whole_file_reference(model, unlabelled)


def test_chunk_size_is_rounded_up_to_whole_forward_passes(trained, unlabelled, tmp_path):
    result = date.score(trained.artifacts["model"], unlabelled, workdir=tmp_path, progress=noop_progress, chunk_rows=7)
    assert result.metrics["chunk_rows"] == date_model.PREDICT_BATCH == 1024


def test_chunks_are_bounded_and_cover_every_row_once(trained, unlabelled, tmp_path, monkeypatch):
    sizes, first_rows = [], []
    transform = DeclarationFeatures.transform

    def counting(self, frame):
        sizes.append(len(frame))
        first_rows.append(frame.index[0])
        return transform(self, frame)

    monkeypatch.setattr(DeclarationFeatures, "transform", counting)
    date.score(trained.artifacts["model"], unlabelled, workdir=tmp_path, progress=noop_progress, chunk_rows=1024)
    assert sizes == [1024, 1024, 952]
    assert first_rows == [0, 1024, 2048]


def test_progress_is_reported_after_every_chunk(trained, unlabelled, tmp_path):
    calls = []
    date.score(
        trained.artifacts["model"],
        unlabelled,
        workdir=tmp_path,
        progress=lambda p, s: calls.append((p, s)),
        chunk_rows=1024,
        write_rows=1000,
    )
    scored = [(p, s) for p, s in calls if s.startswith("scored")]
    assert scored == [
        (32, "scored 1,024 of 3,000 declarations"),
        (59, "scored 2,048 of 3,000 declarations"),
        (85, "scored 3,000 of 3,000 declarations"),
    ]
    assert [s for _, s in calls].count("writing the ranking") == 4  # once before, then after each written part
    percents = [p for p, _ in calls]
    assert percents == sorted(percents) and percents[-1] == 100


def test_cancelling_between_chunks_stops_scoring_before_the_csv(trained, unlabelled, tmp_path, monkeypatch):
    sizes = []
    transform = DeclarationFeatures.transform
    monkeypatch.setattr(DeclarationFeatures, "transform", lambda self, f: sizes.append(len(f)) or transform(self, f))

    def progress(percent, stage):
        if stage.startswith("scored 2,048"):
            raise JobCancelled

    with pytest.raises(JobCancelled):
        date.score(trained.artifacts["model"], unlabelled, workdir=tmp_path, progress=progress, chunk_rows=1024)
    assert sizes == [1024, 1024]  # the third chunk was never featurised
    assert not (tmp_path / "scores.csv").exists()


def test_chunked_reading_reports_bad_files_clearly(tmp_path, unlabelled):
    empty = tmp_path / "empty.csv"
    empty.write_text(pd.read_csv(unlabelled, nrows=0).to_csv(index=False))
    with pytest.raises(EngineError, match="no rows"):
        list(read_dataset_chunks(empty, chunk_rows=10))
    bad = tmp_path / "bad.csv"
    frame = pd.read_csv(unlabelled, dtype=str, keep_default_na=False)
    frame.loc[2500, "Net Mass"] = "heavy"  # in the third chunk of 1,000
    frame.to_csv(bad, index=False)
    with pytest.raises(EngineError, match="not in the declaration layout"):
        list(read_dataset_chunks(bad, chunk_rows=1000))
    missing = tmp_path / "missing.csv"
    frame.drop(columns=["Net Mass"]).to_csv(missing, index=False)
    with pytest.raises(EngineError, match="lacks the column"):
        list(read_dataset_chunks(missing, chunk_rows=1000))


def test_count_rows_with_and_without_a_final_line_break(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    assert count_rows(path) == 2
    path.write_bytes(b"a,b\n1,2\n3,4")
    assert count_rows(path) == 2
    path.write_bytes(b"a,b\n")
    assert count_rows(path) == 0


def test_vectorised_history_lookup_equals_the_per_row_strings():
    frame = read_declarations(SAMPLE)
    features = DeclarationFeatures(seed=0)
    features.fit_transform(frame.iloc[:2000])
    new = frame.iloc[2000:].copy()
    new.loc[new.index[:2], "Net Mass"] = [-0.0, 0.0]  # a signed zero keeps its own string ("-0.0")
    new.loc[new.index[3], "HS6 Code"] = "12"  # a code that lost its leading zeros
    base = _base_columns(new)
    for name, columns in HISTORY_KEYS.items():
        index = features.history[name].index
        expected = index.get_indexer(_key_series(base, columns))
        assert (_key_positions(base, columns, index, {}) == expected).all(), name
        assert (expected >= 0).any() and (expected < 0).any(), name  # both seen and unseen rows are checked


def test_history_grouping_by_codes_equals_factorising_the_per_row_strings():
    frame = read_declarations(SAMPLE)
    frame.loc[frame.index[:2], "Net Mass"] = [-0.0, 0.0]  # a signed zero keeps its own string ("-0.0")
    frame.loc[frame.index[3], "HS6 Code"] = "12"  # a code that lost its leading zeros
    base = _base_columns(frame)
    for name, columns in HISTORY_KEYS.items():
        expected_codes, expected_keys = pd.factorize(_key_series(base, columns))
        codes, keys = _key_groups(base, columns, {})
        assert codes.tolist() == expected_codes.tolist(), name
        assert list(keys) == list(expected_keys), name
    codes, keys = _key_groups(base, ("Net Mass",), {})
    assert codes[0] != codes[1] and {"-0.0", "0.0"} <= set(keys)


def test_date_predicts_in_chunks_the_figures_of_one_piece(trained):
    _, features, model = date._load_model(trained.artifacts["model"])
    frame = read_declarations(SAMPLE)
    table = features.transform(frame)
    whole = model.predict(frame, table)
    chunked = model.predict_in_chunks(frame, table, chunk_rows=date_model.PREDICT_BATCH)
    assert len(frame) > 2 * date_model.PREDICT_BATCH  # at least three chunks, the last one short
    assert np.array_equal(whole[0], chunked[0]) and np.array_equal(whole[1], chunked[1])


def test_xgboost_on_quantised_rows_is_the_model_a_plain_dmatrix_gives():
    from algorithms.engines.date.models import _xgb_params

    frame = read_declarations(SAMPLE)
    train, valid = frame.iloc[:2000], frame.iloc[2000:]
    features = DeclarationFeatures(seed=0)
    train_x, valid_x = features.fit_transform(train), features.transform(valid)
    params = date.resolve_params({"xgb_rounds": 40})
    booster = date.fit_xgboost(train_x, train["Fraud"].to_numpy(), valid_x, valid["Fraud"].to_numpy(), params, 0)
    plain = xgb.train(
        _xgb_params(params, 0, depth=params["xgb_depth"], eta=params["xgb_eta"]),
        xgb.DMatrix(train_x.to_numpy(np.float32), label=train["Fraud"].to_numpy()),
        num_boost_round=booster.best_iteration + 1,
    )
    expected = plain.predict(xgb.DMatrix(valid_x.to_numpy(np.float32)))
    assert np.array_equal(date.predict_xgboost(booster, valid_x), expected)


def test_training_fits_date_on_a_recorded_seeded_subsample(tmp_path):
    params = {**SMALL, "date_max_rows": 1000}
    result = date.train(SAMPLE, workdir=tmp_path / "a", seed=3, progress=noop_progress, params=params)
    used = result.metrics["subsampling"]["date"]
    train_rows = result.metrics["split"]["train"]["rows"]
    valid_rows = result.metrics["split"]["valid"]["rows"]
    assert train_rows > 1000
    assert used["max_rows"] == 1000 and used["train_rows"] == 1000 and used["train_rows_available"] == train_rows
    assert used["valid_rows"] == min(1000, valid_rows) and used["valid_rows_available"] == valid_rows
    assert "at most 1000 training declarations" in used["rule"]
    meta = json.loads((result.artifacts["model"] / "meta.json").read_text())
    assert meta["date"]["train_rows"] == 1000
    # the other models still learn from every training row: the same as without a cap
    again = date.train(SAMPLE, workdir=tmp_path / "b", seed=3, progress=noop_progress, params=dict(SMALL))
    assert again.metrics["subsampling"]["date"]["train_rows"] == train_rows
    for name in ("lightgbm", "xgboost", "routed"):
        assert again.metrics["models"][name]["test"] == result.metrics["models"][name]["test"]
    assert again.metrics["models"]["date"]["test"] != result.metrics["models"]["date"]["test"]
