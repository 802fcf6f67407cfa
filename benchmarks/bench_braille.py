"""Braille: the whole build against liblouis alone, and one on-request copy.

The build (translation block by block, layout, contents, BRF, Unicode text,
PEF and preview, in memory) is compared with liblouis translating the same
text as one string, in the same run: the target is at most 3 times, so the
layout costs less than twice the translation. The two are timed alternately,
so that other work on the machine slows both alike; the detail also gives
the ratio of their CPU times (this process's, both single-threaded), which
other work disturbs far less than wall time.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import louis

from complaints_code.copies.request import CopyRequest, write_copy
from complaints_code.engines.braille import formats
from complaints_code.engines.braille.document import compose
from complaints_code.resources import resources
from complaints_code.structure import plain
from complaints_code.structure.source import load

from .harness import Result, median_seconds, project_settings


def _interleaved(first: Callable[[], object], second: Callable[[], object],
                 repeat: int = 41) -> tuple[tuple[float, float], tuple[float, float]]:
    # Alternate the two so that a noisy neighbour slows both alike. Returns
    # the median wall times and the median CPU times.
    wall: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    for i in range(repeat + 2):
        for func, n in ((first, 0), (second, 1)):
            started, used = time.perf_counter(), time.process_time()
            func()
            if i >= 2:
                wall[n].append(time.perf_counter() - started)
                cpu[n].append(time.process_time() - used)
    return ((statistics.median(wall[0]), statistics.median(wall[1])),
            (statistics.median(cpu[0]), statistics.median(cpu[1])))


def run() -> list[Result]:
    settings = project_settings()
    code = load(settings.source)
    res = resources(settings)
    text = " ".join(plain.lines(code))
    tables = list(settings.braille.brf_tables)

    def build() -> None:
        doc = compose(code, settings.braille)
        formats.brf(doc)
        formats.unicode_text(doc)
        formats.pef(doc, code)
        formats.preview(doc, code, res)

    (translate_s, build_s), (translate_cpu, build_cpu) = _interleaved(
        lambda: louis.translateString(tables, text), build)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "copy.brf"
        copy_s = median_seconds(lambda: write_copy(
            code, CopyRequest.parse({"format": "braille"}, settings), out), repeat=30)
    return [
        Result("braille: liblouis, whole Code as one string", translate_s * 1000, "ms",
               detail=f"{len(text)} characters"),
        Result("braille: whole build / liblouis alone", build_s / translate_s, "x", 3.0,
               detail=f"build {build_s * 1000:.1f} ms; in CPU time {build_cpu * 1000:.1f} ms "
                      f"against {translate_cpu * 1000:.1f} ms, "
                      f"{build_cpu / translate_cpu:.2f} x"),
        Result("braille: one on-request copy (3 files)", copy_s * 1000, "ms", 100.0),
    ]
