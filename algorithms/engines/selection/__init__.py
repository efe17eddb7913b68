"""The selection simulation engine (issue 14): strategies, the batch loop and its figures; plain Python, no Django.

``simulate`` is the job's engine (``settings.BACUDA_ALGORITHM_ENGINES["date_simulate"]``); ``run`` works on a
frame, for tests and benchmarks. See ``simulation.py`` and ``strategies.py``.
"""

from algorithms.engines.selection.simulation import (
    DEFAULTS,
    ENGINE_VERSION,
    inspected_count,
    inspection_rates,
    resolve_params,
    run,
    simulate,
)
from algorithms.engines.selection.strategies import STRATEGY_LABELS, STRATEGY_NAMES

__all__ = [
    "DEFAULTS",
    "ENGINE_VERSION",
    "STRATEGY_LABELS",
    "STRATEGY_NAMES",
    "inspected_count",
    "inspection_rates",
    "resolve_params",
    "run",
    "simulate",
]
