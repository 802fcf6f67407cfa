"""The legal team's tools: the compliance check, the redline and the release
edit, on the Opus source. Interactive commands, so each should feel instant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from complaints_code.legal.lint import lint_text
from complaints_code.legal.redline import Version, redline
from complaints_code.legal.redline.formats import html
from complaints_code.legal.release import edited
from complaints_code.resources import caches, resources
from complaints_code.structure.model import Change
from complaints_code.structure.source import loads, loads_document

from .harness import Result, median_seconds, project_settings

EDITS = [("value: 020 8545 8200", "value: 020 8545 8300"),
         ("All disputes are logged", "All complaints are logged")]


def _cold_lint(text: str, source: Path) -> None:
    caches.clear()  # the worst-case timescale search is cached per run
    lint_text(text, str(source))


def run() -> list[Result]:
    settings = project_settings()
    source = settings.source
    templates = resources(settings).folder("redline")
    text = source.read_text(encoding="utf-8")
    new_text = text
    for old, new in EDITS:
        new_text = new_text.replace(old, new, 1)
    old_v, new_v = Version(loads(text), "old"), Version(loads(new_text), "new")
    doc = loads_document(text, str(source))
    entry = Change(version="1.1", date=dt.date(2026, 12, 1), summary="x", approved_by="y")
    lint_s = median_seconds(lambda: _cold_lint(text, source), repeat=10)
    diff_s = median_seconds(lambda: redline(old_v, new_v), repeat=30)
    html_s = median_seconds(lambda: html(redline(old_v, new_v), templates), repeat=30)
    release_s = median_seconds(lambda: edited(text, doc, entry, None), repeat=30)
    return [
        Result("check: validate + every rule (worst cases recomputed)", lint_s * 1000, "ms",
               target=500),
        Result("diff: compare two versions", diff_s * 1000, "ms", target=100),
        Result("diff --format html: compare and render", html_s * 1000, "ms", target=200),
        Result("release: edit and verify the source text", release_s * 1000, "ms",
               target=200),
    ]
