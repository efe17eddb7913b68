"""Known-answer tests of the selection simulation engine (algorithms/engines/selection, issue 14)."""

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from algorithms.declarations import COLUMNS, FRAUD, LABEL_COLUMNS, read_declarations
from algorithms.engines.base import EngineError, JobCancelled, noop_progress
from algorithms.engines.selection import strategies as strategy_module
from algorithms.engines.selection.simulation import (
    CSV_COLUMNS,
    inspected_count,
    inspection_rates,
    resolve_params,
    run,
    simulate,
)

SAMPLE = Path(__file__).resolve().parents[2] / "algorithms" / "data" / "declarations_sample.csv"


def declaration(day: str, number: int, *, importer="IMP0", fraud=0, price=1000.0, tax=10.0, hs="010121", **other):
    row = dict.fromkeys(COLUMNS, "X")
    row.update(
        {
            "Declaration ID": str(number),
            "Date": pd.Timestamp(day),
            "Courier ID": "",
            "Declarant ID": other.get("declarant", "DEC0"),
            "Importer ID": importer,
            "HS6 Code": hs,
            "Country of Origin": other.get("origin", "CN"),
            "Tax Rate": float(tax),
            "Net Mass": float(other.get("mass", 10.0)),
            "Item Price": float(price),
            "Fraud": int(fraud),
            "Critical Fraud": 0,
        }
    )
    return row


def frame_of(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(COLUMNS))


def training_window(start="2024-01-01", days=10, per_day=4):
    """A labelled history: importer RISKY always fraud, importer SAFE never (ids 1..)."""
    rows, number = [], 1
    for day in pd.date_range(start, periods=days):
        for i in range(per_day):
            risky = i % 2 == 0
            rows.append(declaration(day, number, importer="RISKY" if risky else "SAFE", fraud=int(risky)))
            number += 1
    return rows


def params(**changes):
    base = {"train_start": "2024-01-01", "train_days": 10, "batch_days": 7, "batches": 1, "rate": 0.5,
            "strategies": ["profiles"]}  # fmt: skip
    return resolve_params({**base, **changes})


# ----------------------------------------------------------------------------------------------- revealed labels
def test_profiles_choose_from_revealed_history_even_when_the_batch_labels_say_otherwise():
    """In the batch, RISKY's declarations are clean and SAFE's are frauds: a strategy that peeked at the batch
    labels would pick SAFE's; the profiles strategy knows only the history and picks RISKY's."""
    rows = training_window()
    batch = [declaration("2024-01-11", 1000 + i, importer="RISKY" if i < 5 else "SAFE", fraud=int(i >= 5))
             for i in range(10)]  # fmt: skip
    result = run(frame_of(rows + batch), params(), seed=0, progress=noop_progress)
    (row,) = result.rows
    assert row["inspected"] == 5
    assert row["frauds_found"] == 0 and row["precision"] == 0.0 and row["recall"] == 0.0
    assert row["frauds_in_batch"] == 5


class Spy(strategy_module.Strategy):
    """Records what the loop hands it; selects the first k rows of the batch."""

    name = "spy"
    seen: list = []

    def fit(self, revealed, seed):
        Spy.seen.append(("fit", sorted(revealed["Declaration ID"]), FRAUD in revealed.columns))

    def select(self, batch, k, rng):
        Spy.seen.append(("select", sorted(batch["Declaration ID"]), [c for c in LABEL_COLUMNS if c in batch]))
        return np.arange(k), np.zeros(k, dtype=bool)

    def observe(self, labels, explored):
        Spy.seen.append(("observe", list(labels)))


@pytest.fixture
def spy(monkeypatch):
    Spy.seen = []
    monkeypatch.setitem(strategy_module.STRATEGIES, "random", Spy)
    return Spy


def test_a_strategy_is_fitted_on_the_history_and_its_own_picks_only_and_never_sees_batch_labels(spy):
    rows = training_window(days=10, per_day=2)  # ids 1..20
    batch1 = [declaration("2024-01-12", 100 + i, fraud=int(i == 1)) for i in range(4)]
    batch2 = [declaration("2024-01-19", 200 + i, fraud=int(i == 3)) for i in range(4)]
    result = run(frame_of(rows + batch1 + batch2), params(batches=2, strategies=["random"]), seed=0,
                 progress=noop_progress)  # fmt: skip
    history = sorted(str(i) for i in range(1, 21))
    fit1, select1, observe1, fit2, select2, observe2 = spy.seen
    assert fit1 == ("fit", history, True)
    assert select1 == ("select", ["100", "101", "102", "103"], [])  # no label column in the batch
    assert observe1 == ("observe", [0, 1])  # only the two picks' labels
    # refitted on the history plus the two revealed picks (100, 101), not on the rest of batch 1
    assert fit2 == ("fit", sorted([*history, "100", "101"]), True)
    assert select2[2] == [] and observe2 == ("observe", [0, 0])
    assert [r["frauds_found"] for r in result.rows] == [1, 0]


def test_retrain_schedule_refits_every_n_batches(spy):
    rows = training_window(days=10, per_day=2)
    batches = [declaration(f"2024-01-{11 + 7 * b}", 100 * (b + 1) + i) for b in range(3) for i in range(2)]
    run(frame_of(rows + batches), params(batches=3, strategies=["random"], retrain_every=2), seed=0,
        progress=noop_progress)  # fmt: skip
    assert [event[0] for event in spy.seen].count("fit") == 2  # batches 1 and 3


# ----------------------------------------------------------------------------------------------- rates
def test_inspection_rate_plan_is_linear_from_initial_to_final():
    assert inspection_rates(0.02, 0.10, 5) == pytest.approx([0.02, 0.04, 0.06, 0.08, 0.10])
    assert inspection_rates(0.05, None, 3) == [0.05, 0.05, 0.05]
    assert inspection_rates(0.05, 0.5, 1) == [0.05]
    assert inspection_rates(0.10, 0.02, 3) == pytest.approx([0.10, 0.06, 0.02])


def test_each_batch_inspects_round_rate_times_n_on_the_plan():
    rows = training_window()
    batches = [declaration(f"2024-01-{11 + 7 * b}", 100 * (b + 1) + i) for b in range(3) for i in range(20)]
    result = run(frame_of(rows + batches), params(batches=3, rate=0.1, final_rate=0.3, strategies=["random"]),
                 seed=1, progress=noop_progress)  # fmt: skip
    assert [r["rate"] for r in result.rows] == pytest.approx([0.1, 0.2, 0.3])
    assert [r["inspected"] for r in result.rows] == [2, 4, 6]


@pytest.mark.parametrize(("rate", "n", "expected"), [(0.3, 37, 11), (0.05, 700, 35), (0.05, 29, 1), (1.0, 9, 9),
                                                     (0.01, 40, 0)])  # fmt: skip
def test_random_at_rate_r_selects_round_r_times_n(rate, n, expected):
    assert inspected_count(rate, n) == expected == round(rate * n)
    rows = training_window()
    batch = [declaration("2024-01-11", 1000 + i) for i in range(n)]
    result = run(frame_of(rows + batch), params(rate=rate, strategies=["random"]), seed=3, progress=noop_progress)
    assert result.rows[0]["inspected"] == expected


# ----------------------------------------------------------------------------------------------- arithmetic
def test_precision_recall_and_revenue_on_a_hand_made_batch(spy):
    """The spy inspects the first k rows. Batch 1 (4 rows, k = 2): frauds at rows 2 and 3 (duties 100 x 10 % = 10
    and 300 x 20 % = 60); the spy finds row 2 only. Batch 2 (4 rows, k = 2): one fraud at row 1 (duty 50),
    found."""
    rows = training_window(days=10, per_day=2)
    batch1 = [
        declaration("2024-01-11", 100, fraud=0, price=999, tax=50),  # clean: no revenue at stake
        declaration("2024-01-11", 101, fraud=1, price=100, tax=10),  # duty 10
        declaration("2024-01-11", 102, fraud=1, price=300, tax=20),  # duty 60
        declaration("2024-01-11", 103, fraud=0),
    ]
    batch2 = [declaration("2024-01-18", 200, fraud=1, price=500, tax=10)] + [
        declaration("2024-01-18", 201 + i) for i in range(3)
    ]
    result = run(frame_of(rows + batch1 + batch2), params(batches=2, strategies=["random"]), seed=0,
                 progress=noop_progress)  # fmt: skip
    first, second = result.rows
    assert (first["inspected"], first["frauds_in_batch"], first["frauds_found"]) == (2, 2, 1)
    assert first["precision"] == 0.5 and first["recall"] == 0.5
    assert first["revenue_in_batch"] == 70.0 and first["revenue_captured"] == 10.0
    assert first["revenue_share"] == pytest.approx(10 / 70, abs=1e-6)
    # row 102's goods (tax rate 20 %) were never revealed: a fraud on unseen goods, missed
    assert (first["unseen_frauds_in_batch"], first["unseen_frauds_found"]) == (1, 0)
    assert second["unseen_frauds_in_batch"] == 0 and second["cumulative_unseen_recall"] == 0.0
    assert (second["precision"], second["recall"], second["revenue_share"]) == (0.5, 1.0, 1.0)
    assert second["cumulative_precision"] == 0.5  # 2 found of 4 inspected
    assert second["cumulative_recall"] == pytest.approx(2 / 3, abs=1e-6)
    assert second["cumulative_revenue_share"] == pytest.approx(60 / 120, abs=1e-6)
    summary = result.summary["random"]
    assert (summary["precision"], summary["frauds_found"], summary["revenue_captured"]) == (0.5, 2, 60.0)


# ----------------------------------------------------------------------------------------------- determinism
@pytest.fixture(scope="module")
def sample():
    return read_declarations(SAMPLE)


ALL = ["random", "profiles", "lightgbm", "date", "hybrid_random", "hybrid_bate", "adaptive"]
SMALL = {"train_start": "2020-01-01", "train_days": 60, "batches": 4, "rate": 0.2, "strategies": ALL}


def _without_time(rows):
    return [{k: v for k, v in row.items() if k != "seconds"} for row in rows]


def test_a_run_is_deterministic_for_a_seed_and_every_strategy_sees_the_same_batches(sample):
    first = run(sample, resolve_params(SMALL), seed=5, progress=noop_progress)
    again = run(sample, resolve_params(SMALL), seed=5, progress=noop_progress)
    assert _without_time(first.rows) == _without_time(again.rows)
    other = run(sample, resolve_params(SMALL), seed=6, progress=noop_progress)
    assert _without_time(other.rows) != _without_time(first.rows)
    by_batch = {}
    for row in first.rows:
        by_batch.setdefault(row["batch"], set()).add((row["declarations"], row["frauds_in_batch"], row["inspected"]))
    assert len(by_batch) == 4 and all(len(v) == 1 for v in by_batch.values())
    assert set(first.summary) == set(SMALL["strategies"])
    hybrid = [r for r in first.rows if r["strategy"] == "hybrid_bate"]
    assert all(r["explored"] == round(0.1 * r["inspected"]) for r in hybrid)
    assert all(0 <= r["precision"] <= 1 and 0 <= r["cumulative_recall"] <= 1 for r in first.rows)


def test_the_adaptive_share_moves_with_what_was_observed():
    share = strategy_module.AdaptiveShare(0.1)
    share.update(exploit_precision=0.9, explore_precision=0.1)  # exploration found far less: less of it
    assert share.share < 0.1
    lower = share.share
    share.update(exploit_precision=0.3, explore_precision=0.5)  # exploitation decays, exploration finds more
    assert share.share > lower
    for _ in range(50):
        share.update(exploit_precision=1.0, explore_precision=0.0)
    assert share.share == strategy_module.AdaptiveShare.MINIMUM


# ----------------------------------------------------------------------------------------------- the engine
def test_simulate_writes_every_batch_to_csv_and_reports_progress_per_batch(tmp_path):
    calls = []
    result = simulate(SAMPLE, workdir=tmp_path, seed=1, progress=lambda p, s: calls.append((p, s)),
                      params={**SMALL, "strategies": ["random", "lightgbm"]})  # fmt: skip
    with result.artifacts["batches"].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 8
    assert [s for _p, s in calls if s.startswith("batch")] == [f"batch {b} of 4" for b in range(1, 5)]
    metrics = result.metrics
    assert metrics["seed"] == 1 and set(metrics["strategies"]) == {"random", "lightgbm"}
    assert len(metrics["strategies"]["lightgbm"]["series"]["cumulative_precision"]) == 4
    assert result.artifacts["metrics"].exists()


def test_cancel_stops_the_run_at_a_batch(tmp_path):
    def progress(percent, stage):
        if stage == "batch 2 of 4":
            raise JobCancelled

    with pytest.raises(JobCancelled):
        simulate(SAMPLE, workdir=tmp_path, seed=1, progress=progress, params={**SMALL, "strategies": ["random"]})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rate": 0}, "rate"),
        ({"rate": 1.5}, "rate"),
        ({"batches": 0}, "batches"),
        ({"strategies": []}, "strateg"),
        ({"strategies": ["oracle"]}, "oracle"),
        ({"train_start": "soon"}, "train_start"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_parameters_are_refused_by_name(change, message):
    with pytest.raises(EngineError, match=message):
        resolve_params({**SMALL, **change})


def test_windows_outside_the_data_are_refused(sample):
    with pytest.raises(EngineError, match="after the dataset's last date"):
        run(sample, resolve_params({**SMALL, "batches": 200}), seed=0, progress=noop_progress)
    with pytest.raises(EngineError, match="outside the dataset"):
        run(sample, resolve_params({**SMALL, "train_start": "2019-01-01"}), seed=0, progress=noop_progress)
