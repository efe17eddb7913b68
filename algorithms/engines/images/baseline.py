"""The classical baseline: colour and gradient-orientation histograms, a logistic regression."""

from __future__ import annotations

import numpy as np
from PIL import Image

from .features import _square

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
