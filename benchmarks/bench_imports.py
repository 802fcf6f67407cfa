"""Start-up: what the command line costs before it does any work.

``python -X importtime`` of each command as a user runs it (``--help``,
``check``, and ``build`` with nothing changed), five fresh processes each,
each module's median: how long the imports take in all, and a table of the
modules that take the longest, so that the work on start-up can see where
the time goes. The same is measured, in the same run, on the code before
the start-up work (``BENCH_IMPORTS_BASELINE``, a git revision; default the
commit before it, ab00a6b), extracted from git into a temporary folder and
run with the same interpreter: the table shows each module before and after.
Without git, or with ``BENCH_IMPORTS_BASELINE=none``, only "after" is shown.

``complaints-code --help`` and ``complaints-code check`` are also timed whole
(fresh processes, medians of five), against the issue's targets (0.15 s and
0.3 s).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from .harness import CONFIG, ROOT, Result

RUNS = 5
SHOWN = 25
"""Rows of the table: the modules with the longest cumulative import time."""
CLI = Path(sys.executable).parent / "complaints-code"
BASELINE = os.environ.get("BENCH_IMPORTS_BASELINE", "ab00a6b")
COMMANDS = {"--help": ["--help"], "check": ["--config", str(CONFIG), "check"],
            "build, nothing changed": ["--config", str(CONFIG), "build", "-q"]}
"""What is measured, by the name the tables give it."""
TABLE_OF = "check"
"""The command whose modules the table lists."""
_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)$")


class _Imports:
    """Medians of ``-X importtime`` over several fresh processes."""

    def __init__(self) -> None:
        self.own: dict[str, list[int]] = defaultdict(list)
        self.cumulative: dict[str, list[int]] = defaultdict(list)
        self.depth: dict[str, int] = {}
        self.totals: list[int] = []

    def add(self, stderr: str) -> None:
        total = 0
        for line in stderr.splitlines():
            m = _LINE.match(line)
            if m:
                name, level = m.group(4), len(m.group(3)) // 2
                self.own[name].append(int(m.group(1)))
                self.cumulative[name].append(int(m.group(2)))
                self.depth.setdefault(name, level)
                total += int(m.group(2)) if level == 0 else 0
        self.totals.append(total)

    def ms(self, name: str) -> float | None:
        values = self.cumulative.get(name)
        return statistics.median(values) / 1000 if values else None

    @property
    def total(self) -> float:
        return statistics.median(self.totals) / 1e6

    def top(self, n: int) -> list[str]:
        return sorted(self.cumulative, key=lambda k: statistics.median(self.cumulative[k]),
                      reverse=True)[:n]


_after: dict[str, _Imports] = {}
_before: dict[str, _Imports] = {}
_note: list[str] = []


def run() -> list[Result]:
    _after.clear()
    _before.clear()
    _note.clear()
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as tmp:
        work = Path(tmp)
        out = work / "out"
        # A published site for "build, nothing changed" (a cold build first).
        subprocess.run([str(CLI), "--config", str(CONFIG), "build", "-q", "--out", str(out)],
                       check=True, capture_output=True, env=_env())
        baseline = _baseline(work / "baseline")
        for name, args in COMMANDS.items():
            args = [*args, "--out", str(out)] if "build" in args else args
            _after[name] = _measure(args, None)
            if baseline is not None:
                _before[name] = _measure(args, baseline)
    help_s = _wall([str(CLI), "--help"])
    check_s = _wall([str(CLI), "--config", str(CONFIG), "check"], ok=(0, 1))
    results = []
    for name in COMMANDS:
        before = f"; before: {_before[name].total:.3f} s" if name in _before else ""
        results.append(Result(f"start-up: imports of `complaints-code {name}`",
                              _after[name].total, "s",
                              detail=f"python -X importtime, median of {RUNS} fresh "
                                     f"processes{before}"))
    return [
        *results,
        Result("start-up: complaints-code --help", help_s, "s", target=0.15,
               detail=f"whole command, fresh process, median of {RUNS}"),
        Result("start-up: complaints-code check", check_s, "s", target=0.3,
               detail=f"whole command (validate and lint the source), median of {RUNS}"),
    ]


def _env(pythonpath: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "1"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


def _baseline(folder: Path) -> Path | None:
    """The package as it was at BASELINE, extracted from git; None (and a
    note) if that cannot be done."""
    if BASELINE.lower() in ("", "none") or shutil.which("git") is None:
        _note.append("No baseline was measured (BENCH_IMPORTS_BASELINE=none, or no git).")
        return None
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE, "src"],
                             capture_output=True)
    if archive.returncode:
        _note.append(f"No baseline was measured: git cannot read {BASELINE} "
                     f"({archive.stderr.decode(errors='replace').strip()}).")
        return None
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "src"


def _measure(args: list[str], pythonpath: Path | None) -> _Imports:
    found = _Imports()
    code = "from complaints_code.__main__ import main; main()"
    for _ in range(RUNS):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", code, *args],
                              capture_output=True, text=True, env=_env(pythonpath))
        if done.returncode not in (0, 1):
            raise RuntimeError(f"complaints-code {' '.join(args)} failed: {done.stderr[-500:]}")
        found.add(done.stderr)
    return found


def _wall(command: list[str], ok: tuple[int, ...] = (0,)) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True)
        times.append(time.perf_counter() - started)
        if done.returncode not in ok:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return statistics.median(times)


def _cell(value: float | None) -> str:
    return "not imported" if value is None else f"{value:.1f}"


def report() -> str:
    if not _after:
        return ""
    has_before = bool(_before)
    lines = ["### Import time of each command", "",
             f"`python -X importtime`, the median of {RUNS} fresh processes of each command "
             "as a user runs it: the time spent importing, in all"
             + (f", before (the code at `{BASELINE}`) and after the start-up work." if
                has_before else "."), ""]
    lines += ["| command | " + ("before (s) | " if has_before else "") + "after (s) |",
              "|---|" + ("---:|" if has_before else "") + "---:|"]
    for name in COMMANDS:
        before = f"{_before[name].total:.3f} | " if has_before else ""
        lines.append(f"| `complaints-code {name}` | {before}{_after[name].total:.3f} |")
    table = _before.get(TABLE_OF) or _after[TABLE_OF]
    lines += ["", f"### Where the import time of `complaints-code {TABLE_OF}` goes", "",
              f"The {SHOWN} modules with the longest cumulative time "
              + ("before the start-up work" if has_before else "")
              + " (the module and everything it was first to import), each module's median; "
              "depth 1 is imported by the entry point itself, 2 by one of those, and so on. "
              "\"not imported\": the command no longer loads it.", "",
              "| module | depth | " + ("before (ms) | " if has_before else "")
              + "after (ms) |",
              "|---|---:|" + ("---:|" if has_before else "") + "---:|"]
    for name in table.top(SHOWN):
        before = f"{_cell(_before[TABLE_OF].ms(name))} | " if has_before else ""
        lines.append(f"| `{name}` | {table.depth[name]} | {before}"
                     f"{_cell(_after[TABLE_OF].ms(name))} |")
    if has_before:
        new = [n for n in _after[TABLE_OF].top(SHOWN) if n not in table.top(SHOWN)]
        if new:
            lines += ["", "Among the longest after, not in the table above: "
                      + ", ".join(f"`{n}` ({_cell(_after[TABLE_OF].ms(n))} ms)" for n in new)
                      + "."]
    lines += ["", *_note] if _note else []
    return "\n".join(lines)
