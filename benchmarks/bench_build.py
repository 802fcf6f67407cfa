"""The whole build, as a customer of the CLI runs it: ``complaints-code build``
in a fresh process, from a working folder outside the project.

Every ratio is taken within one run (the two things it compares run back to
back, alternating which goes first), and the report gives the median of the
runs' ratios:

- a cold build of every format (``build --force`` into a new folder) against
  the sum of the bare engines on the same inputs, each a fresh process: one
  ``mkdocs build`` of the same Markdown (the page as the build generates it,
  with the other formats' files beside it), one WeasyPrint process per PDF on
  the same HTML and CSS, and liblouis translating the same text as one string;
- a rebuild with nothing changed, and one with a changed paragraph, against
  the cold build before them;
- the peak memory of a cold build;
- the growth of a cold build with the Code repeated 1, 10 and 50 times
  (a generated source), as a table and a plot (``bench/growth.png``).

``BENCH_REPEATS`` (default 3) sets the number of runs of the ratios, and
``BENCH_GROWTH`` the sizes and runs of the growth (default ``1:3,10:3,50:2``:
three cold builds at 1× and 10×, two at 50×).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from complaints_code import plain
from complaints_code.engines import web
from complaints_code.settings import Settings
from complaints_code.source import load

from .bench_pdf import BARE, bare_inputs
from .bench_web import bare_project
from .harness import BENCH_DIR, CONFIG, Result, project_settings

REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
GROWTH = {int(k): int(v) for k, v in (pair.split(":") for pair in os.environ.get(
    "BENCH_GROWTH", "1:3,10:3,50:2").split(","))}
"""Repetitions of the Code -> cold builds timed at that size."""
PLOT = BENCH_DIR / "growth.png"
# A paragraph of the Code, and the words the "one changed paragraph" run
# changes in it (a different edit each run).
PARAGRAPH = "then please do contact us."
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "1"}

_LOUIS = textwrap.dedent("""
    import sys, louis
    text = open(sys.argv[1], encoding="utf-8").read()
    louis.translateString(sys.argv[2].split(","), text)
""")

# Runs a command, samples the memory of its process tree every 20 ms, and
# prints (as JSON) the peak of the sum of RSS, the peak of the sum of PSS
# (RSS with shared pages divided among their sharers) and the largest RSS of
# any one process of the tree (getrusage(RUSAGE_CHILDREN).ru_maxrss).
_MEMORY = textwrap.dedent("""
    import json, os, resource, subprocess, sys, time
    PAGE = os.sysconf("SC_PAGE_SIZE")
    def tree(root):
        children = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                except OSError:
                    continue
                children.setdefault(ppid, []).append(int(entry))
        found, todo = [], [root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found
    def sample(pids):
        rss = pss = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/statm") as fh:
                    rss += int(fh.read().split()[1]) * PAGE
                with open(f"/proc/{pid}/smaps_rollup") as fh:
                    for line in fh:
                        if line.startswith("Pss:"):
                            pss += int(line.split()[1]) * 1024
                            break
            except OSError:
                pass
        return rss, pss
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    peak_rss = peak_pss = most = 0
    while proc.poll() is None:
        pids = tree(proc.pid)
        rss, pss = sample(pids)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        most = max(most, len(pids))
        time.sleep(0.02)
    if proc.returncode:
        sys.exit(f"the build failed with exit status {proc.returncode}")
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"rss": peak_rss, "pss": peak_pss, "maxrss": maxrss,
                      "processes": most}))
""")


@dataclass(frozen=True)
class _Run:
    """One run of the same-run ratios, in seconds."""

    cold: float
    noop: float
    paragraph: float
    mkdocs: float
    pdfs: float
    louis: float
    cold_cpu: float
    bare_cpu: float

    @property
    def bare(self) -> float:
        return self.mkdocs + self.pdfs + self.louis


_growth: dict[int, list[float]] = {}
_sizes: dict[int, tuple[int, int]] = {}


def run() -> list[Result]:
    _growth.clear()
    _sizes.clear()
    settings = project_settings()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        source = work / "code" / "complaints-code.yaml"
        source.parent.mkdir()
        shutil.copy(settings.source, source)
        text = source.read_text(encoding="utf-8")
        if PARAGRAPH not in text:
            raise RuntimeError(f"the source no longer has {PARAGRAPH!r}; choose another "
                               "paragraph for the changed-paragraph run")
        bare = _Bare(settings, source, work)
        runs = []
        for i in range(REPEATS):
            source.write_text(text, encoding="utf-8")
            out = work / f"out-{i}"
            if i % 2:
                builds = _builds(source, text, out, i, work)
                engines = bare.run()
            else:
                engines = bare.run()
                builds = _builds(source, text, out, i, work)
            runs.append(_Run(*builds[:3], *engines[:3], builds[3], engines[3]))
            shutil.rmtree(out)
        source.write_text(text, encoding="utf-8")
        memory = _memory(source, work / "out-memory")
        _grow(text, work)
    return _results(runs, memory) + _growth_results()


def _exe() -> str:
    return str(Path(sys.executable).parent / "complaints-code")


def _build_command(source: Path, out: Path, *, force: bool) -> list[str]:
    return [_exe(), "--config", str(CONFIG), "build", *(["--force"] if force else []), "-q",
            "--source", str(source), "--out", str(out)]


def _wall(args: list[str], cwd: Path) -> float:
    """Seconds a fresh process takes; raises if it fails."""
    return _timed(args, cwd)[0]


def _timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds a fresh process takes, and the CPU seconds (user and
    system) of it and every process it waited for; raises if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def _builds(source: Path, text: str, out: Path, i: int,
            cwd: Path) -> tuple[float, float, float, float]:
    """Cold build, rebuild with nothing changed, rebuild after one changed
    paragraph, in that order, into a new folder; and the cold build's CPU time."""
    cold, cpu = _timed(_build_command(source, out, force=True), cwd)
    noop = _wall(_build_command(source, out, force=False), cwd)
    source.write_text(text.replace(PARAGRAPH, f"then please do contact us (edit {i}).", 1),
                      encoding="utf-8")
    paragraph = _wall(_build_command(source, out, force=False), cwd)
    source.write_text(text, encoding="utf-8")
    return cold, noop, paragraph, cpu


class _Bare:
    """The bare engines on the inputs a cold build of ``source`` uses."""

    def __init__(self, settings: Settings, source: Path, work: Path):
        self.cwd = work
        # A cold build first, for the website's "Other formats" files and links.
        first = work / "out-first"
        _wall(_build_command(source, first, force=True), work)
        site = first / "site"
        info = json.loads((site / "build-info.json").read_text(encoding="utf-8"))
        downloads = web.listed_downloads(site, info["listed"])
        code = load(source)
        config = bare_project(work / "bare", code, settings, downloads)
        docs = config.parent / "docs"
        for folder in web.CARRIED:
            if (site / folder).is_dir():
                shutil.copytree(site / folder, docs / folder)
        self.mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                       "-d", str(work / "bare-site")]
        pdf_folder = bare_inputs(settings, source, work / "pdf-inputs")
        self.pdfs = [[sys.executable, "-c", BARE, str(pdf_folder), name]
                     for name in settings.print.formats]
        braille_text = work / "braille.txt"
        braille_text.write_text(" ".join(plain.lines(code)), encoding="utf-8")
        self.louis = [sys.executable, "-c", _LOUIS, str(braille_text),
                      ",".join(settings.braille.brf_tables)]
        shutil.rmtree(first)

    def run(self) -> tuple[float, float, float, float]:
        """Wall seconds of mkdocs, of every WeasyPrint process, and of
        liblouis; and the CPU seconds of them all."""
        timed = [_timed(args, self.cwd) for args in (self.mkdocs, *self.pdfs, self.louis)]
        walls = [w for w, _ in timed]
        return walls[0], sum(walls[1:-1]), walls[-1], sum(c for _, c in timed)


def _memory(source: Path, out: Path) -> dict[str, int]:
    """The peaks of two cold builds, each in a fresh process."""
    peaks: dict[str, int] = {}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", _MEMORY,
                               *_build_command(source, out, force=True)],
                              env=ENV, capture_output=True, text=True, check=True)
        for key, value in json.loads(done.stdout).items():
            peaks[key] = max(peaks.get(key, 0), value)
    shutil.rmtree(out, ignore_errors=True)
    return peaks


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
            times_s.append(_wall(_build_command(source, out, force=True), work))
            shutil.rmtree(out)
        _growth[times] = times_s


def _results(runs: list[_Run], memory: dict[str, int]) -> list[Result]:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    cold = med([r.cold for r in runs])
    bare = med([r.bare for r in runs])
    n = f"medians of {len(runs)} runs"
    mb = 1024 * 1024
    return [
        Result("build: cold, all formats (`build --force`, fresh process)", cold, "s",
               detail=f"{n}; each run {', '.join(f'{r.cold:.1f}' for r in runs)} s"),
        Result("build: bare engines, sum (mkdocs + WeasyPrint per PDF + liblouis)", bare, "s",
               detail=f"{n}: mkdocs {med([r.mkdocs for r in runs]):.2f} s, WeasyPrint "
                      f"{med([r.pdfs for r in runs]):.2f} s, liblouis "
                      f"{med([r.louis for r in runs]):.2f} s, each a fresh process"),
        Result("build: cold build / sum of bare engines", med([r.cold / r.bare for r in runs]),
               "×", target=0.8, detail=f"median of the ratios of {len(runs)} runs; "
               f"each run {', '.join(f'{r.cold / r.bare:.2f}' for r in runs)}"),
        Result("build: CPU time, cold build / sum of bare engines",
               med([r.cold_cpu / r.bare_cpu for r in runs]), "×",
               detail=f"user + system seconds of each process tree: cold build "
                      f"{med([r.cold_cpu for r in runs]):.2f} s, bare engines "
                      f"{med([r.bare_cpu for r in runs]):.2f} s ({n}). When the machine is "
                      "busier than its cores, wall time tracks CPU time and the build's "
                      "parallelism cannot show"),
        Result("build: rebuild, nothing changed / cold build",
               med([r.noop / r.cold for r in runs]), "×", target=0.1,
               detail=f"rebuild {med([r.noop for r in runs]):.2f} s ({n})"),
        Result("build: rebuild, one paragraph changed / cold build",
               med([r.paragraph / r.cold for r in runs]), "×", target=1.0, strict=True,
               detail=f"rebuild {med([r.paragraph for r in runs]):.2f} s ({n}); the data "
                      "format is reused, the PDFs, braille and website are rebuilt"),
        Result("build: peak memory, sum of RSS of the process tree", memory["rss"] / mb, "MB",
               detail=f"sampled every 20 ms, highest of 2 cold builds; sum of PSS "
                      f"{memory['pss'] / mb:.0f} MB (shared pages counted once); largest "
                      f"single process {memory['maxrss'] / mb:.0f} MB (ru_maxrss of "
                      f"RUSAGE_CHILDREN); up to {memory['processes']} processes"),
    ]


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

    width, height, left, right, top, bottom = 720, 440, 70, 30, 40, 60
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
        draw.text((px, py + 8), f"{x}×", fill="black", font=font, anchor="mt")
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
