"""Timing helpers for the benchmarks: medians of repeated runs, results that
carry their target so the report can say whether each was met, and the
project's settings, so that no benchmark depends on the working folder."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from complaints_code.settings import CONFIG_NAME, Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
"""The checkout these benchmarks belong to (where complaints-code.toml is)."""
CONFIG = ROOT / CONFIG_NAME
BENCH_DIR = ROOT / "bench"
"""Where ``make bench`` writes RESULTS.md and the plots."""


@dataclass(frozen=True)
class Result:
    """One measured figure, with its target if it has one."""

    name: str
    value: float
    unit: str
    target: float | None = None
    """The figure must be at most this (None: reported only)."""
    detail: str = ""
    strict: bool = False
    """The figure must be below the target, not equal to it (a target "< 1")."""
    at_least: bool = False
    """The figure must be at least the target (a throughput), not at most."""

    @property
    def met(self) -> bool | None:
        """Whether the target was met, or None when there is no target."""
        if self.target is None:
            return None
        if self.at_least:
            return self.value >= self.target
        return self.value < self.target if self.strict else self.value <= self.target

    @property
    def target_text(self) -> str:
        """The target as the report shows it, e.g. "≤ 0.8 ×"; "" without one."""
        if self.target is None:
            return ""
        sign = "≥" if self.at_least else "<" if self.strict else "≤"
        return f"{sign} {self.target:g} {self.unit}"


@cache
def project_settings() -> Settings:
    """The settings of this checkout: its complaints-code.toml, whatever the
    working folder (COMPLAINTS_CODE_* variables still apply)."""
    return load_settings(CONFIG)


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
