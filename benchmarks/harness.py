"""Timing helpers for the benchmarks: medians of repeated runs, and results
that carry their target so the report can say whether each was met."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measured figure, with its target if it has one."""

    name: str
    value: float
    unit: str
    target: float | None = None
    """The figure must be at most this (None: reported only)."""
    detail: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the target was met, or None when there is no target."""
        return None if self.target is None else self.value <= self.target


def median_seconds(func: Callable[[], object], repeat: int = 15, warmup: int = 2) -> float:
    """Median wall time of ``func`` over ``repeat`` calls, after ``warmup`` calls."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
