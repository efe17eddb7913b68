"""Fraud detection (DATE) on the public customs data: quality of the three models, training and scoring time.

The three public files (``../shared/data/customs-declarations``) are concatenated into one CSV and the DATE
engine's ``train`` runs on it with ``split_dates`` at the files' real boundaries: train file for training, valid
file for choosing the champion, test file for measuring. Five training runs (seeds 0 to 4): the quality table is
seed 0's; times are medians of the five; every seed's champion is checked against the targets of issue 5.
Scoring: 100,000 declarations resampled (with replacement, labels dropped) from the test file, three runs.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/algorithms_date.py [--write] [--data DIR]
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

import pandas as pd  # noqa: E402

from algorithms.declarations import LABEL_COLUMNS, read_declarations  # noqa: E402
from algorithms.engines import date  # noqa: E402
from algorithms.engines.base import noop_progress  # noqa: E402
from algorithms.engines.features import DeclarationFeatures, history_feature_names, labels_of, revenue_proxy  # noqa: E402
from algorithms.engines.fraud_metrics import INSPECTION_RATES, fit_lightgbm, ranking_metrics  # noqa: E402
from benchmarks.common import write_section  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "customs-declarations"
FILES = ("df_syn_train_eng.csv", "df_syn_valid_eng.csv", "df_syn_test_eng.csv")
SPLIT_DATES = ["2021-01-01", "2021-04-01"]
SEEDS = (0, 1, 2, 3, 4)
SCORE_ROWS = 100_000
TRAIN_LIMIT_S, SCORE_LIMIT_S, PRECISION_AT_5 = 90.0, 10.0, 0.95


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def check(metrics: dict) -> list[str]:
    """The targets of issue 5 for one run; returns the failures."""
    models = metrics["models"]
    champion = models[metrics["champion"]]["test"]
    failures = []
    for rate in INSPECTION_RATES:
        key = f"precision@{rate}"
        best_baseline = max(models["xgboost"]["test"][key], models["lightgbm"]["test"][key])
        if champion[key] < best_baseline:
            failures.append(f"{key}: champion {champion[key]:.4f} < best baseline {best_baseline:.4f}")
    if champion["precision@5"] < PRECISION_AT_5:
        failures.append(f"precision@5 {champion['precision@5']:.4f} < {PRECISION_AT_5}")
    return failures


def without_history(data: Path) -> tuple[dict, float]:
    """Reference (not part of the job): the tuned LightGBM on the same table minus the history features."""
    started = time.perf_counter()
    train, valid, test = (read_declarations(data / name) for name in FILES)
    features = DeclarationFeatures(seed=0)
    plain = [c for c in features.feature_names if c not in history_feature_names()]
    train_x = features.fit_transform(train)[plain]
    valid_x, test_x = features.transform(valid)[plain], features.transform(test)[plain]
    booster = fit_lightgbm(train_x, labels_of(train), valid_x, labels_of(valid), features.categorical_features, seed=0)
    scores = booster.predict(test_x, num_iteration=booster.best_iteration)
    return ranking_metrics(scores, labels_of(test), revenue_proxy(test)), time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the section into benchmarks/README.md")
    parser.add_argument("--data", type=Path, default=DATA, help="folder with the three public CSV files")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-date-") as tmp:
        tmp = Path(tmp)
        frames = [pd.read_csv(args.data / name, dtype=str, keep_default_na=False) for name in FILES]
        dataset = tmp / "declarations.csv"
        pd.concat(frames, ignore_index=True).to_csv(dataset, index=False)

        runs = []
        for seed in SEEDS:
            load_before = load()
            started = time.perf_counter()
            result = date.train(
                dataset,
                workdir=tmp / f"train-{seed}",
                seed=seed,
                progress=noop_progress,
                params={"split_dates": SPLIT_DATES},
            )
            seconds = time.perf_counter() - started
            runs.append((seed, seconds, result, load_before))
            print(f"seed {seed}: {seconds:.1f} s, champion {result.metrics['champion']}, load {load_before}")

        to_score = tmp / "to_score.csv"
        frames[2].sample(n=SCORE_ROWS, replace=True, random_state=0).drop(columns=list(LABEL_COLUMNS)).to_csv(
            to_score, index=False
        )
        score_times = []
        for i in range(3):
            started = time.perf_counter()
            date.score(runs[0][2].artifacts["model"], to_score, workdir=tmp / f"score-{i}", progress=noop_progress)
            score_times.append(time.perf_counter() - started)
            print(f"score {SCORE_ROWS:,} rows: {score_times[-1]:.2f} s, load {load()}")

    reference, reference_seconds = without_history(args.data)
    metrics = runs[0][2].metrics
    train_median = statistics.median(seconds for _, seconds, _, _ in runs)
    score_median = statistics.median(score_times)
    header = ["model", "AUC"]
    for name in ("precision", "recall", "revenue"):
        header += [f"{name[:4]}.@{rate}%" for rate in INSPECTION_RATES]
    header.append("train s (median)")
    rows = []
    for name in date.MODEL_NAMES:
        test = metrics["models"][name]["test"]
        model_seconds = statistics.median(r.metrics["models"][name]["train_seconds"] for _, _, r, _ in runs)
        cells = [date.MODEL_LABELS[name] + (" (champion)" if name == metrics["champion"] else ""), f"{test['auc']:.4f}"]
        for metric in ("precision", "recall", "revenue"):
            cells += [f"{test[f'{metric}@{rate}']:.4f}" for rate in INSPECTION_RATES]
        cells.append(f"{model_seconds:.1f}")
        rows.append("| " + " | ".join(cells) + " |")
    cells = ["*reference: LightGBM without the history features*", f"{reference['auc']:.4f}"]
    for metric in ("precision", "recall", "revenue"):
        cells += [f"{reference[f'{metric}@{rate}']:.4f}" for rate in INSPECTION_RATES]
    cells.append(f"{reference_seconds:.1f}")
    rows.append("| " + " | ".join(cells) + " |")
    per_seed = []
    all_failures = []
    for seed, seconds, result, load_before in runs:
        champion = result.metrics["champion"]
        test = result.metrics["models"][champion]["test"]
        failures = check(result.metrics)
        all_failures += [f"seed {seed}: {f}" for f in failures]
        per_seed.append(
            f"| {seed} | {date.MODEL_LABELS[champion]} | "
            + " | ".join(f"{test[f'precision@{rate}']:.4f}" for rate in INSPECTION_RATES)
            + f" | {'yes' if not failures else 'NO'} | {seconds:.1f} | {load_before} |"
        )
    if train_median > TRAIN_LIMIT_S:
        all_failures.append(f"training median {train_median:.1f} s > {TRAIN_LIMIT_S:.0f} s")
    if score_median > SCORE_LIMIT_S:
        all_failures.append(f"scoring median {score_median:.2f} s > {SCORE_LIMIT_S:.0f} s")
    split = metrics["split"]
    table = "\n".join(
        [
            "`OMP_NUM_THREADS=1 .venv/bin/python benchmarks/algorithms_date.py --write` (threads=1). Data: the three "
            "public files of the Customs Import Declaration Datasets (synthetic, CTGAN; see "
            "`algorithms/engines/DATE_NOTES.md` for what these figures can and cannot show): train "
            f"{split['train']['rows']:,} rows ({split['train']['first_date']}..{split['train']['last_date']}), "
            f"valid {split['valid']['rows']:,} (choosing), test {split['test']['rows']:,} (measuring). "
            "Revenue = share of the test period's proxy revenue (Item Price x Tax Rate / 100 on fraudulent rows). "
            "The three models see the same features.",
            "",
            f"Test period, seed 0 (issue 5's targets: champion >= best baseline at 1/2/5/10 % and precision@5 >= "
            f"{PRECISION_AT_5}):",
            "",
            "| " + " | ".join(header) + " |",
            "|---|" + "---:|" * (len(header) - 1),
            *rows,
            "",
            "Champion per seed (chosen on valid), precision on test:",
            "",
            "| seed | champion | " + " | ".join(f"prec.@{r}%" for r in INSPECTION_RATES) + " | targets met | "
            "whole job s | load 1/5/15 min |",
            "|---:|---|" + "---:|" * len(INSPECTION_RATES) + "---|---:|---|",
            *per_seed,
            "",
            f"Whole training job (loading, features, the three models, evaluation, saving): median "
            f"**{train_median:.1f} s** of {len(runs)} runs (target < {TRAIN_LIMIT_S:.0f} s). Scoring "
            f"{SCORE_ROWS:,} declarations resampled from the test file (labels dropped) into the ranked CSV: median "
            f"**{score_median:.2f} s** of 3 runs (target < {SCORE_LIMIT_S:.0f} s). 2-core machine shared with other "
            f"work; load average 1/5/15 min at the end: {load()}.",
            "",
            "Targets: " + ("all met." if not all_failures else "NOT met: " + "; ".join(all_failures) + "."),
            "",
            "At this level one declaration of the test period is worth 0.012 at 1 %, 0.006 at 2 %, 0.0024 at 5 % and "
            "0.0012 at 10 %; the differences between the models come from three non-fraud test declarations whose "
            'goods tuple was fraud in every one of its 3 to 5 training declarations (`DATE_NOTES.md`, "The noise '
            'floor").',
        ]
    )
    print()
    print(table)
    if args.write:
        write_section("algorithms-date", table, introduction="## Fraud detection (DATE)\n\n")


if __name__ == "__main__":
    main()
