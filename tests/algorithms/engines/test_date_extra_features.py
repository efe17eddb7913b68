"""The DATE job's tree models use an upload's extra columns and the national tariff code (issue 14, part 3)."""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from algorithms.declarations import FRAUD, LABEL_COLUMNS, TARIFF_CODE, convert_declarations
from algorithms.engines import date
from algorithms.engines.base import noop_progress
from algorithms.engines.extra_features import UNKNOWN_CODE
from algorithms.engines.features import DeclarationFeatures, features_from_state, features_to_state, labels_of
from algorithms.engines.fraud_metrics import fit_lightgbm, precision_at
from algorithms.job_report import date_report, parameter_rows

SAMPLE = Path(__file__).resolve().parents[3] / "algorithms" / "data" / "declarations_sample.csv"
SMALL = {"date_epochs": 2, "date_networks": 1, "date_trees": 10, "xgb_rounds": 50, "unseen_models": 2}
EXTRAS = ("Tariff Code", "Broker", "Inspection score")
USED = {"numeric": ["Inspection score"], "categorical": ["Broker"], "national_code": True}


def _raw() -> pd.DataFrame:
    return pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)


def _with_extras(raw: pd.DataFrame, seed: int = 0, national_digits: int = 10) -> pd.DataFrame:
    """The sample with the labels shuffled (the layout's columns no longer tell frauds apart) and an extra numeric
    column that does: the label plus noise. A broker column without signal, and a national code."""
    rng = np.random.default_rng(seed)
    raw = raw.copy()
    raw[FRAUD] = rng.permutation(raw[FRAUD].to_numpy())
    fraud = raw[FRAUD].astype(int).to_numpy()
    raw["Inspection score"] = np.round(fraud * 3.0 + rng.normal(size=len(raw)), 3).astype(str)
    raw.loc[rng.random(len(raw)) < 0.05, "Inspection score"] = ""  # empty cells: NaN, not a crash
    raw["Broker"] = rng.choice(["north", "south", "east", "west"], size=len(raw))
    suffix = rng.choice(["0000", "1010", "9090"], size=len(raw))
    raw[TARIFF_CODE] = (raw["HS6 Code"].str.zfill(6) + suffix).str[:national_digits]
    return raw


def _split(frame: pd.DataFrame):
    frame = convert_declarations(frame.copy())
    cut = int(len(frame) * 0.6)
    return frame.iloc[:cut].reset_index(drop=True), frame.iloc[cut:].reset_index(drop=True)


def _lightgbm_precision(train, test, use_extras: bool, seed: int = 0) -> tuple[float, np.ndarray]:
    features = DeclarationFeatures(seed=seed, use_extras=use_extras)
    train_x, test_x = features.fit_transform(train), features.transform(test)
    booster = fit_lightgbm(
        train_x, labels_of(train), test_x, labels_of(test), features.categorical_features, seed
    )  # early stopping on the test rows: the same for both variants, only the features differ
    scores = booster.predict(test_x, num_iteration=booster.best_iteration)
    return precision_at(scores, labels_of(test), 5), scores


def test_a_numeric_extra_column_that_carries_the_label_raises_precision_when_used():
    train, test = _split(_with_extras(_raw()))
    without, _ = _lightgbm_precision(train, test, use_extras=False)
    with_extras, _ = _lightgbm_precision(train, test, use_extras=True)
    base_rate = labels_of(test).mean()
    # shuffled labels: the layout alone ranks about as well as chance; the extra column finds the frauds
    assert without < base_rate + 0.15
    assert with_extras >= 0.85
    assert with_extras > without + 0.3


def test_extra_columns_are_typed_encoded_and_absent_without_extras():
    train, _test = _split(_with_extras(_raw()))
    features = DeclarationFeatures(seed=0)
    table = features.fit_transform(train)
    assert features.extra.summary() == USED
    assert table["extra Inspection score"].dtype == np.float32
    assert table["extra Inspection score"].isna().any()  # the empty cells
    assert table["extra Broker"].dtype == np.int32 and set(table["extra Broker"]) == {1, 2, 3, 4}
    assert "extra Broker" in features.categorical_features and "Tariff Code" in features.categorical_features
    assert "extra Inspection score" in features.label_free_features
    plain = DeclarationFeatures(seed=0, use_extras=False)
    assert list(plain.fit_transform(train).columns) == DeclarationFeatures().feature_names
    assert plain.extra.summary() == {"numeric": [], "categorical": [], "national_code": False}


def test_the_columns_are_typed_as_the_upload_types_them():
    from algorithms.engines.extra_features import _kinds
    from algorithms.engines.features import _base_columns, _column_codes
    from algorithms.extra_columns import kinds_of_frame

    raw = _with_extras(_raw())
    raw["Empty"] = ""
    raw["Row number"] = [str(i) + "x" for i in range(len(raw))]  # an identifier: every value distinct
    raw["Padded"] = [" 7 ", "7", "", " 8"] * (len(raw) // 4)
    frame = _base_columns(convert_declarations(raw))
    assert _kinds(frame, {"HS2", "HS4"}, _column_codes) == kinds_of_frame(raw)


def test_an_unseen_category_and_missing_extra_columns_are_encoded_as_unknown():
    train, test = _split(_with_extras(_raw()))
    fitted = DeclarationFeatures(seed=0)
    fitted.fit_transform(train)
    features = features_from_state(json.loads(json.dumps(features_to_state(fitted))))  # as scoring loads it
    test = test.copy()
    test.loc[:9, "Broker"] = "a broker never seen in training"
    test.loc[:9, TARIFF_CODE] = "9999999999"
    table = features.transform(test)
    assert (table.loc[:9, "extra Broker"] == UNKNOWN_CODE).all()
    assert (table.loc[10:, "extra Broker"] != UNKNOWN_CODE).all()
    assert (table.loc[:9, "Tariff Code"] == UNKNOWN_CODE).all()
    assert (table.loc[:9, "tariff_n"] == 0).all()
    assert list(table.columns) == fitted.feature_names
    # a file without the extras: the same columns, unknown codes, NaN numbers, the national code never seen
    bare = features.transform(test.drop(columns=list(EXTRAS)))
    assert list(bare.columns) == fitted.feature_names
    assert (bare["extra Broker"] == UNKNOWN_CODE).all() and (bare["Tariff Code"] == UNKNOWN_CODE).all()
    assert bare["extra Inspection score"].isna().all() and (bare["tariff_n"] == 0).all()
    # the layout's own features do not depend on the extras
    layout = [c for c in fitted.feature_names if c not in fitted.extra.names and not c.startswith("tariff_")]
    pd.testing.assert_frame_equal(bare[layout], table[layout])


def test_the_national_code_is_a_feature_and_a_history_key_only_when_longer_than_hs6():
    longer, _ = _split(_with_extras(_raw(), national_digits=10))
    equal, _ = _split(_with_extras(_raw(), national_digits=6))
    features = DeclarationFeatures(seed=0)
    table = features.fit_transform(longer)
    assert features.extra.national_code and "tariff" in features.history_keys
    assert {"Tariff Code", "tariff_n", "tariff_fraud", "tariff_rate", "tariff_low"} <= set(table.columns)
    assert table["tariff_n"].gt(0).any()
    features = DeclarationFeatures(seed=0)
    table = features.fit_transform(equal)
    assert not features.extra.national_code and "tariff" not in features.history_keys
    assert "Tariff Code" not in table.columns and "tariff_n" not in table.columns
    assert features.extra.summary()["categorical"] == ["Broker"]


def test_the_table_and_the_model_are_the_same_for_the_same_seed():
    train, test = _split(_with_extras(_raw()))
    first, first_scores = _lightgbm_precision(train, test, use_extras=True, seed=4)
    second, second_scores = _lightgbm_precision(train, test, use_extras=True, seed=4)
    assert first == second
    np.testing.assert_array_equal(first_scores, second_scores)
    a, b = DeclarationFeatures(seed=4), DeclarationFeatures(seed=4)
    pd.testing.assert_frame_equal(a.fit_transform(train), b.fit_transform(train))
    assert features_to_state(a) == features_to_state(b)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("date-extras")
    _with_extras(_raw()).to_csv(folder / "declarations.csv", index=False)
    return date.train(folder / "declarations.csv", workdir=folder / "job", seed=2, progress=noop_progress, params=SMALL)


def test_the_job_records_the_extra_columns_and_its_page_shows_them(trained):
    metrics = trained.metrics
    assert metrics["params"]["use_extra_columns"] is True
    assert metrics["extra_features"] == USED
    # the signal column makes every tree model find the frauds despite the shuffled labels
    for name in ("lightgbm", "xgboost", "routed"):
        assert metrics["models"][name]["test"]["precision@5"] >= 0.8, name
    report = date_report(metrics)
    assert report["extra_columns"] == "national tariff code, Broker, Inspection score"
    rows = {row["name"]: row for row in parameter_rows({}, metrics["params"])}
    assert rows["use_extra_columns"]["label"] == "Extra columns of the file used as features"


@pytest.mark.parametrize("champion", date.MODEL_NAMES)
def test_scoring_with_and_without_the_extras_and_with_unseen_values(trained, tmp_path, champion):
    model = tmp_path / "model"
    shutil.copytree(trained.artifacts["model"], model)
    meta = json.loads((model / "meta.json").read_text())
    meta["champion"] = champion
    (model / "meta.json").write_text(json.dumps(meta))
    raw = _with_extras(_raw()).drop(columns=list(LABEL_COLUMNS))
    raw.loc[:99, "Broker"] = "never seen"
    raw.loc[:99, TARIFF_CODE] = "0000000000"
    for name, frame in (("with", raw), ("without", raw.drop(columns=list(EXTRAS)))):
        path = tmp_path / f"{name}.csv"
        frame.to_csv(path, index=False)
        result = date.score(model, path, workdir=tmp_path / name, progress=noop_progress)
        ranked = pd.read_csv(result.artifacts["scores"])
        assert len(ranked) == len(raw) and ranked["fraud probability"].between(0, 1).all(), name
