"""Speed benchmarks, run by ``make bench``, which writes ``bench/RESULTS.md``.

Each ``bench_*.py`` module here exposes ``run() -> list[Result]`` and may
expose ``report() -> str`` (Markdown added to RESULTS.md under the figures,
such as a table or a plot saved in ``bench/``). A new module is picked up by
its name alone. Paths come from the project's settings
(:func:`benchmarks.harness.project_settings`), never from the working folder.

Targets are checked as ratios measured in the same run wherever possible,
because this is a shared, noisy machine: absolute times are reported but not
asserted.
"""
