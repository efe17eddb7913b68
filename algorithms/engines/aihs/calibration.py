"""Confidence that means what it says: temperature scaling, reliability bins and plain-language bands.

A model's scores become probabilities with a softmax at temperature T. T is chosen on held-out labelled
descriptions to minimise the negative log-likelihood of the true code (temperature scaling, Guo et al. 2017): with
the right T the mean confidence of the first suggestion is close to how often the first suggestion is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np

# The first suggestion's probability, in words (the page and the API show both).
BANDS = ((0.5, "likely"), (0.2, "possible"), (0.0, "unlikely"))
# Below this probability of the first suggestion's heading (its four digits: the sum of the probabilities of the
# heading's subheadings) the description is too vague to suggest anything useful. The heading, not the subheading:
# "men's shirt of woven cotton, long sleeves" is clear about heading 6205 while its subheadings share the
# probability; on real held-out descriptions the heading's probability is as calibrated as the subheading's
# (benchmarks/README.md).
VAGUE_BELOW = 0.10


def too_vague(suggestions: list[dict]) -> bool:
    """True when there is no suggestion or the first one's heading is less probable than ``VAGUE_BELOW`` (a model
    that gives no heading probability is judged on the first suggestion's own)."""
    if not suggestions:
        return True
    first = suggestions[0]
    return float(first.get("heading_confidence", first.get("confidence", 0.0))) < VAGUE_BELOW


TEMPERATURE_GRID = np.geomspace(0.002, 2.0, 400)


def band(probability: float) -> str:
    """ "likely", "possible" or "unlikely" for a first-suggestion probability."""
    for low, name in BANDS:
        if probability >= low:
            return name
    return BANDS[-1][1]


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = (np.asarray(scores, dtype=np.float64) - np.max(scores)) / max(float(temperature), 1e-9)
    e = np.exp(z)
    return e / e.sum()


def nll(score_rows: list[np.ndarray], truth: list[int], temperature: float) -> float:
    """Mean negative log-likelihood of the true code over held-out examples."""
    total = 0.0
    for scores, i in zip(score_rows, truth, strict=True):
        z = (np.asarray(scores, dtype=np.float64) - np.max(scores)) / temperature
        total += float(np.log(np.exp(z).sum()) - z[i])
    return total / max(len(truth), 1)


def mean_top1_confidence(score_rows: list[np.ndarray], temperature: float) -> float:
    return float(np.mean([calibrated_top1(scores, temperature) for scores in score_rows]))


def calibrated_top1(scores: np.ndarray, temperature: float) -> float:
    z = (np.asarray(scores, dtype=np.float64) - np.max(scores)) / max(float(temperature), 1e-9)
    return float(1.0 / np.exp(z).sum())


def fit_temperature(score_rows: list[np.ndarray], truth: list[int], objective: str = "match") -> float:
    """A temperature fitted on held-out examples (``truth``: the index of each one's true code in its scores).

    ``objective="match"`` (the default): the temperature at which the mean confidence of the first suggestion
    equals how often the first suggestion is right (what the page shows is the first suggestion's probability, and
    the issue asks that the two agree); ``"nll"``: the one that minimises the negative log-likelihood of the true
    code over all codes (classic temperature scaling). A fine logarithmic grid either way."""
    if not truth:
        raise ValueError("Calibration needs at least one held-out example.")
    if objective == "nll":
        losses = [nll(score_rows, truth, t) for t in TEMPERATURE_GRID]
        return float(TEMPERATURE_GRID[int(np.argmin(losses))])
    accuracy = float(np.mean([int(np.argmax(s)) == i for s, i in zip(score_rows, truth, strict=True)]))
    gaps = [abs(mean_top1_confidence(score_rows, t) - accuracy) for t in TEMPERATURE_GRID]
    return float(TEMPERATURE_GRID[int(np.argmin(gaps))])


@dataclass
class Reliability:
    """How often the first suggestion is right, per confidence bin."""

    edges: list[float]
    counts: list[int]
    mean_confidence: list[float]
    accuracy: list[float]
    overall_confidence: float
    overall_accuracy: float
    ece: float  # expected calibration error: the count-weighted mean gap between confidence and accuracy

    def as_dict(self) -> dict:
        return {
            "edges": self.edges,
            "counts": self.counts,
            "mean_confidence": self.mean_confidence,
            "accuracy": self.accuracy,
            "mean_top1_confidence": self.overall_confidence,
            "top1_accuracy": self.overall_accuracy,
            "ece": self.ece,
        }


def reliability(confidences, correct, bins: int = 5) -> Reliability:
    """Reliability of first-suggestion confidences (``correct``: whether the first suggestion was right)."""
    conf = np.asarray(confidences, dtype=np.float64)
    right = np.asarray(correct, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(conf, edges[1:-1]), 0, bins - 1)
    counts, means, accs = [], [], []
    ece = 0.0
    for b in range(bins):
        mask = index == b
        n = int(mask.sum())
        counts.append(n)
        means.append(round(float(conf[mask].mean()), 4) if n else 0.0)
        accs.append(round(float(right[mask].mean()), 4) if n else 0.0)
        if n:
            ece += n * abs(float(conf[mask].mean()) - float(right[mask].mean()))
    n_all = max(len(conf), 1)
    return Reliability(
        edges=[round(float(e), 2) for e in edges],
        counts=counts,
        mean_confidence=means,
        accuracy=accs,
        overall_confidence=round(float(conf.mean()), 4) if len(conf) else 0.0,
        overall_accuracy=round(float(right.mean()), 4) if len(right) else 0.0,
        ece=round(ece / n_all, 4),
    )


def reliability_svg(
    data: dict, *, title: str, x_label: str = "confidence of the first suggestion", width: int = 360, height: int = 300
) -> str:
    """A reliability diagram (SVG): for each confidence bin, a bar of how often the first suggestion was right,
    against the diagonal of perfect calibration. ``data`` is :meth:`Reliability.as_dict`."""
    left, right, top, bottom = 48, 16, 36, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    edges, counts, accuracy = data["edges"], data["counts"], data["accuracy"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{width / 2:.0f}" y="18" text-anchor="middle" font-family="sans-serif" font-size="12">'
        f"{escape(title)}</text>",
    ]
    for tick in range(0, 11, 2):
        value = tick / 10
        y = top + plot_h * (1 - value)
        x = left + plot_w * value
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-family="sans-serif" font-size="10">'
            f"{value:.1f}</text>"
        )
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle" font-family="sans-serif" '
            f'font-size="10">{value:.1f}</text>'
        )
    for i, n in enumerate(counts):
        if not n:
            continue
        x0 = left + plot_w * edges[i]
        bar_w = plot_w * (edges[i + 1] - edges[i])
        bar_h = plot_h * max(0.0, min(1.0, accuracy[i]))
        parts.append(
            f'<rect x="{x0 + 2:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w - 4:.1f}" height="{bar_h:.1f}" '
            f'fill="#1f5fa8"><title>{edges[i]:.1f}-{edges[i + 1]:.1f}: {n}, {accuracy[i]:.0%}</title></rect>'
        )
        parts.append(
            f'<text x="{x0 + bar_w / 2:.1f}" y="{top + plot_h - bar_h - 3:.1f}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="9">n={n}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top}" stroke="#e07b1a" '
        'stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle" font-family="sans-serif" '
        f'font-size="10">{escape(x_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
