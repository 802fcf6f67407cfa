"""Run the benchmark modules (``benchmarks/bench_*.py``), print a report and
write it to ``bench/RESULTS.md`` in the checkout.

Usage: ``python -m benchmarks [NAME ...]`` where NAME filters modules, e.g.
``python -m benchmarks build``; modules run in the order named. Exit status
1 if a target was missed or a module failed (its error is then in
RESULTS.md, with the other modules' figures). The file is rewritten after
every module, so a run stopped part-way leaves what it measured.

RESULTS.md is rewritten as a whole from the modules of this run: a subset
run (``python -m benchmarks build``) leaves only that subset's figures in it,
and says so at the top. Run ``make bench`` for the full file before committing
it. Each module exposes ``run() -> list[Result]`` and may expose
``report() -> str``, Markdown (a table, a plot) added under the figures.

The load average is read before and after each module; a figure taken while
either was above the number of cores (other people's work competing for the
processors) is marked unreliable. With ``COMPARE=1`` in the environment
(``make bench COMPARE=1``) the table printed at the end shows each figure
beside the one in the RESULTS.md this run replaces.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pkgutil
import platform
import re
import sys
import time
from pathlib import Path
from types import ModuleType

from rich.console import Console
from rich.table import Table

import benchmarks

from .harness import BENCH_DIR, Result

RESULTS = BENCH_DIR / "RESULTS.md"


def main(argv: list[str]) -> int:
    console = Console(highlight=False)
    every = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)
                   if m.name.startswith("bench_"))
    # In the order asked for: ``python -m benchmarks build growth`` runs build first.
    names = list(dict.fromkeys(n for a in argv for n in every if a in n)) if argv else every
    if not names:
        console.print(f"no benchmark module matches {' '.join(argv)}; choose from "
                      f"{', '.join(n.removeprefix('bench_') for n in every)}")
        return 2
    started, load_before = dt.datetime.now(dt.UTC), _loadavg()
    began = time.perf_counter()
    previous = _previous(RESULTS) if os.environ.get("COMPARE", "") not in ("", "0") else None
    table = Table(title="Benchmarks (medians; ratios are measured in the same run)")
    for column in ("benchmark", "figure", *(["previous"] if previous is not None else []),
                   "target", "met", "load", "detail"):
        table.add_column(column)
    done: list[tuple[str, list[Result], str]] = []
    loads: dict[str, tuple[str, str]] = {}
    failed: list[str] = []
    for name in names:
        console.print(f"running {name} (load average {_loadavg()}) ...")
        before = _loadavg()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            results: list[Result] = module.run()
            extra = _extra(module)
        except Exception as exc:  # one broken module must not lose the others' figures
            console.print_exception()
            failed.append(name)
            results, extra = [], f"**The module failed**: `{type(exc).__name__}: {exc}`"
        loads[name] = (before, _loadavg())
        done.append((name, results, extra))
        for r in results:
            shown = [_figure(r)]
            if previous is not None:
                shown.append(previous.get((name.removeprefix("bench_"), r.name), "–"))
            table.add_row(r.name, *shown, r.target_text, _met(r),
                          _load_cell(*loads[name]), r.detail)
        # Written after every module, so a run stopped part-way leaves what it measured.
        pending = names[len(done):]
        text = _markdown(done, loads, pending, set(names) != set(every), started,
                         load_before, _loadavg(), time.perf_counter() - began)
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
    console.print(table)
    console.print(f"written {RESULTS}")
    missed = any(r.met is False for _, results, _ in done for r in results)
    return 1 if missed or failed else 0


def _extra(module: ModuleType) -> str:
    report = getattr(module, "report", None)
    return str(report()) if callable(report) else ""


def _figure(r: Result) -> str:
    return f"{r.value:.3g} {r.unit}"


def _met(r: Result) -> str:
    return {None: "", True: "yes", False: "NO"}[r.met]


def _markdown(done: list[tuple[str, list[Result], str]], loads: dict[str, tuple[str, str]],
              pending: list[str], subset: bool, started: dt.datetime, load_before: str,
              load_after: str, seconds: float) -> str:
    lines = ["# Benchmark results", "",
             "Written by `make bench` (`python -m benchmarks`); do not edit by hand. Medians "
             "over several runs; every ratio compares two measurements taken in the same "
             "run.", ""]
    if subset:
        lines += [f"**Partial run**: only {', '.join(n for n, _, _ in done)}. The whole file "
                  "is rewritten from the modules run, so the other modules' figures are not "
                  "here; run `make bench` for all of them.", ""]
    if pending:
        lines += [f"**Run in progress or stopped**: {', '.join(pending)} not run yet.", ""]
    lines += ["## Machine", "", "| | |", "|---|---|",
              f"| date | {started:%Y-%m-%d %H:%M} UTC, {seconds / 60:.1f} minutes |",
              *(f"| {k} | {v} |" for k, v in _machine().items()),
              f"| load average at the start | {load_before} |",
              f"| load average at the end | {load_after} |", ""]
    if _shared(load_before, load_after):
        lines += [f"The figures were taken on a **shared {os.cpu_count()}-core machine** "
                  "(load average above the core count: other people's jobs were running), "
                  "so absolute times are slow and noisy; the ratios, each measured within "
                  "one run, are what the targets judge.", ""]
    lines += ["## Figures", "",
              "The load average (1 minute) is read before and after each module. A figure "
              f"taken while it was above the {os.cpu_count()} cores is marked **unreliable**: "
              "other work competed for the processors.", "",
              "| module | benchmark | figure | target | met | load before → after | detail |",
              "|---|---|---:|---|---|---|---|"]
    for name, results, _ in done:
        load = _load_cell(*loads[name])
        for r in results:
            lines.append(f"| {name.removeprefix('bench_')} | {_cell(r.name)} | "
                         f"{_figure(r)} | {r.target_text} | {_met(r)} | {load} | "
                         f"{_cell(r.detail)} |")
    missed = [r for _, results, _ in done for r in results if r.met is False]
    lines += ["", f"{len(missed)} target{'s' * (len(missed) != 1)} missed"
              + (": " + "; ".join(r.name for r in missed) if missed else "") + ".", ""]
    for name, _, extra in done:
        if extra:
            lines += [f"## {name.removeprefix('bench_')}", "", extra.rstrip(), ""]
    return "\n".join(lines)


def _load_cell(before: str, after: str) -> str:
    """The 1-minute load averages around a module, flagged when either was
    above the core count."""
    first = [part.split()[0] if part.split() else "?" for part in (before, after)]
    text = " → ".join(first)
    return text + (" **unreliable**" if _shared(before, after) else "")


def _previous(path: Path) -> dict[tuple[str, str], str]:
    """The figures of an earlier RESULTS.md, by (module, benchmark)."""
    found: dict[tuple[str, str], str] = {}
    columns: list[str] = []
    for line in _read(str(path)).splitlines():
        if not line.startswith("|"):
            columns = []
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if "benchmark" in cells and "figure" in cells:
            columns = cells
        elif columns and len(cells) == len(columns) and not set(cells[0]) <= set("-: "):
            row = dict(zip(columns, cells, strict=True))
            found[(row.get("module", ""), row["benchmark"].replace("\\|", "|"))] = \
                row["figure"]
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _machine() -> dict[str, str]:
    return {
        "CPU": _cpu_model(),
        "cores": f"{os.cpu_count()} (usable by this process: {len(os.sched_getaffinity(0))})",
        "memory": _memory(),
        "OS": _os_name(),
        "kernel": platform.release(),
        "Python": f"{platform.python_version()} ({sys.executable})",
        "settings": " ".join(f"{k}={v}" for k, v in sorted(os.environ.items())
                             if k.startswith("BENCH_")) or "defaults (no BENCH_* variable)",
    }


def _cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory() -> str:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def _os_name() -> str:
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip().strip('"')
    return platform.platform()


def _loadavg() -> str:
    return " ".join(_read("/proc/loadavg").split()[:3]) or "unknown"


def _shared(*loads: str) -> bool:
    try:
        return max(float(load.split()[0]) for load in loads) > (os.cpu_count() or 1)
    except ValueError:
        return False


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
