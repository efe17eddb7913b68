"""The champion rule: selection figures per model and the model that wins."""

from __future__ import annotations

import numpy as np

from algorithms.engines.fraud_metrics import precision_at, revenue_at

from .data import CHAMPION_DECIMALS, MODEL_NAMES


# ----------------------------------------------------------------------------------------------- champion
def selection_figures(scores, labels, revenue, unseen, rate: int) -> dict:
    """What the champion rule reads on valid: precision and revenue share at ``rate`` % on the unseen rows
    (ranked among themselves), and precision at ``rate`` % on all rows for the record."""
    unseen = np.asarray(unseen, dtype=bool)
    return {
        "unseen_precision": round(precision_at(scores[unseen], labels[unseen], rate), 4) if unseen.any() else 0.0,
        "unseen_revenue": round(revenue_at(scores[unseen], revenue[unseen], rate), 4) if unseen.any() else 0.0,
        "all_precision": round(precision_at(scores, labels, rate), 4),
        "all_revenue": round(revenue_at(scores, revenue, rate), 4),
    }


def choose_champion(figures: dict[str, dict], order=MODEL_NAMES, *, on_unseen: bool = True) -> str:
    """The model with the best precision at the target rate on unseen-combination valid rows (``on_unseen``; all
    valid rows otherwise), then the best revenue share there, both rounded to ``CHAMPION_DECIMALS``; a tie goes to
    the earlier model of ``order`` (simplest and fastest first)."""
    prefix = "unseen" if on_unseen else "all"

    def key(name):
        row = figures[name]
        return (
            round(row[f"{prefix}_precision"], CHAMPION_DECIMALS),
            round(row[f"{prefix}_revenue"], CHAMPION_DECIMALS),
            -order.index(name),
        )

    return max((name for name in order if name in figures), key=key)
