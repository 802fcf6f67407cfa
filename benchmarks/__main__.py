"""Run every benchmark module (``benchmarks/bench_*.py``) and print a report.

Usage: ``python -m benchmarks [NAME ...]`` where NAME filters modules, e.g.
``python -m benchmarks core``. Exit status 1 if a target was missed.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

from rich.console import Console
from rich.table import Table

import benchmarks

from .harness import Result


def main(argv: list[str]) -> int:
    console = Console(highlight=False)
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)
                   if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    table = Table(title="Benchmarks (medians; ratios are measured in the same run)")
    for column in ("benchmark", "figure", "target", "met", "detail"):
        table.add_column(column)
    missed = 0
    for name in names:
        console.print(f"running {name} ...")
        results: list[Result] = importlib.import_module(f"benchmarks.{name}").run()
        for r in results:
            target = "" if r.target is None else f"≤ {r.target:g} {r.unit}"
            met = {None: "", True: "yes", False: "NO"}[r.met]
            missed += r.met is False
            table.add_row(r.name, f"{r.value:.3g} {r.unit}", target, met, r.detail)
    console.print(table)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
