"""Batch print runs: many on-request copies from a CSV or JSON list, rendered
on every core, as one file each or as one merged PDF for the printer.

Every row is read as a :class:`~complaints_code.copies.request.CopyRequest`
and checked before any is rendered: one bad row stops the run with every
problem of every row listed, in row order, and nothing written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import io
import json
import multiprocessing
import os
import re
import shutil
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..errors import ComplaintsCodeError, RenderError, visible
from ..output import check_writable_dir, publish_dir, staging_dir, write_atomic
from ..processes.interrupts import starting_workers, worker_signals
from ..processes.workers import terminate
from ..renderers import artifact
from ..settings import Settings
from ..structure.model import Code
from ..structure.source import load
from . import limits
from .errors import COLUMN_OF, BatchError, BatchProblem, CopyRequestInvalid, FieldProblem
from .fields import shown
from .letter import job_sheet
from .options import article
from .request import CopyRequest, make_copy, write_artifacts

COLUMNS = ("format", "size", "name", "address", "reference", "grade", "cells", "lines",
           "salutation", "font", "bold", "line_spacing", "sides", "paper", "envelope", "file")
"""A batch file's columns (a JSON list's keys): the request's fields, with the
address as one column, its lines separated by new lines or semicolons (or a
JSON list of lines), the postcode last."""
class BatchRenderError(RenderError):
    """Copies of a batch failed while rendering; the rows are named and
    nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        super().__init__("\n".join(problems) + f"\n{count} cop{'ies' if count != 1 else 'y'} "
                         "could not be made; nothing was written")


def _file_problem(path: Path, template: str, **values: str) -> BatchError:
    return BatchError([BatchProblem(path, "", 0, "", FieldProblem("", "file", template,
                                                                   values))])


@dataclass(frozen=True)
class _Row:
    where: str
    number: int
    values: dict[str, object]
    problems: tuple[BatchProblem, ...] = ()
    """Problems found while reading the row (extra cells, say)."""


@dataclass(frozen=True)
class Job:
    """One request of a batch, with the file it goes to (None when it goes
    into a merged print run) and the row it came from."""

    request: CopyRequest
    out: Path | None
    where: str = ""
    """The batch file and row, e.g. "requests.csv:line 3", for messages."""


def prepare(path: Path, settings: Settings, *, out_dir: Path | None,
            today: dt.date | None = None) -> list[Job]:
    """Read and check a batch file: CSV with a header row, or JSON (a list of
    objects), with the columns in COLUMNS, all optional (an empty cell means
    the default: a large-print copy at 18 point, without a letter). Each
    request goes to its file in ``out_dir``, or (None) into a merged PDF
    print run. Raises BatchError listing every problem of every row."""
    too_large = limits.file_problems(path, settings.batch)  # before reading it
    if too_large:
        raise _file_problem(path, "{why}", why=too_large)
    rows = _json_rows(path) if path.suffix.lower() == ".json" else _csv_rows(path)
    if not rows:
        raise _file_problem(path, "no requests; add one row per copy under the header")
    found: list[BatchProblem] = []
    jobs: list[Job] = []
    read: list[tuple[str, int, CopyRequest]] = []
    names: set[str] = set()
    for n, row in enumerate(rows, start=1):
        found.extend(row.problems)

        def problem(field: str, template: str, row: _Row = row, **values: str) -> None:
            found.append(BatchProblem(path, row.where, row.number, COLUMN_OF.get(field, field),
                                      FieldProblem(field, "batch", template, values)))

        try:
            request = CopyRequest.parse(row.values, settings, today=today)
        except CopyRequestInvalid as exc:
            found.extend(BatchProblem(path, row.where, row.number,
                                      COLUMN_OF.get(p.field, p.field), p)
                         for p in exc.problems)
            continue
        if out_dir is None and request.print_format is None:
            problem("format", "{a} copy cannot go into a merged PDF print run; use {out_dir}, "
                    "or make the {fmt} copies separately", a=article(request.format),
                    fmt=request.format)
        name = out_name(n, request)
        if name in names:
            problem("file", "the file name {value} is used twice; give each copy its own name",
                    value=name)
        names.add(name)
        read.append((row.where, row.number, request))
        jobs.append(Job(request, out_dir / name if out_dir else None, f"{path}:{row.where}"))
    found.extend(BatchProblem(path, where, number, "reference",
                              FieldProblem("reference", "batch", "{why}", {"why": why}))
                 for where, number, why in limits.shared_references(read))
    if found:
        raise BatchError(sorted(found, key=lambda p: p.row))  # in row order, whichever pass
    return jobs


def _csv_rows(path: Path) -> list[_Row]:
    reader = csv.reader(_read(path).splitlines(keepends=True))
    try:
        header = next(reader, None)
        if header is None:
            return []
        names = [h.strip() for h in header]
        _check_header(path, names)
        rows = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue  # a blank line, as spreadsheets leave at the end
            rows.append(_csv_row(path, reader.line_num, names, cells))
        return rows
    except csv.Error as exc:
        raise BatchError([BatchProblem(path, f"line {reader.line_num}", reader.line_num, "",
                                       FieldProblem("", "file", "cannot read the CSV ({why}); "
                                                    "save the sheet as CSV (comma-separated) "
                                                    "again", {"why": str(exc)}))]) from None


def _check_header(path: Path, names: list[str]) -> None:
    found = []

    def problem(name: str, template: str, **values: str) -> None:
        found.append(BatchProblem(path, "line 1", 1, name,
                                  FieldProblem(name, "column", template, values)))

    for name in names:
        if name and name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            problem(name, "unknown column '{value}'; " + ("did you mean '{close}'?" if close
                                                          else "the columns are {columns}"),
                    value=name, close=close[0] if close else "", columns=", ".join(COLUMNS))
    for name in sorted({n for n in names if n and names.count(n) > 1}):
        problem(name, "the column '{value}' appears twice; keep one of them", value=name)
    if found:
        raise BatchError(found)


def _csv_row(path: Path, line: int, names: list[str], cells: list[str]) -> _Row:
    values: dict[str, object] = {}
    problems = []
    for i, cell in enumerate(cells):
        name = names[i] if i < len(names) else ""
        if name:
            values[name] = cell
        elif cell.strip():
            what = ("the row has {cells} cells but the header has {columns} columns; remove "
                    "the extra cells, or add a heading for them" if i >= len(names) else
                    "cell {cell} has no column heading; add a heading, or empty the cell")
            problems.append(BatchProblem(path, f"line {line}", line, "", FieldProblem(
                "", "row", what, {"cells": str(len(cells)), "columns": str(len(names)),
                                  "cell": str(i + 1)})))
            break
    return _Row(f"line {line}", line, values, tuple(problems))


def _json_rows(path: Path) -> list[_Row]:
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise BatchError([BatchProblem(path, f"{exc.lineno}:{exc.colno}", 0, "", FieldProblem(
            "", "file", "not valid JSON: {why}", {"why": exc.msg}))]) from exc
    except RecursionError:
        raise _file_problem(path, "the JSON is nested too deeply; expected a list of objects, "
                            "one per copy") from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise _file_problem(path, "expected a JSON list of objects, one per copy")
    rows = []
    for n, row in enumerate(data, start=1):
        problems = tuple(BatchProblem(path, f"request {n}", n, k, FieldProblem(
            k, "column", "unknown key '{value}'; the keys are {columns}",
            {"value": shown(k), "columns": ", ".join(COLUMNS)})) for k in row if k not in COLUMNS)
        rows.append(_Row(f"request {n}", n, {k: v for k, v in row.items() if k in COLUMNS},
                         problems))
    return rows


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # spreadsheet CSVs often start with a BOM
    except UnicodeDecodeError as exc:
        raise _file_problem(path, "the file is not UTF-8 text (byte {byte}); save it as CSV "
                            "UTF-8 or JSON", byte=str(exc.start + 1)) from None
    except OSError as exc:
        raise _file_problem(path, "cannot read the batch file ({why}); check the path",
                            why=str(exc.strerror)) from None


def out_name(number: int, request: CopyRequest) -> str:
    """The output file name of a batch request: its ``file`` column, or a
    numbered name made from its reference or name."""
    if request.file is not None:
        return request.file
    label = request.reference or request.name or request.format
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or request.format
    return f"{number:03d}-{slug}{request.offer.extension or '.pdf'}"


Progress = Callable[[int, int, str], None]
"""Called as progress(done, total, what) after each copy of a batch."""


def run_batch(settings: Settings, jobs: list[Job], *, merged: Path | None = None,
              workers: int | None = None, progress: Progress | None = None) -> list[Path]:
    """Render planned jobs on every core (one process each), writing each copy
    to its file, or all of them into one merged PDF at ``merged``. Each copy in
    a merged run starts on a fresh sheet when printed double-sided.

    All or nothing: one-file-per-copy runs are written into a staging folder
    beside the output folder and moved into place only when every copy has
    been made. A copy that fails while rendering raises BatchRenderError
    naming its row; nothing is written."""
    out_dir = _out_dir(jobs, merged)
    if merged is not None:
        check_writable_dir(merged.parent)
        results = _render_all(settings.source, jobs, workers, progress)
        return [write_atomic(merged, merge([r for r in results if isinstance(r, bytes)]))]
    assert out_dir is not None
    check_writable_dir(out_dir.parent if not out_dir.exists() else out_dir)
    staged = staging_dir(out_dir)
    try:
        moved = [Job(job.request, staged / job.out.name, job.where) for job in jobs if job.out]
        results = _render_all(settings.source, moved, workers, progress, shown=jobs)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    published = {p.name: p for p in publish_dir(staged, out_dir)}
    return [published[path.name] for paths in results if isinstance(paths, list)
            for path in paths]


def _out_dir(jobs: list[Job], merged: Path | None) -> Path | None:
    folders = {job.out.parent for job in jobs if job.out is not None}
    if merged is None and len(folders) != 1:
        raise RenderError("every copy of a batch must go to one output folder; plan the "
                          "jobs with out_dir")
    return next(iter(folders)) if merged is None else None


def _render_all(source: Path, jobs: list[Job], workers: int | None,
                progress: Progress | None,
                shown: list[Job] | None = None) -> list[bytes | list[Path]]:
    """Every job's result, in job order; BatchRenderError if any failed."""
    workers = workers or os.cpu_count() or 1
    results: dict[int, bytes | list[Path]] = {}
    failed: dict[int, str] = {}
    # spawn, not fork: WeasyPrint's fontconfig and cairo state is not fork-safe.
    # Workers start with SIGINT ignored and SIGTERM held, until _worker_init.
    with starting_workers(spawn=True):
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_init, initargs=(source,))
        futures = {pool.submit(_worker_job, job): n for n, job in enumerate(jobs)}
    with pool, _ended_if_stopped(pool):
        for done, future in enumerate(as_completed(futures), start=1):
            n, result = futures[future], future.result()
            if isinstance(result, str):
                failed[n] = result
            else:
                results[n] = result
            if progress:
                what = (shown or jobs)[n].out or f"copy {n + 1}"
                progress(done, len(jobs), f"{what}: {_job_sheet(jobs[n], result)}"
                         if not isinstance(result, str) else str(what))
    if failed:
        raise BatchRenderError([f"{jobs[n].where or f'request {n + 1}'}: {visible(failed[n])}"
                                for n in sorted(failed)])
    return [results[n] for n in sorted(results)]


_worker: dict[str, object] = {}


def _worker_init(source: Path) -> None:
    worker_signals()  # Ctrl-C or SIGTERM: end quietly; the parent cleans up
    _worker["code"] = load(source)


@contextlib.contextmanager
def _ended_if_stopped(pool: ProcessPoolExecutor) -> Iterator[None]:
    """Interrupted (or failing), end the workers rather than wait for every
    copy still queued."""
    try:
        yield
    except BaseException:
        terminate(pool)
        raise


def _job_sheet(job: Job, result: bytes | list[Path]) -> str:
    """The print room's instructions for a finished job (from its PDF)."""
    data = result if isinstance(result, bytes) else result[0].read_bytes()
    return job_sheet(job.request, [artifact("copy", data)])


def _worker_job(job: Job) -> bytes | list[Path] | str:
    """One copy: its PDF bytes (merged run), the files written, or the
    message of the error that stopped it (so that the row can be named)."""
    code = _worker["code"]
    assert isinstance(code, Code)
    try:
        made = make_copy(code, job.request)
        if job.out is None:
            return made[0].data()
        return write_artifacts(made, job.out)
    except ComplaintsCodeError as exc:
        return str(exc)
    except Exception as exc:  # any failure must name its row, not end the run unnamed
        return f"the copy could not be made ({type(exc).__name__}: {exc}); nothing was written"


def merge(pdfs: list[bytes]) -> bytes:
    """PDFs as one print run, each padded to an even number of pages so that
    every copy starts on a fresh sheet in a duplex printer. The run is for the
    printer: it keeps no tags (each customer's own PDF is the tagged one)."""
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for data in pdfs]
    for src in sources:
        with warnings.catch_warnings():
            # Named destinations are not needed in a run that goes to the printer.
            warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
            out.pages.extend(src.pages)
        if len(src.pages) % 2:
            out.add_blank_page(page_size=(595.28, 841.89))  # A4 in points
    for page in out.pages:
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]  # points into a structure tree left behind
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True)
    for src in sources:
        src.close()
    return buffer.getvalue()
