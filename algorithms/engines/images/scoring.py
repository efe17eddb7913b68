"""Scoring a set of images with a trained model: ``score_images``."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from bacuda_portal.core.csv_cells import safe_cell

from ..base import EngineError, EngineResult, ProgressCallback, noop_progress
from .classifier import load_classifier
from .features import BATCH, _images_in, _set_threads, open_image

# --------------------------------------------------------------------------------------------------- scoring


def score_images(
    model_dir: Path,
    images_dir: Path,
    workdir: Path,
    *,
    hs_codes: dict[str, str] | None = None,
    progress: ProgressCallback = noop_progress,
) -> EngineResult:
    """Classify every image under ``images_dir``; artifact ``scores``: a CSV ranked by confidence (best first) with
    file, class, confidence, HS code where mapped and the top 3. Unreadable files are listed last with an error."""
    _set_threads()
    began = time.perf_counter()
    progress(1, "loading the model")
    classifier = load_classifier(model_dir)
    images_dir = Path(images_dir)
    files = _images_in(images_dir) if images_dir.is_dir() else []
    if not files:
        raise EngineError("No image to score.")
    hs_codes = hs_codes or {}
    rows, failed = [], []
    for first in range(0, len(files), BATCH):
        chunk = files[first : first + BATCH]
        images, names = [], []
        for f in chunk:
            name = f.relative_to(images_dir).as_posix()
            try:
                images.append(open_image(f))
                names.append(name)
            except EngineError as error:
                failed.append((name, str(error)))
        if images:
            for name, top in zip(names, classifier.predict(images, top_k=3), strict=True):
                rows.append((name, top))
        done = min(len(files), first + BATCH)
        progress(5 + 90 * done // len(files), f"scored {done} of {len(files)} images")
    rows.sort(key=lambda r: (-r[1][0][1], r[0]))
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "scores.csv"
    counts = dict.fromkeys(classifier.classes, 0)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rank", "file", "class", "confidence", "hs_code", "top3", "error"])
        for rank, (name, top) in enumerate(rows, start=1):
            cls, conf = top[0]
            counts[cls] += 1
            top3 = "; ".join(f"{c} {p:.3f}" for c, p in top)
            writer.writerow(
                [
                    rank,
                    safe_cell(name),
                    safe_cell(cls),
                    f"{conf:.4f}",
                    safe_cell(hs_codes.get(cls, "")),
                    safe_cell(top3),
                    "",
                ]
            )
        for name, error in failed:
            writer.writerow(["", safe_cell(name), "", "", "", "", safe_cell(error)])
    seconds = round(time.perf_counter() - began, 2)
    metrics = {
        "images": len(files),
        "scored": len(rows),
        "unreadable": len(failed),
        "counts": {c: n for c, n in counts.items() if n},
        "champion": classifier.champion,
        "seconds": seconds,
    }
    progress(100, "done")
    summary = f"Scored {len(rows)} of {len(files)} images with the {classifier.champion} in {seconds} s."
    return EngineResult(metrics=metrics, artifacts={"scores": path}, summary=summary)
