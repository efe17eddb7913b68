"""DATE at scale (issue 14, part 4): training and scoring time and peak memory at 100k, 1M and 3M declarations.

Data: rows resampled with replacement (seed 0) from the public synthetic files (``../shared/data/customs-declarations``)
and given unique Declaration IDs. Training: resampled from the three files concatenated, date split at the files'
real boundaries (as ``algorithms_date.py``), default parameters (``threads`` 1, DATE fitted on at most
``date_max_rows`` training declarations). Scoring: resampled from the test file, labels dropped, scored with the
model trained on the three public files (default parameters), the ranked CSV written.

Every run is a separate process, so that its peak memory (``ru_maxrss``, the whole process: Python, torch,
LightGBM, XGBoost) is its own. The reference "bare LightGBM predict" is the champion's history LightGBM
(``lightgbm.txt``) predicting every row of the same feature matrix (features built chunk by chunk, not timed):
the ratio says what the whole job costs on top of the one call every tree-model scorer needs.

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/date_scale.py [--write] [--score-sizes ...]
        [--train-sizes ...] [--score-runs 3] [--train-runs 1]
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from algorithms.declarations import DECLARATION_ID, LABEL_COLUMNS  # noqa: E402
from benchmarks.common import write_section  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "customs-declarations"
FILES = ("df_syn_train_eng.csv", "df_syn_valid_eng.csv", "df_syn_test_eng.csv")
SPLIT_DATES = ["2021-01-01", "2021-04-01"]
SCORE_LIMIT_S, TRAIN_LIMIT_S, MEMORY_LIMIT_MB = 60.0, 600.0, 4096.0
TARGET_ROWS = 1_000_000


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def resample(frame: pd.DataFrame, rows: int, path: Path, *, labelled: bool) -> Path:
    """``rows`` rows drawn with replacement (seed 0), unique ids, written in pieces (bounded memory)."""
    rng = np.random.default_rng(0)
    piece = 500_000
    for start in range(0, rows, piece):
        size = min(piece, rows - start)
        part = frame.iloc[rng.integers(0, len(frame), size=size)].copy()
        part[DECLARATION_ID] = [f"R{start + i:08d}" for i in range(size)]
        if not labelled:
            part = part.drop(columns=list(LABEL_COLUMNS))
        part.to_csv(path, index=False, mode="w" if start == 0 else "a", header=start == 0)
    return path


# ----------------------------------------------------------------------------------------------- child processes
def child_train(dataset: Path, workdir: Path) -> dict:
    from algorithms.engines import date
    from algorithms.engines.base import noop_progress

    started = time.perf_counter()
    result = date.train(dataset, workdir=workdir, seed=0, progress=noop_progress, params={"split_dates": SPLIT_DATES})
    seconds = time.perf_counter() - started
    metrics = result.metrics
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "timings": metrics["timings_seconds"],
        "champion": metrics["champion"],
        "subsampling": metrics["subsampling"]["date"],
        "train_rows": metrics["split"]["train"]["rows"],
    }


def child_score(model: Path, dataset: Path, workdir: Path) -> dict:
    from algorithms.engines import date

    stages = []
    started = time.perf_counter()
    result = date.score(model, dataset, workdir=workdir, progress=lambda p, s: stages.append(p))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": peak_mb(), "rows": result.metrics["rows"], "progress_calls": len(stages)}


def child_bare(model: Path, dataset: Path) -> dict:
    import lightgbm as lgb

    from algorithms.engines.date.data import read_dataset_chunks
    from algorithms.engines.date.scoring import SCORE_CHUNK_ROWS, _load_model

    _, features, _ = _load_model(model)
    booster = lgb.Booster(model_file=str(model / "lightgbm.txt"))
    seconds = 0.0
    for frame in read_dataset_chunks(dataset, chunk_rows=SCORE_CHUNK_ROWS):
        table = features.transform(frame)
        started = time.perf_counter()
        booster.predict(table)
        seconds += time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": peak_mb()}


def run_child(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# ----------------------------------------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the section into benchmarks/README.md")
    parser.add_argument("--data", type=Path, default=DATA, help="folder with the three public CSV files")
    parser.add_argument("--score-sizes", type=int, nargs="*", default=[100_000, 1_000_000, 3_000_000])
    parser.add_argument("--train-sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--score-runs", type=int, default=3)
    parser.add_argument("--train-runs", type=int, default=1)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *paths = args.child
        paths = [Path(p) for p in paths]
        result = {"train": child_train, "score": child_score, "bare": child_bare}[kind](*paths)
        print(json.dumps(result))
        return

    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-date-scale-") as tmp:
        tmp = Path(tmp)
        frames = [pd.read_csv(args.data / name, dtype=str, keep_default_na=False) for name in FILES]
        public = tmp / "public.csv"
        pd.concat(frames, ignore_index=True).to_csv(public, index=False)
        print(f"training the scoring model on the public files ({sum(map(len, frames)):,} rows), load {load()}")
        model_run = run_child("train", str(public), str(tmp / "model-train"))
        model = tmp / "model-train" / "model"
        print(f"  {model_run['seconds']:.1f} s, champion {model_run['champion']}")

        rows_out = []
        for rows in args.score_sizes:
            dataset = resample(frames[2], rows, tmp / f"score-{rows}.csv", labelled=False)
            runs = []
            for i in range(args.score_runs if rows <= TARGET_ROWS else 1):
                load_before = load()
                runs.append(run_child("score", str(model), str(dataset), str(tmp / f"score-{rows}-{i}")))
                print(f"score {rows:,}: {runs[-1]['seconds']:.1f} s, {runs[-1]['peak_mb']:.0f} MB, load {load_before}")
            bare = run_child("bare", str(model), str(dataset))
            print(f"  bare LightGBM predict {bare['seconds']:.2f} s")
            median = statistics.median(r["seconds"] for r in runs)
            rows_out.append(
                f"| scoring | {rows:,} | {median:.1f} ({len(runs)}) | {1000 * median / rows * 1000:.0f} | "
                f"{max(r['peak_mb'] for r in runs):,.0f} | {bare['seconds']:.1f} | {median / bare['seconds']:.1f} | "
                f"{load_before} |"
            )
            dataset.unlink()

        for rows in args.train_sizes:
            dataset = resample(pd.concat(frames, ignore_index=True), rows, tmp / f"train-{rows}.csv", labelled=True)
            runs = []
            for i in range(args.train_runs):
                load_before = load()
                runs.append(run_child("train", str(dataset), str(tmp / f"train-{rows}-{i}")))
                run = runs[-1]
                print(
                    f"train {rows:,}: {run['seconds']:.1f} s, {run['peak_mb']:.0f} MB, load {load_before}, "
                    f"timings {run['timings']}, DATE on {run['subsampling']['train_rows']:,} of "
                    f"{run['subsampling']['train_rows_available']:,} training rows"
                )
            median = statistics.median(r["seconds"] for r in runs)
            timings = runs[0]["timings"]
            rows_out.append(
                f"| training | {rows:,} | {median:.1f} ({len(runs)}) | {1000 * median / rows * 1000:.0f} | "
                f"{max(r['peak_mb'] for r in runs):,.0f} | LightGBM fit {timings['lightgbm']:.1f} | "
                f"{median / timings['lightgbm']:.1f} | {load_before} |"
            )
            lines.append(
                f"- training {rows:,}: {runs[0]['train_rows']:,} training rows; DATE fitted on "
                f"{runs[0]['subsampling']['train_rows']:,} of them; seconds by part: "
                + ", ".join(f"{k} {v}" for k, v in timings.items())
            )
            dataset.unlink()

    table = "\n".join(
        [
            f"Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, `OMP_NUM_THREADS=1 nice -n 10 "
            f".venv/bin/python benchmarks/date_scale.py --write` (threads 1), 2-core machine shared with other "
            f"work (load average 1/5/15 min in the table; at the end {load()}). Scoring model: trained on the three "
            f"public files in {model_run['seconds']:.1f} s, champion {model_run['champion']}.",
            "",
            "| job | rows | median s (runs) | µs per row | peak memory MB | bare LightGBM s | ratio | load before |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
            *rows_out,
            "",
            *lines,
        ]
    )
    print()
    print(table)
    if args.write:
        write_section("date-scale", table, introduction="## DATE at scale (issue 14, part 4)\n\n")


if __name__ == "__main__":
    main()
