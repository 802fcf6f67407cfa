"""Speed benchmarks, run by ``make bench``.

Each ``bench_*.py`` module here exposes ``run() -> list[Result]``. Targets are
checked as ratios measured in the same run wherever possible, because this is a
shared, noisy machine: absolute times are reported but not asserted.
"""
