"""The ``copy`` command: one customer's copy, or a batch print run.

A thin layer over :mod:`complaints_code.copies`."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from ..copies.offers import names
from ..errors import UsageError
from ..output import check_target, check_writable_dir
from ..renderers.preflight import load_checked
from ..settings import Settings
from .edge import edge, err, relative, settings, unchanged
from .options import PathArg, source_option

COPY_FORMATS = tuple(names())
"""The formats a copy can be made in: the renderer registry's, and email-pdf."""


@click.command("copy")
@source_option
@click.option("--format", "fmt", type=click.Choice(COPY_FORMATS), default="large-print",
              show_default=True, help="Which copy to make.")
@click.option("--size", type=int, help="Text size in points: 16, 18, 20, 24, 28 or 32 for "
              "large print (default 18) and Word (default 16); 12 or 14 for print "
              "(default 14).")
@click.option("--name", help="The customer's name, for the cover letter.")
@click.option("--address", help="The customer's address for the letter: lines separated by "
              "semicolons (or new lines), the postcode last.")
@click.option("--reference", help="The customer's reference, printed on the letter.")
@click.option("--grade", type=click.Choice(["1", "2"]), help="Braille grade (default 2).")
@click.option("--cells", type=int, help="Braille cells a line (default 40).")
@click.option("--lines", type=int, help="Braille lines a page (default 25).")
@click.option("--salutation", help="The letter's greeting, e.g. \"Dear Rajinder\" (default: "
              "from the name's title and surname, \"Dear Mr Singh-Thompson\", else \"Dear "
              "customer\").")
@click.option("--font", help="Large print: the font, atkinson-hyperlegible (default) or "
              "dejavu-sans.")
@click.option("--bold/--no-bold", default=None, help="Large print: bold body text.")
@click.option("--line-spacing", type=float, help="Large print: line spacing, 1.25, 1.5 "
              "(default), 1.75 or 2.")
@click.option("--sides", type=click.Choice(["single", "double"]), help="Print on one side of "
              "each sheet or both (default double); double-sided, the letter gets a blank back.")
@click.option("--paper", help="The paper tint for the print room: white (default), cream, "
              "pale yellow, pale blue, pale green, pink, lilac or grey.")
@click.option("--envelope", type=click.Choice(["DL", "C4"], case_sensitive=False),
              help="Lay the letter out for a DL window envelope (folded) or a C4 one (flat); "
              "default: C4 for large print of more than 3 sheets, else DL.")
@click.option("--date", "letter_date", metavar="YYYY-MM-DD",
              help="The date on the letter (default today).")
@click.option("--out", type=PathArg(path_type=Path), help="The file to write.")
@click.option("--batch", type=PathArg(path_type=Path, exists=True, dir_okay=False),
              help="A CSV or JSON list of requests, one copy each.")
@click.option("--out-dir", type=PathArg(path_type=Path, file_okay=False),
              help="With --batch: write one file per request into this folder.")
@click.option("--merged", type=PathArg(path_type=Path, dir_okay=False),
              help="With --batch: write one PDF print run with every copy.")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes for a batch "
              "(default: one per core).")
@edge
def copy_command(source: Path | None, fmt: str, size: int | None, name: str | None,
                 address: str | None, reference: str | None, grade: str | None,
                 cells: int | None, lines: int | None, salutation: str | None,
                 font: str | None, bold: bool | None, line_spacing: float | None,
                 sides: str | None, paper: str | None, envelope: str | None,
                 letter_date: str | None,
                 out: Path | None, batch: Path | None, out_dir: Path | None,
                 merged: Path | None, workers: int | None) -> None:
    """Make one customer's copy (large print, print, braille, EPUB, Word,
    plain text, audio, or the accessible PDF that is emailed), with a cover
    letter when --name and --address are given; or a batch with --batch."""
    today = _date(letter_date)
    s = settings(source=source)
    if batch is not None:
        _batch(s, batch, out_dir, merged, today, workers)
        return
    if out is None:
        raise UsageError("say where to write the copy with --out FILE (or use --batch)")
    check_target(out)
    unchanged(f"nothing was written; {relative(out)} and its companions are as they were")
    # lazy: copies load the PDF engine (WeasyPrint, pikepdf, fontTools, 0.3 s) only when
    # a copy is made, so that `check` and `sla`, run often, start quickly
    from ..copies.letter import job_sheet
    from ..copies.request import CopyRequest, make_copy, write_artifacts

    request = CopyRequest.parse({
        "format": fmt, "size": size, "name": name, "address": address, "reference": reference,
        "grade": grade, "cells": cells, "lines": lines, "salutation": salutation, "font": font,
        "bold": bold, "line_spacing": line_spacing, "sides": sides, "paper": paper,
        "envelope": envelope, "file": out.name}, s, today=today)
    started = time.perf_counter()
    renderer = request.offer.renderer
    code = load_checked(request.settings,
                        [renderer, "large-print"] if request.letter else [renderer])
    check_writable_dir(out.parent)  # before the render, not after a second's work
    made = make_copy(code, request)
    written = write_artifacts(made, out)
    for path in written:
        err.print(f"wrote {path}", markup=False)
    err.print(f"print room: {job_sheet(request, made)}", markup=False)
    err.print(f"done in {time.perf_counter() - started:.1f} s", markup=False)


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date '{text}' is not a date; write it as YYYY-MM-DD, "
                         "e.g. 2026-12-01") from None


def _batch(s: Settings, batch: Path, out_dir: Path | None, merged: Path | None,
           today: dt.date | None, workers: int | None) -> None:
    from ..copies import batch as copy_batch  # lazy: the PDF engine, as for one copy

    if (out_dir is None) == (merged is None):
        raise UsageError("with --batch, give either --out-dir FOLDER (a file per copy) "
                         "or --merged FILE.pdf (one print run)")
    if merged is not None:
        check_target(merged)
    unchanged(f"nothing was written; {relative(out_dir or merged or '')} is as it was")
    # Every bad row, an invalid source, or text a requested format cannot
    # show, is reported before any work starts.
    jobs = copy_batch.prepare(batch, s, out_dir=out_dir, today=today)
    load_checked(s, {j.request.offer.renderer for j in jobs} | {"large-print"})
    started = time.perf_counter()

    def progress(done: int, total: int, what: str) -> None:
        err.print(f"[{done:>{len(str(total))}}/{total}] {what}", markup=False)

    written = copy_batch.run_batch(s, jobs, merged=merged, workers=workers,
                                   progress=progress)
    took = time.perf_counter() - started
    err.print(f"{len(jobs)} cop{'ies' if len(jobs) != 1 else 'y'} in {took:.1f} s "
              f"({len(jobs) / took:.1f} a second)", markup=False)
    if merged is not None:
        err.print(f"wrote {written[0]}", markup=False)


COMMANDS = (copy_command,)
