"""The contract between the portal's job machinery and the model engines.

An engine is plain Python (no Django): a function that takes paths and plain values, writes its files inside the
``workdir`` it is given, reports progress through a callback and returns an :class:`EngineResult`. The job runner
(``algorithms.runner`` with ``algorithms.jobs``) turns the result into stored artifacts, metrics and model versions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# progress(percent 0..100, stage text). The runner's callback may raise JobCancelled (cancel requested).
ProgressCallback = Callable[[int, str], None]


class JobCancelled(Exception):
    """Raised by the progress callback when the job was cancelled; engines let it propagate."""


class EngineError(Exception):
    """A clear, user-facing reason for a failure (bad data, too few rows, a missing column...)."""


@dataclass
class EngineResult:
    """What an engine run produced."""

    metrics: dict = field(default_factory=dict)  # JSON-serialisable figures
    artifacts: dict[str, Path] = field(default_factory=dict)  # name -> file or directory inside workdir
    summary: str = ""  # one plain-text paragraph for the job log


def noop_progress(percent: int, stage: str) -> None:
    """A progress callback that ignores everything (for scripts, benchmarks and tests)."""
