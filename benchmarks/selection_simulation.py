"""DATE selection simulation (issue 14) on the public customs data: time of 52 weekly batches x 4 strategies, and
whether exploitation alone decays against a hybrid.

The three public files (``../shared/data/customs-declarations``, 54,000 declarations, 2020-01-01 to 2021-06-30)
are concatenated into one CSV and the job's engine (``algorithms.engines.selection.simulation.simulate``) runs on it
as a worker would: first training window 2020-01-01 + 91 days (all its labels known), then 52 weekly batches
(2020-04-01 to 2021-03-30) at 5 % inspection, retraining every batch, one thread.

1. Timing: the default four strategies (random, risky profiles, LightGBM exploitation, LightGBM + bATE-style
   exploration at a 10 % share), seed 0; the job's time limit target is 10 minutes on a 2-core worker.
2. Decay: all seven strategies (adding DATE exploitation, LightGBM + random exploration and the adaptive hybrid)
   for the seeds given with ``--compare-seeds`` (default 0; 3 to 8 minutes a seed): cumulative precision,
   precision in the first and second halves of the year, recall on goods never inspected before, revenue captured.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/selection_simulation.py [--write] [--data DIR] [--compare-seeds 0,1,2]
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

from algorithms.engines.base import noop_progress  # noqa: E402
from algorithms.engines.selection.names import STRATEGY_LABELS, STRATEGY_NAMES  # noqa: E402
from algorithms.engines.selection.simulation import simulate  # noqa: E402
from benchmarks.common import write_section  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "customs-declarations"
FILES = ("df_syn_train_eng.csv", "df_syn_valid_eng.csv", "df_syn_test_eng.csv")
BASE = {"train_start": "2020-01-01", "train_days": 91, "batch_days": 7, "batches": 52, "rate": 0.05}
TIMING_STRATEGIES = ["random", "profiles", "lightgbm", "hybrid_bate"]
LIMIT_S = 600.0
INTRODUCTION = (
    "## DATE selection simulation\n\n"
    "`benchmarks/selection_simulation.py`: the selection simulation job's engine on the three public files "
    "concatenated, 52 weekly batches at 5 % inspection after a 91-day training window, retraining every batch.\n\n"
)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def run(csv_path: Path, workdir: Path, strategies: list[str], seed: int) -> tuple[dict, float]:
    started = time.perf_counter()
    result = simulate(
        csv_path, workdir=workdir, seed=seed, progress=noop_progress, params={**BASE, "strategies": strategies}
    )
    return result.metrics, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the section into benchmarks/README.md")
    parser.add_argument("--data", type=Path, default=DATA, help="folder with the three public CSV files")
    parser.add_argument("--compare-seeds", default="0", help="seeds of the seven-strategy runs, e.g. 0,1,2")
    args = parser.parse_args()
    seeds = [int(s) for s in args.compare_seeds.split(",") if s.strip()]

    with tempfile.TemporaryDirectory(prefix="bench-selection-") as tmp:
        tmp = Path(tmp)
        csv_path = tmp / "declarations.csv"
        pd.concat([pd.read_csv(args.data / name, dtype=str, keep_default_na=False) for name in FILES]).to_csv(
            csv_path, index=False
        )
        load_before = load()
        timing, seconds = run(csv_path, tmp / "timing", TIMING_STRATEGIES, 0)
        print(f"timing run: {seconds:.1f} s", flush=True)
        comparisons = {}
        for seed in seeds:
            comparisons[seed], elapsed = run(csv_path, tmp / f"all-{seed}", list(STRATEGY_NAMES), seed)
            print(f"seven strategies, seed {seed}: {elapsed:.1f} s", flush=True)
        load_after = load()

    lines = [
        f"Run of {time.strftime('%Y-%m-%d')}, `OMP_NUM_THREADS=1 .venv/bin/python benchmarks/selection_simulation.py "
        f"--write`; 2-core machine shared with other work (load average 1/5/15 min before {load_before}, after "
        f"{load_after}). Training window {timing['training']['first_date']} to {timing['training']['last_date']} "
        f"({timing['training']['rows']} declarations, {timing['training']['frauds']} frauds); batches "
        f"{timing['batches'][0]['first_date']} to {timing['batches'][-1]['last_date']}.",
        "",
        f"**Timing (target < {LIMIT_S / 60:.0f} min): 52 batches x 4 strategies in {seconds:.1f} s** "
        f"({'within' if seconds < LIMIT_S else 'OVER'} the target), seed 0:",
        "",
        "| strategy | precision | recall | revenue share | recall on unseen goods | precision 1st / 2nd half | s |",
        "|---|---|---|---|---|---|---|",
    ]
    for figures in timing["strategies"].values():
        lines.append(
            f"| {figures['label']} | {figures['precision']:.3f} | {figures['recall']:.3f} | {figures['revenue']:.3f} "
            f"| {figures['unseen_recall']:.3f} | {figures['precision_first_half']:.3f} / "
            f"{figures['precision_second_half']:.3f} | {figures['seconds']:.1f} |"
        )
    if comparisons:
        lines += [
            "",
            f"**All seven strategies, seeds {', '.join(map(str, seeds))}** (mean, and min-max over the seeds):",
            "",
            "| strategy | precision | precision 1st half | precision 2nd half | recall | recall on unseen goods "
            "| revenue share | s per run |",
            "|---|---|---|---|---|---|---|---|",
        ]

        def cell(name, key, digits=3):
            values = [comparisons[s]["strategies"][name][key] for s in seeds]
            if len(values) == 1:
                return f"{values[0]:.{digits}f}"
            return f"{statistics.mean(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"

        for name in STRATEGY_NAMES:
            lines.append(
                f"| {STRATEGY_LABELS[name]} | {cell(name, 'precision')} | {cell(name, 'precision_first_half')} | "
                f"{cell(name, 'precision_second_half')} | {cell(name, 'recall')} | {cell(name, 'unseen_recall')} | "
                f"{cell(name, 'revenue')} | {cell(name, 'seconds', 1)} |"
            )
        exploit = [comparisons[s]["strategies"]["lightgbm"] for s in seeds]
        hybrids = {n: [comparisons[s]["strategies"][n] for s in seeds] for n in ("hybrid_random", "hybrid_bate")}
        decay = statistics.mean(f["precision_first_half"] - f["precision_second_half"] for f in exploit)
        gap = {
            n: statistics.mean(
                e["precision_second_half"] - h["precision_second_half"] for e, h in zip(exploit, hs, strict=True)
            )
            for n, hs in hybrids.items()
        }
        verdict = "decays" if decay > 0.02 and all(g < 0 for g in gap.values()) else "does not decay against a hybrid"
        lines += [
            "",
            f"Exploitation alone (LightGBM) {verdict} on this data: its precision changes by {-decay:+.3f} from the "
            f"first half of the year to the second (mean over the seeds), and in the second half it is "
            + ", ".join(f"{g:+.3f} against {STRATEGY_LABELS[n]}" for n, g in gap.items())
            + ".",
        ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("selection-simulation", text, INTRODUCTION)


if __name__ == "__main__":
    main()
