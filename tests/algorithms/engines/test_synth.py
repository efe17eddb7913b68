"""The AI-Synth synthetic-data engine (algorithms/engines/synth.py) and its metrics, on the shipped sample."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from algorithms.declarations import COLUMNS, DECLARATION_ID, read_declarations
from algorithms.engines import synth, synth_metrics
from algorithms.engines.base import EngineError, JobCancelled, noop_progress

ROOT = Path(__file__).resolve().parents[3]
SHIPPED_SAMPLE = ROOT / "algorithms" / "data" / "declarations_sample.csv"
PUBLIC_TRAIN = ROOT.parent / "shared" / "data" / "customs-declarations" / "df_syn_train_eng.csv"
ROWS = 2500
SEED = 11


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    if SHIPPED_SAMPLE.exists():
        return SHIPPED_SAMPLE
    raw = pd.read_csv(PUBLIC_TRAIN, dtype=str, keep_default_na=False).sample(3000, random_state=0)
    path = tmp_path_factory.mktemp("synth-sample") / "sample.csv"
    raw.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def run(sample, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("synth-run")
    calls = []
    result = synth.train_and_generate(
        sample, workdir=workdir, seed=SEED, rows=ROWS, progress=lambda p, s: calls.append((p, s)), params={}
    )
    return result, calls


def _raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _normalised(raw: pd.DataFrame) -> pd.Series:
    """Each row but its Declaration ID as one string, numbers compared as numbers ("8.0" == "8")."""
    table = raw.drop(columns=[DECLARATION_ID]).copy()
    for column in ("Tax Rate", "Net Mass", "Item Price"):
        table[column] = table[column].astype(float).map(repr)
    return table.agg("|".join, axis=1)


# ------------------------------------------------------------------------------------------- the engine
def test_output_has_the_layout_and_the_asked_rows(run, sample):
    result, _ = run
    assert set(result.artifacts) == {"synthetic", "report"}
    synthetic = _raw(result.artifacts["synthetic"])
    assert list(synthetic.columns) == list(COLUMNS)
    assert len(synthetic) == ROWS
    # The file reads back with the project's reader (dates, numbers, labels parse).
    parsed = read_declarations(result.artifacts["synthetic"])
    assert set(parsed["Fraud"].unique()) <= {0, 1}
    assert (parsed["Net Mass"] >= 0).all()
    # Fresh, unique 8-digit Declaration IDs that no real row has.
    ids = synthetic[DECLARATION_ID]
    assert ids.is_unique
    assert ids.str.fullmatch(r"\d{8}").all()
    assert not set(ids) & set(_raw(sample)[DECLARATION_ID])
    # HS6 codes keep their leading zeros (read as text end to end).
    assert synthetic["HS6 Code"].str.fullmatch(r"\d{6}").all()


def test_no_synthetic_row_copies_a_real_row(run, sample):
    result, _ = run
    real = set(_normalised(_raw(sample)))
    synthetic = _normalised(_raw(result.artifacts["synthetic"]))
    assert not synthetic.isin(real).any()
    assert result.metrics["exact_copies"] == 0


def test_numbers_are_perturbed_not_copied(run, sample):
    result, _ = run
    real = read_declarations(sample)
    synthetic = read_declarations(result.artifacts["synthetic"])
    # Most masses are new values, yet Item Price stays Net Mass x a real unit price of the same goods.
    assert synthetic["Net Mass"].isin(set(real["Net Mass"])).mean() < 0.5
    positive = synthetic["Net Mass"] > 0
    unit = synthetic.loc[positive, "Item Price"] / synthetic.loc[positive, "Net Mass"]
    real_unit = (real["Item Price"] / real["Net Mass"].where(real["Net Mass"] > 0)).dropna()
    assert unit.between(real_unit.min() * 0.9, real_unit.max() * 1.1).all()


def test_metrics_are_present_and_bounded(run, sample):
    result, _ = run
    metrics = result.metrics
    for name in ("column_shapes", "pair_trends", "detection", "detection_auc", "utility"):
        assert 0.0 <= metrics[name] <= 1.0, name
    for name in ("dcr_synthetic_median", "dcr_holdout_median", "dcr_share_below_holdout_p5"):
        assert 0.0 <= metrics[name] <= 1.0, name
    assert metrics["rows_generated"] == ROWS
    assert metrics["rows_learned"] + metrics["rows_holdout"] == len(_raw(sample))
    assert abs(metrics["rows_holdout"] - 0.2 * len(_raw(sample))) <= 1
    report = json.loads(result.artifacts["report"].read_text())
    assert report["column_shapes"] == metrics["column_shapes"]
    assert "utility" in result.summary


def test_fidelity_is_above_a_floor_on_the_sample(run, sample):
    metrics = run[0].metrics
    assert metrics["column_shapes"] > 0.8
    assert metrics["pair_trends"] > 0.8
    # On the 20 pairs with the strongest relations in the learned rows (where shuffling every column on its own
    # scores worst), the synthetic rows keep the relations: a generator that sampled columns independently fails.
    learned, _ = synth.split_holdout(synth.load_dataset(sample), 0.2, SEED)
    rng = np.random.default_rng(5)
    shuffled = learned.copy()
    for column in shuffled.columns:
        shuffled[column] = shuffled[column].to_numpy()[rng.permutation(len(shuffled))]
    independent = synth_metrics.pair_trends(learned, shuffled)
    strongest = sorted(independent, key=independent.get)[:20]
    generated = synth_metrics.pair_trends(learned, read_declarations(run[0].artifacts["synthetic"]))
    assert np.mean([generated[k] for k in strongest]) > np.mean([independent[k] for k in strongest]) + 0.15
    # The fraud model trained on synthetic data keeps most of the real model's precision.
    assert metrics["utility"] > 0.5


def test_progress_is_reported_in_order_up_to_100(run):
    _, calls = run
    percents = [p for p, _ in calls]
    assert percents == sorted(percents)
    assert percents[0] < 10 and percents[-1] == 100
    assert all(isinstance(stage, str) and stage for _, stage in calls)


def test_same_seed_same_file_other_seed_other_file(sample, tmp_path, run):
    result, _ = run
    again = synth.train_and_generate(
        sample, workdir=tmp_path / "again", seed=SEED, rows=ROWS, progress=noop_progress, params={}
    )
    assert again.artifacts["synthetic"].read_bytes() == result.artifacts["synthetic"].read_bytes()
    assert again.metrics["column_shapes"] == result.metrics["column_shapes"]
    other = synth.generate(synth.fit(synth.load_dataset(sample)), 200, seed=SEED + 1)
    same = synth.generate(synth.fit(synth.load_dataset(sample)), 200, seed=SEED)
    assert not other.drop(columns=[DECLARATION_ID]).equals(same.drop(columns=[DECLARATION_ID]))


def test_cancel_propagates_and_writes_no_synthetic_file(sample, tmp_path):
    calls = []

    def progress(percent, stage):
        calls.append(percent)
        if len(calls) == 3:
            raise JobCancelled()

    with pytest.raises(JobCancelled):
        synth.train_and_generate(sample, workdir=tmp_path, seed=1, rows=100, progress=progress, params={})
    assert not (tmp_path / "synthetic.csv").exists()


def test_pseudonymised_ids_are_new_but_keep_their_frequencies(sample, tmp_path):
    def generate(folder: str, pseudonymise: bool):
        return synth.train_and_generate(
            sample,
            workdir=tmp_path / folder,
            seed=3,
            rows=400,
            progress=noop_progress,
            params={"pseudonymise_ids": pseudonymise, "holdout_fraction": 0.0},
        )

    result = generate("coded", True)
    plain = _raw(generate("plain", False).artifacts["synthetic"])
    real = _raw(sample)
    synthetic = _raw(result.artifacts["synthetic"])
    for column in ("Declarant ID", "Importer ID", "Seller ID", "Courier ID"):
        assert not (set(synthetic[column]) - {""}) & set(real[column])
        assert (synthetic[column].str.len() == plain[column].str.len()).all()
        # One new code per ID: the same rows, the mapping is one-to-one.
        pairs = set(zip(plain[column], synthetic[column], strict=True))
        assert len(pairs) == plain[column].nunique() == synthetic[column].nunique()
    other = [c for c in COLUMNS if c not in ("Declarant ID", "Importer ID", "Seller ID", "Courier ID")]
    assert synthetic[other].equals(plain[other])
    # Without a holdout, utility and DCR are not measured, and the report says so.
    assert "utility" not in result.metrics
    assert "not measured" in result.summary


def test_unlabelled_dataset_gives_an_unlabelled_synthetic_file(sample, tmp_path):
    raw = _raw(sample).drop(columns=["Fraud", "Critical Fraud"])
    path = tmp_path / "unlabelled.csv"
    path.write_text("\ufeff" + raw.to_csv(index=False), encoding="utf-8")  # with a byte-order mark, as Excel writes
    result = synth.train_and_generate(path, workdir=tmp_path / "w", seed=2, rows=300, progress=noop_progress, params={})
    synthetic = _raw(result.artifacts["synthetic"])
    assert list(synthetic.columns) == list(raw.columns)
    assert len(synthetic) == 300
    assert result.metrics["labelled"] is False
    assert "utility" not in result.metrics and "utility not measured" in result.summary
    assert 0.0 <= result.metrics["dcr_synthetic_median"] <= 1.0
    assert "Fraud" not in result.metrics["column_shapes_by_column"]


# ------------------------------------------------------------------------------------------- bad input
def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty"),
        (",".join(COLUMNS) + "\n", "no rows"),
        ("Declaration ID,Date\n1,2020-01-01\n", "lacks columns"),
        ("Declaration ID,Date,Fraud\n1,2020-01-01,0\n", "only one of the Fraud"),
    ],
)
def test_empty_or_incomplete_datasets_are_refused(tmp_path, content, reason):
    with pytest.raises(EngineError, match=reason):
        synth.train_and_generate(
            _write(tmp_path, content), workdir=tmp_path / "w", seed=0, rows=10, progress=noop_progress, params={}
        )


def test_wrong_types_too_few_rows_and_bad_params_are_refused(sample, tmp_path):
    raw = _raw(sample)
    broken = raw.head(100).copy()
    broken.loc[5, "Net Mass"] = "heavy"
    path = tmp_path / "broken.csv"
    broken.to_csv(path, index=False)
    with pytest.raises(EngineError, match="wrong type"):
        synth.train_and_generate(path, workdir=tmp_path / "a", seed=0, rows=10, progress=noop_progress, params={})
    raw.head(30).to_csv(path, index=False)
    with pytest.raises(EngineError, match="too few rows"):
        synth.train_and_generate(path, workdir=tmp_path / "b", seed=0, rows=10, progress=noop_progress, params={})
    with pytest.raises(EngineError, match="rows"):
        synth.train_and_generate(sample, workdir=tmp_path / "c", seed=0, rows=0, progress=noop_progress, params={})
    with pytest.raises(EngineError, match="Unknown parameters"):
        synth.train_and_generate(
            sample, workdir=tmp_path / "d", seed=0, rows=10, progress=noop_progress, params={"epochs": 3}
        )
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00garbage")
    with pytest.raises(EngineError):
        synth.train_and_generate(binary, workdir=tmp_path / "e", seed=0, rows=10, progress=noop_progress, params={})


# ------------------------------------------------------------------------------------------- the metrics
@pytest.fixture(scope="module")
def halves(sample):
    frame = synth.load_dataset(sample)
    rng = np.random.default_rng(0)
    inside = rng.random(len(frame)) < 0.5
    return frame[inside].reset_index(drop=True), frame[~inside].reset_index(drop=True)


def test_ks_and_tv_complements():
    assert synth_metrics.ks_complement(np.arange(100), np.arange(100)) == 1.0
    assert synth_metrics.ks_complement(np.arange(100), np.arange(100) + 1000) == 0.0
    assert synth_metrics.ks_complement(np.arange(100), np.arange(50, 150)) == pytest.approx(0.5)
    assert synth_metrics.tv_complement(list("aabb"), list("abab")) == 1.0
    assert synth_metrics.tv_complement(list("aaaa"), list("bbbb")) == 0.0
    assert synth_metrics.tv_complement(list("aabb"), list("aaaa")) == pytest.approx(0.5)
    assert synth_metrics.detection_score(0.5) == 1.0
    assert synth_metrics.detection_score(1.0) == 0.0
    assert synth_metrics.detection_score(0.75) == pytest.approx(0.5)


def test_shuffled_columns_lose_pair_trends_but_keep_shapes(halves):
    real, other_real = halves
    rng = np.random.default_rng(1)
    shuffled = other_real.copy()
    for column in shuffled.columns:  # each column permuted on its own: marginals kept, relations broken
        shuffled[column] = shuffled[column].to_numpy()[rng.permutation(len(shuffled))]
    real_pairs = np.mean(list(synth_metrics.pair_trends(real, other_real).values()))
    shuffled_pairs = np.mean(list(synth_metrics.pair_trends(real, shuffled).values()))
    assert shuffled_pairs < real_pairs - 0.02
    shapes = np.mean(list(synth_metrics.column_shapes(real, shuffled).values()))
    assert shapes == pytest.approx(np.mean(list(synth_metrics.column_shapes(real, other_real).values())))
    # A detector tells shuffled rows from real ones better than it tells two real halves apart.
    assert synth_metrics.detection_auc(real, shuffled, seed=0) > synth_metrics.detection_auc(real, other_real, seed=0)


def test_exact_copies_and_distance_to_closest_record(halves):
    real, holdout = halves
    synthetic = pd.concat([real.head(5), holdout.head(5)], ignore_index=True)
    copies = synth_metrics.exact_copies(real, synthetic)
    assert copies.tolist() == [True] * 5 + [False] * 5
    encoder = synth_metrics.GowerEncoder(real)
    distances = synth_metrics.closest_distances(synthetic, real, encoder)
    assert (distances[:5] == 0).all()
    assert (distances[5:] > 0).all() and (distances <= 1).all()
    figures = synth_metrics.dcr_figures(real, real.head(200), holdout, seed=0, sample=200)
    assert figures["dcr_synthetic_median"] == 0.0  # copies of training rows sit on them
    assert figures["dcr_share_below_holdout_p5"] > 0.9
