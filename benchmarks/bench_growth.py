"""Growth with document size: a cold ``complaints-code build --force`` (a
fresh process, every format) of a generated source, the Code's sections
repeated 1, 10 and 50 times with each copy's ids suffixed to keep them
unique. A table and a plot (``bench/growth.png``) go into RESULTS.md.

``BENCH_GROWTH`` sets the sizes and the runs at each (default
``1:3,10:3,50:2``: three cold builds at 1× and 10×, two at 50×).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import tempfile
from pathlib import Path

from complaints_code.structure.source import load

from .bench_build import build_command, wall
from .harness import BENCH_DIR, Result, project_settings

GROWTH = {int(k): int(v) for k, v in (pair.split(":") for pair in os.environ.get(
    "BENCH_GROWTH", "1:3,10:3,50:2").split(","))}
"""Repetitions of the Code -> cold builds timed at that size."""
PLOT = BENCH_DIR / "growth.png"

_growth: dict[int, list[float]] = {}
_sizes: dict[int, tuple[int, int]] = {}


def run() -> list[Result]:
    _growth.clear()
    _sizes.clear()
    text = project_settings().source.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp:
        _grow(text, Path(tmp))
    return _growth_results()


def repeated_source(text: str, times: int) -> str:
    """The source with its sections repeated ``times`` times; each copy's
    section ids get a suffix (-r2, -r3, ...), as ids must be unique."""
    start = text.index("\nsections:\n") + len("\nsections:\n")
    end = text.index("\nchanges:\n")
    body = text[start:end].rstrip("\n") + "\n"
    copies = [body] + [re.sub(r"^(  - id: )(\S+)$", rf"\g<1>\g<2>-r{n}", body, flags=re.M)
                       for n in range(2, times + 1)]
    return text[:start] + "\n".join(copies) + text[end:]


def _grow(text: str, work: Path) -> None:
    for times, repeat in GROWTH.items():
        source = work / f"growth-{times}" / "complaints-code.yaml"
        source.parent.mkdir()
        source.write_text(repeated_source(text, times), encoding="utf-8")
        code = load(source)  # refuses an invalid source before timing it
        _sizes[times] = (len(code.sections), source.stat().st_size)
        times_s = []
        for n in range(repeat):
            out = work / f"growth-{times}" / f"out-{n}"
            times_s.append(wall(build_command(source, out, force=True), work))
            shutil.rmtree(out)
        _growth[times] = times_s


def _growth_results() -> list[Result]:
    first, last = min(_growth), max(_growth)
    t = {k: statistics.median(v) for k, v in _growth.items()}
    per_rep = (t[last] / last) / (t[first] / first)
    middle = sorted(t)[len(t) // 2]
    marginal = ((t[last] - t[middle]) / (last - middle)) / ((t[middle] - t[first])
                                                            / (middle - first))
    _plot(t)
    return [
        Result(f"growth: time per repetition, {last}× vs {first}×", per_rep, "×", target=1.0,
               detail=f"{t[first]:.1f} s for {first}×, {t[last]:.1f} s for {last}×; "
                      "at most 1: no worse than linear"),
        Result(f"growth: cost of a repetition, {middle}×→{last}× vs {first}×→{middle}×",
               marginal, "×", target=1.5,
               detail="the slope of the upper part of the curve over the lower; 1 is "
                      "linear (target proposed by the benchmark, not the issue)"),
    ]


def report() -> str:
    """The growth table and plot, in Markdown, for bench/RESULTS.md."""
    if not _growth:
        return ""
    first = min(_growth)
    t1 = statistics.median(_growth[first]) / first
    rows = ["| Code repeated | sections | source | cold build (median) | per repetition "
            "| per repetition vs 1× | runs |", "|---:|---:|---:|---:|---:|---:|---|"]
    for times, values in sorted(_growth.items()):
        median = statistics.median(values)
        sections, size = _sizes[times]
        rows.append(f"| {times}× | {sections} | {size / 1024:.0f} KB | {median:.2f} s | "
                    f"{median / times:.3f} s | {median / times / t1:.2f} | "
                    f"{', '.join(f'{v:.1f}' for v in values)} s |")
    return ("### Growth with document size\n\n"
            "Cold builds (`build --force`, fresh process) of a generated source: the "
            "Code's sections repeated, each copy's ids suffixed to keep them unique.\n\n"
            + "\n".join(rows) + f"\n\n![Cold build time against repetitions]({PLOT.name})\n")


def _plot(t: dict[int, float]) -> None:
    """Build time against repetitions as a PNG, with the straight line through
    the smallest two sizes (linear growth) for comparison."""
    from PIL import Image, ImageDraw, ImageFont

    width, height, left, right, top, bottom = 720, 440, 70, 70, 40, 60
    xs = sorted(t)
    xmax = max(xs)
    slope = (t[xs[1]] - t[xs[0]]) / (xs[1] - xs[0])
    linear = {x: t[xs[0]] + slope * (x - xs[0]) for x in (0, xmax)}
    ymax = max([*t.values(), *linear.values()]) * 1.1

    def point(x: float, y: float) -> tuple[float, float]:
        return (left + x / xmax * (width - left - right),
                height - bottom - y / ymax * (height - top - bottom))

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    draw.line([point(0, 0), point(xmax, 0)], fill="black")
    draw.line([point(0, 0), point(0, ymax)], fill="black")
    step = _nice_step(ymax)
    y = 0.0
    while y <= ymax:
        px, py = point(0, y)
        draw.line([(px - 4, py), (px, py)], fill="black")
        draw.line([(px + 1, py), (point(xmax, y)[0], py)], fill="#e0e0e0")
        draw.text((px - 8, py), f"{y:g}", fill="black", font=font, anchor="rm")
        y += step
    for x in xs:
        px, py = point(x, 0)
        draw.line([(px, py), (px, py + 4)], fill="black")
        draw.text((px, py + 8), f"{x}x", fill="black", font=font, anchor="mt")
    draw.line([point(0, linear[0]), point(xmax, linear[xmax])], fill="#999999", width=1)
    draw.line([point(x, t[x]) for x in xs], fill="#1f4e9c", width=3)
    for x in xs:
        px, py = point(x, t[x])
        draw.ellipse([px - 5, py - 5, px + 5, py + 5], fill="#1f4e9c")
        draw.text((px + 8, py - 8), f"{t[x]:.1f} s", fill="black", font=font, anchor="ld")
    draw.text((width / 2, 12), "Cold build time against the Code repeated N times "
              "(grey: linear through the two smallest)", fill="black", font=font, anchor="mt")
    draw.text((width / 2, height - 20), "repetitions of the Code", fill="black", font=font,
              anchor="mm")
    draw.text((12, top - 20), "seconds", fill="black", font=font, anchor="lm")
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    image.save(PLOT)


def _nice_step(top: float) -> float:
    raw = top / 6
    for step in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500):
        if step >= raw:
            return float(step)
    return raw
