"""Start-up: what the command line costs before it does any work.

``python -X importtime -c "import complaints_code.cli"`` (five fresh
processes; each module's median) gives the import time of the command-line
package and a table of the modules that take the longest, so the work on
start-up can see where the time goes. ``complaints-code --help`` and
``complaints-code check`` are timed whole (fresh processes, medians of five),
against the issue's targets (0.15 s and 0.3 s).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from .harness import CONFIG, Result

RUNS = 5
SHOWN = 25
"""Rows of the table: the modules with the longest cumulative import time."""
CLI = Path(sys.executable).parent / "complaints-code"
_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)$")

_rows: list[tuple[str, int, float, float]] = []


def run() -> list[Result]:
    _rows.clear()
    self_us: dict[str, list[int]] = defaultdict(list)
    cumulative_us: dict[str, list[int]] = defaultdict(list)
    depth: dict[str, int] = {}
    for _ in range(RUNS):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c",
                              "import complaints_code.cli"], check=True, capture_output=True,
                             text=True).stderr
        for line in err.splitlines():
            m = _LINE.match(line)
            if m:
                name = m.group(4)
                self_us[name].append(int(m.group(1)))
                cumulative_us[name].append(int(m.group(2)))
                depth.setdefault(name, len(m.group(3)) // 2)
    total = statistics.median(cumulative_us["complaints_code.cli"]) / 1e6
    ranked = sorted(cumulative_us, key=lambda n: statistics.median(cumulative_us[n]),
                    reverse=True)
    _rows.extend((name, depth[name], statistics.median(self_us[name]) / 1000,
                  statistics.median(cumulative_us[name]) / 1000) for name in ranked[:SHOWN])
    help_s = _wall([str(CLI), "--help"])
    check_s = _wall([str(CLI), "--config", str(CONFIG), "check"], ok=(0, 1))
    return [
        Result("start-up: import complaints_code.cli", total, "s",
               detail=f"python -X importtime, median of {RUNS} fresh processes; the table "
                      "below shows where it goes"),
        Result("start-up: complaints-code --help", help_s, "s", target=0.15,
               detail=f"whole command, fresh process, median of {RUNS}"),
        Result("start-up: complaints-code check", check_s, "s", target=0.3,
               detail=f"whole command (validate and lint the source), median of {RUNS}"),
    ]


def _wall(command: list[str], ok: tuple[int, ...] = (0,)) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True)
        times.append(time.perf_counter() - started)
        if done.returncode not in ok:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return statistics.median(times)


def report() -> str:
    lines = ["### Import time of `complaints_code.cli`", "",
             f"`python -X importtime -c \"import complaints_code.cli\"`, the median of "
             f"{RUNS} fresh processes for each module: the {SHOWN} modules with the longest "
             "cumulative time (the module and everything it was first to import). Depth 1 is "
             "imported by `complaints_code.cli` itself, 2 by one of those, and so on.", "",
             "| module | depth | self (ms) | cumulative (ms) |", "|---|---:|---:|---:|"]
    for name, level, own, cumulative in _rows:
        lines.append(f"| `{name}` | {level} | {own:.1f} | {cumulative:.1f} |")
    return "\n".join(lines)
