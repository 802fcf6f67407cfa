"""The whole build, as a customer of the CLI runs it: ``complaints-code build``
in a fresh process, from a working folder outside the project.

Every ratio is taken within one run (the two things it compares run back to
back, alternating which goes first), and the report gives the median of the
runs' ratios:

- a cold build of every format (``build --force`` into a new folder) against
  the sum of the bare engines on the same inputs, each a fresh process: one
  ``mkdocs build`` of the same Markdown (the page as the build generates it,
  with the other formats' files beside it), one WeasyPrint process per PDF on
  the same HTML and CSS, liblouis translating the same text as one string,
  and espeak-ng speaking the audio format's words as one WAV (as
  bench_audio's baseline; the MP3/Opus encoding is not in the bare sum);
- a rebuild with nothing changed (the whole-build fast path: one line, no
  engine loaded), and one with a changed paragraph, against the cold build
  before them;
- the peak memory of a cold build.

The closing table gives, for each format, the time its worker spent
rendering it in the cold builds and the costly parts its engines name
(layout, PDF writing and tagging; braille translation, PEF and preview;
speech, encoding and the decoding check; MkDocs), as ``build-info.json``
records them (``complaints_code.processes.timing``).

The growth with document size is in :mod:`benchmarks.bench_growth`.
``BENCH_REPEATS`` (default 3) sets the number of runs of the ratios.
"""

from __future__ import annotations

import json
import os
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

from complaints_code.engines.web import site as web
from complaints_code.publish import buildinfo
from complaints_code.renderers import audio
from complaints_code.settings import Settings
from complaints_code.structure import plain
from complaints_code.structure.source import load

from .bench_pdf import BARE, bare_inputs
from .bench_web import bare_project
from .harness import CONFIG, Result, project_settings

REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
# A paragraph of the Code, and the words the "one changed paragraph" run
# changes in it (a different edit each run).
PARAGRAPH = "then please do contact us."
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "1"}

_phases: list[dict[str, dict[str, float]]] = []
"""Each cold build's phases by format, from its build-info.json."""

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
    espeak: float
    cold_cpu: float
    bare_cpu: float

    @property
    def bare(self) -> float:
        return self.mkdocs + self.pdfs + self.louis + self.espeak


def run() -> list[Result]:
    _phases.clear()
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
            runs.append(_Run(*builds[:3], *engines[:4], builds[3], engines[4]))
            shutil.rmtree(out)
        source.write_text(text, encoding="utf-8")
        memory = _memory(source, work / "out-memory")
    return _results(runs, memory)


def _exe() -> str:
    return str(Path(sys.executable).parent / "complaints-code")


def build_command(source: Path, out: Path, *, force: bool) -> list[str]:
    return [_exe(), "--config", str(CONFIG), "build", *(["--force"] if force else []), "-q",
            "--source", str(source), "--out", str(out)]


def wall(args: list[str], cwd: Path) -> float:
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
    cold, cpu = _timed(build_command(source, out, force=True), cwd)
    info = buildinfo.read(out / "site")
    assert info is not None, out
    _phases.append({name: record.phases for name, record in info.formats.items()})
    noop = wall(build_command(source, out, force=False), cwd)
    source.write_text(text.replace(PARAGRAPH, f"then please do contact us (edit {i}).", 1),
                      encoding="utf-8")
    paragraph = wall(build_command(source, out, force=False), cwd)
    source.write_text(text, encoding="utf-8")
    return cold, noop, paragraph, cpu


class _Bare:
    """The bare engines on the inputs a cold build of ``source`` uses."""

    def __init__(self, settings: Settings, source: Path, work: Path):
        self.cwd = work
        # A cold build first, for the website's "Other formats" files and links.
        first = work / "out-first"
        wall(build_command(source, first, force=True), work)
        site = first / "site"
        info = buildinfo.read(site)
        assert info is not None, site
        downloads = [web.Download(e.path, e.label, e.type, e.mime, (site / e.path).stat().st_size)
                     for e in info.listed]
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
        tracks = audio.script(settings).tracks(code)
        words = work / "audio.txt"
        words.write_text("\n".join(track.text for track in tracks), encoding="utf-8")
        self.espeak = ["espeak-ng", "-v", settings.audio.voice, "-s", str(settings.audio.speed),
                       "-w", str(work / "audio.wav"), "-f", str(words)]
        shutil.rmtree(first)

    def run(self) -> tuple[float, float, float, float, float]:
        """Wall seconds of mkdocs, of every WeasyPrint process, of liblouis
        and of espeak-ng; and the CPU seconds of them all."""
        timed = [_timed(args, self.cwd)
                 for args in (self.mkdocs, *self.pdfs, self.louis, self.espeak)]
        walls = [w for w, _ in timed]
        return walls[0], sum(walls[1:-2]), walls[-2], walls[-1], sum(c for _, c in timed)


def _memory(source: Path, out: Path) -> dict[str, int]:
    """The peaks of two cold builds, each in a fresh process."""
    peaks: dict[str, int] = {}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", _MEMORY,
                               *build_command(source, out, force=True)],
                              env=ENV, capture_output=True, text=True, check=True)
        for key, value in json.loads(done.stdout).items():
            peaks[key] = max(peaks.get(key, 0), value)
    shutil.rmtree(out, ignore_errors=True)
    return peaks


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
        Result("build: bare engines, sum (mkdocs + WeasyPrint per PDF + liblouis + espeak-ng)",
               bare, "s",
               detail=f"{n}: mkdocs {med([r.mkdocs for r in runs]):.2f} s, WeasyPrint "
                      f"{med([r.pdfs for r in runs]):.2f} s, liblouis "
                      f"{med([r.louis for r in runs]):.2f} s, espeak-ng "
                      f"{med([r.espeak for r in runs]):.2f} s, each a fresh process"),
        Result("build: cold build / sum of bare engines", med([r.cold / r.bare for r in runs]),
               "×", target=0.85, detail=f"median of the ratios of {len(runs)} runs; "
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
               detail=f"rebuild {med([r.noop for r in runs]):.2f} s ({n}): the whole-build "
                      "fast path, one line and no engine loaded"),
        Result("build: rebuild, one paragraph changed / cold build",
               med([r.paragraph / r.cold for r in runs]), "×", target=1.0, strict=True,
               detail=f"rebuild {med([r.paragraph for r in runs]):.2f} s ({n}); the data "
                      "format is reused; the formats that show the paragraph are rebuilt"),
        Result("build: peak memory, sum of RSS of the process tree", memory["rss"] / mb, "MB",
               detail=f"sampled every 20 ms, highest of 2 cold builds; sum of PSS "
                      f"{memory['pss'] / mb:.0f} MB (shared pages counted once); largest "
                      f"single process {memory['maxrss'] / mb:.0f} MB (ru_maxrss of "
                      f"RUSAGE_CHILDREN); up to {memory['processes']} processes"),
    ]


def report() -> str:
    """The closing table: each format's render and its costly parts."""
    if not _phases:
        return ""
    names = list(_phases[0])
    parts = list(dict.fromkeys(p for run in _phases for f in run.values() for p in f
                               if p != "render"))
    lines = ["### Where each format's time goes", "",
             f"Seconds in the format's worker during a cold build (median of {len(_phases)} "
             "builds): the whole render, then the costly parts its engines name. The parts "
             "of the audio are summed over the tracks, which are spoken and encoded on "
             "several threads at once, so they may add up to more than the render. A dash: "
             "the format has no such part.", "",
             "| format | render | " + " | ".join(parts) + " |",
             "|---|---:|" + "---:|" * len(parts)]
    for name in names:
        cells = [_median_of(name, "render")] + [_median_of(name, p) for p in parts]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _median_of(name: str, part: str) -> str:
    values = [run[name][part] for run in _phases if part in run.get(name, {})]
    return f"{statistics.median(values):.3f}" if values else "–"
