"""Load + validate the source, and the sla calculation, per call."""

from __future__ import annotations

import datetime as dt

from complaints_code.structure.source import load
from complaints_code.timescales import records as data

from .harness import Result, median_seconds, project_settings


def run() -> list[Result]:
    source = project_settings().source
    code = load(source)
    raised = dt.datetime(2026, 12, 24, 16, 0)
    load_s = median_seconds(lambda: load(source), repeat=30)
    sla_s = median_seconds(lambda: data.deadlines(code, raised), repeat=200)
    return [
        Result("load + validate the Opus source", load_s * 1000, "ms"),
        Result("sla: every deadline for one complaint", sla_s * 1000, "ms"),
    ]
