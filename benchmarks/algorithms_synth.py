"""Synthetic data (AI-Synth) on the public customs data: fidelity, utility, privacy and time.

1. The engine's job as a user runs it: ``train_and_generate`` on the public train file (37,385 rows; it keeps a
   random 20 % aside as its own holdout) asking for 37,385 synthetic rows; wall time end to end, metrics included.
2. The targets of issue 5, three seeds (0, 1, 2): the sampler learns the WHOLE train file and generates 37,385
   rows; fidelity is measured against the train file; the real holdout is the valid and test files (16,615 rows of
   2021 that the sampler never saw) for utility (fraud model trained on synthetic vs on real train rows, precision
   at 5 % on the holdout) and privacy (distance to closest record). Exact copies are counted against all 54,000
   real rows.
3. A reference: the train file cut into two random halves, one measured against the other (what real data scores
   against real data of the same size; the sampling-noise ceiling of the fidelity metrics).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/algorithms_synth.py [--write] [--data DIR]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from algorithms.engines import synth, synth_metrics  # noqa: E402
from algorithms.engines.base import noop_progress  # noqa: E402
from benchmarks.common import write_section  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "customs-declarations"
SEEDS = (0, 1, 2)
INTRO = (
    "`OMP_NUM_THREADS=1 .venv/bin/python benchmarks/algorithms_synth.py --write`. The sampler learns the public "
    "train file (37,385 rows of 2020) and generates 37,385 rows; fidelity is against the train file; the real "
    "holdout for utility and privacy is the valid + test files (16,615 rows of 2021, never learned). Method and "
    "metric definitions: `algorithms/engines/SYNTH_NOTES.md`. The last column measures one random half of the train "
    "file against the other (real vs real: the sampling-noise ceiling of the fidelity metrics)."
)
TARGETS = {"column_shapes": 0.90, "pair_trends": 0.85, "utility_ratio": 0.80}


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the section into benchmarks/README.md")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the three public CSV files")
    args = parser.parse_args()

    train_csv = args.data / "df_syn_train_eng.csv"
    train = synth.load_dataset(train_csv)
    valid = synth.load_dataset(args.data / "df_syn_valid_eng.csv")
    test = synth.load_dataset(args.data / "df_syn_test_eng.csv")
    holdout = pd.concat([valid, test], ignore_index=True)
    every_real = pd.concat([train, holdout], ignore_index=True)
    rows = len(train)
    load_before = load()

    # 1. The job as the portal runs it.
    with tempfile.TemporaryDirectory() as workdir:
        started = time.perf_counter()
        job = synth.train_and_generate(
            train_csv, workdir=Path(workdir), seed=0, rows=rows, progress=noop_progress, params={}
        )
        job_seconds = time.perf_counter() - started
    print(f"job: {job_seconds:.1f} s; {job.summary}", flush=True)

    # 2. Learn the whole train file, measure against it and the 2021 holdout.
    runs = []
    for seed in SEEDS:
        started = time.perf_counter()
        model = synth.fit(train)
        synthetic = synth.generate(model, rows, seed=seed, avoid=holdout)
        generated = time.perf_counter()
        metrics = synth_metrics.evaluate(train, synthetic, holdout, seed=seed)
        metrics["exact_copies"] = int(synth_metrics.exact_copies(every_real, synthetic).sum())
        metrics["utility_ratio"] = metrics["utility_precision_synthetic"] / metrics["utility_precision_real"]
        metrics["seconds_generating"] = generated - started
        metrics["seconds_metrics"] = time.perf_counter() - generated
        runs.append(metrics)
        print(f"seed {seed}: " + ", ".join(f"{k} {v}" for k, v in metrics.items() if not isinstance(v, dict)))

    # 3. Real against real: two random halves of the train file.
    rng = np.random.default_rng(0)
    inside = rng.random(len(train)) < 0.5
    half_a, half_b = train[inside].reset_index(drop=True), train[~inside].reset_index(drop=True)
    reference = {
        "column_shapes": np.mean(list(synth_metrics.column_shapes(half_a, half_b).values())),
        "pair_trends": np.mean(list(synth_metrics.pair_trends(half_a, half_b).values())),
        "detection": synth_metrics.detection_score(synth_metrics.detection_auc(half_a, half_b, seed=0)),
    }

    failures = []
    for seed, run in zip(SEEDS, runs, strict=True):
        for name, target in TARGETS.items():
            if run[name] < target:
                failures.append(f"seed {seed}: {name} {run[name]:.4f} < {target}")
        if run["exact_copies"]:
            failures.append(f"seed {seed}: {run['exact_copies']} exact copies")

    def cells(name: str, fmt: str = "{:.3f}") -> str:
        values = [run[name] for run in runs]
        return " | ".join(fmt.format(v) for v in values) + " | " + fmt.format(statistics.median(values))

    def ref(name: str) -> str:
        return f"{reference[name]:.3f}" if name in reference else ""

    lines = [
        ("column shapes (KS / TV complement, mean of 21 columns)", "column_shapes", ">= 0.90"),
        ("pair trends (correlation / contingency similarity, 210 pairs)", "pair_trends", ">= 0.85"),
        ("detection: 2 x (1 - AUC) of a real-vs-synthetic LightGBM", "detection", ""),
        ("utility: precision@5 % synthetic-trained / real-trained", "utility_ratio", ">= 0.80"),
        ("precision@5 % on the holdout, trained on real train rows", "utility_precision_real", ""),
        ("precision@5 % on the holdout, trained on synthetic rows", "utility_precision_synthetic", ""),
        ("DCR median (Gower, 0..1): synthetic to train", "dcr_synthetic_median", ""),
        ("DCR median: real holdout to train", "dcr_holdout_median", ""),
        ("DCR 5th percentile: synthetic to train", "dcr_synthetic_p5", ""),
        ("DCR 5th percentile: real holdout to train", "dcr_holdout_p5", ""),
        ("share of synthetic rows closer than the holdout's 5th pct (ideal 0.05)", "dcr_share_below_holdout_p5", ""),
    ]
    body = [f"| {label} | {target} | {cells(name)} | {ref(name)} |" for label, name, target in lines]
    body.append(f"| exact copies of a real row (of 54,000) | 0 | {cells('exact_copies', '{:.0f}')} | |")
    body.append(f"| fit + generate 37,385 rows, s | | {cells('seconds_generating', '{:.1f}')} | |")
    body.append(f"| all metrics, s | | {cells('seconds_metrics', '{:.1f}')} | |")
    table = "\n".join(
        [
            INTRO,
            "",
            f"The job as the portal runs it (learn 80 % of the train file, generate 37,385 rows, all metrics): "
            f"**{job_seconds:.1f} s** end to end (seed 0; load average {load_before} before). "
            f"Targets met on every seed: **{'yes' if not failures else 'NO: ' + '; '.join(failures)}**.",
            "",
            "| figure | target | seed 0 | seed 1 | seed 2 | median | real half vs half |",
            "|---|---|---:|---:|---:|---:|---:|",
            *body,
        ]
    )
    print()
    print(table)
    if args.write:
        write_section("algorithms-synth", table, introduction="## Synthetic data (AI-Synth)\n\n")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
