"""DATE job with the national tariff code (issue 14, part 3): the public HS10 version of the declarations against
the HS6 version of the same rows, with and without the national code as a feature.

The HS10 files (``hs10_version_2022-06-03``) hold the same declarations as the HS6 files, with the ten-digit code
in place of the HS6. They are turned into what an upload stores: the ten digits as ``Tariff Code`` (zeros a
spreadsheet dropped restored) and their first six as ``HS6 Code`` (checked equal, row by row, to the HS6 version).
Three variants, each trained as ``benchmarks/date_unseen.py`` does (three files concatenated, split at their
boundaries; unseen = goods combination never in the train file): the HS6 version; the HS10 version with
``use_extra_columns`` off (must give the HS6 version's figures); the HS10 version with the national code used (a
categorical feature of the tree models and a fraud-history key).

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/date_national_code.py [--write] [--seeds 0 1]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from algorithms.declarations import HS6_CODE, TARIFF_CODE  # noqa: E402
from algorithms.engines import date  # noqa: E402
from algorithms.engines.base import noop_progress  # noqa: E402
from benchmarks.common import write_section  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "customs-declarations"
HS10 = "hs10_version_2022-06-03"
FILES = ("df_syn_train_eng.csv", "df_syn_valid_eng.csv", "df_syn_test_eng.csv")
SPLIT_DATES = ["2021-01-01", "2021-04-01"]
VARIANTS = (
    ("hs6", "HS6 version"),
    ("hs10_off", "HS10 version, extra columns off"),
    ("hs10_on", "HS10 version, national code used"),
)
SHORT = {"hs6": "HS6", "hs10_off": "HS10, off", "hs10_on": "HS10 + national code"}


def _frames(folder: Path) -> pd.DataFrame:
    return pd.concat(
        [pd.read_csv(folder / name, dtype=str, keep_default_na=False) for name in FILES], ignore_index=True
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the section into benchmarks/README.md")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    args = parser.parse_args()

    hs6 = _frames(args.data)
    hs10 = _frames(args.data / HS10)
    assert (hs6["Declaration ID"] == hs10["Declaration ID"]).all(), "the two versions' rows differ"
    tariff = hs10.pop("HS10 Code").str.zfill(10)
    position = hs10.columns.get_loc("Courier ID") + 1
    hs10.insert(position, HS6_CODE, tariff.str[:6])
    hs10[TARIFF_CODE] = tariff
    restored = (hs6[HS6_CODE].str.zfill(6) == hs10[HS6_CODE]).mean()
    assert restored == 1.0, f"HS6 of the HS10 version equals the HS6 version on {restored:.2%} of rows only"
    runs = {key: [] for key, _label in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="bench-date-national-") as tmp:
        tmp = Path(tmp)
        hs6.to_csv(tmp / "hs6.csv", index=False)
        hs10.to_csv(tmp / "hs10.csv", index=False)
        for seed in args.seeds:
            for key, _label in VARIANTS:
                started = time.perf_counter()
                result = date.train(
                    tmp / ("hs6.csv" if key == "hs6" else "hs10.csv"),
                    workdir=tmp / f"{key}-{seed}",
                    seed=seed,
                    progress=noop_progress,
                    params={"split_dates": SPLIT_DATES, "use_extra_columns": key != "hs10_off"},
                )
                runs[key].append((result.metrics, time.perf_counter() - started))
                m = result.metrics["models"]
                print(
                    f"seed {seed} {key}: champion {result.metrics['champion']}, extras "
                    f"{result.metrics['extra_features']}, "
                    + ", ".join(
                        f"{n} {m[n]['test']['precision@5']:.3f}/{m[n]['test_unseen']['precision@5']:.3f}" for n in m
                    )
                    + f" ({runs[key][-1][1]:.0f} s)",
                    flush=True,
                )

    def cell(key, name, part):
        values = [metrics["models"][name][part]["precision@5"] for metrics, _s in runs[key]]
        return f"{statistics.mean(values):.3f}"

    rows = []
    for name in date.MODEL_NAMES:
        cells = [date.MODEL_LABELS[name]]
        for part in ("test", "test_unseen"):
            cells += [cell(key, name, part) for key, _label in VARIANTS]
        rows.append("| " + " | ".join(cells) + " |")
    champions = []
    for key, label in VARIANTS:
        chosen = [metrics["champion"] for metrics, _s in runs[key]]
        seconds = statistics.median(s for _m, s in runs[key])
        figures = [metrics["models"][metrics["champion"]] for metrics, _s in runs[key]]
        champions.append(
            f"| {label} | {', '.join(chosen)} | {statistics.mean(f['test']['precision@5'] for f in figures):.3f} | "
            f"{statistics.mean(f['test_unseen']['precision@5'] for f in figures):.3f} | {seconds:.0f} |"
        )
    unseen = runs["hs6"][0][0]["unseen_share"]["test"]
    heads = " | ".join(f"P@5% {part}, {SHORT[key]}" for part in ("all", "unseen") for key, _label in VARIANTS)
    table = "\n".join(
        [
            "`OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/date_national_code.py --write` (threads=1, "
            f"seeds {', '.join(map(str, args.seeds))}; mean over seeds). Same 54,000 declarations in both versions; "
            f"unseen = goods combination (HS6, countries, tax rate, tax type, net mass) never in the train file "
            f"({unseen:.1%} of the test rows). P@5% on the test period; on unseen rows the ranking is among them.",
            "",
            f"| model | {heads} |",
            "|---|" + "---:|" * (2 * len(VARIANTS)),
            *rows,
            "",
            "| variant | champion per seed | champion P@5% all | champion P@5% unseen | job s (median) |",
            "|---|---|---:|---:|---:|",
            *champions,
        ]
    )
    print()
    print(table)
    if args.write:
        write_section("date-national-code", table, introduction="## DATE with the national tariff code\n\n")


if __name__ == "__main__":
    main()
