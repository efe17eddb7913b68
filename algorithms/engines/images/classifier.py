"""A trained model read back: ``load_classifier``, ``ImageClassifier`` and its heat maps."""

from __future__ import annotations

import io
import json
from pathlib import Path

import joblib
import numpy as np
import torch
from PIL import Image

from ..base import EngineError
from .baseline import _baseline_proba, baseline_features
from .features import BATCH, FEATURES, _set_threads, _square, backbone, feature_maps, network_features
from .training import Head, _logits, _sha256, _softmax

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
