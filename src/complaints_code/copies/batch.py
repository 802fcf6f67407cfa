"""Batch print runs: many on-request copies from a CSV or JSON list, rendered
on every core, as one file each or as one merged PDF for the printer.

Every request is checked before any is rendered: one bad row stops the run
with every problem listed, and nothing written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import ComplaintsCodeError, RenderError, visible
from ..interrupts import starting_workers, worker_signals
from ..output import check_writable_dir, publish_dir, staging_dir, write_atomic
from ..renderers import REGISTRY
from ..settings import BatchSettings, Settings
from ..structure.model import Code
from ..workers import terminate
from . import limits
from .errors import CopyRequestError
from .letter import job_sheet
from .request import Checked, Request, check, make_copy, write_artifacts

COLUMNS = ("format", "size", "name", "address", "reference", "grade", "cells", "lines",
           "salutation", "font", "bold", "line_spacing", "sides", "paper", "envelope", "file")
_NUMBERS = ("size", "grade", "cells", "lines")
_YES_NO = {"yes": True, "y": True, "true": True, "1": True,
           "no": False, "n": False, "false": False, "0": False}


class BatchError(CopyRequestError):
    """One or more requests of a batch file are wrong; nothing was written.
    ``problems`` has one line per problem: file, row, field, what, fix."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        super().__init__("\n".join(problems) + f"\n{count} problem{'s' * (count != 1)} "
                         "in the batch; nothing was written")


class BatchRenderError(RenderError):
    """Copies of a batch failed while rendering; the rows are named and
    nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        super().__init__("\n".join(problems) + f"\n{count} cop{'ies' if count != 1 else 'y'} "
                         "could not be made; nothing was written")


def problem_line(path: Path, where: str, field: str, message: str) -> str:
    """One problem of a batch: ``FILE:ROW: FIELD: what; how to fix``."""
    return f"{path}:{where}: {field + ': ' if field else ''}{visible(message)}"


@dataclass(frozen=True)
class _Row:
    where: str
    """e.g. "line 3" of a CSV, "request 2" of a JSON list."""
    values: dict[str, object]
    problems: tuple[str, ...] = ()
    """Problems found while reading the row (extra cells, say)."""


def read_requests(path: Path) -> list[Request]:
    """The requests of a batch file: CSV with a header row, or JSON (a list of
    objects), with the columns in COLUMNS, all optional (an empty cell means
    the default: a large-print copy at 18 point, without a letter). Raises
    BatchError listing every problem of every row."""
    too_large = limits.file_problems(path, BatchSettings())
    if too_large:
        raise BatchError(too_large)
    requests, problems = _parse(path)
    problems += limits.shared_references(requests, path)
    if problems:
        raise BatchError(sorted(problems, key=_row_number))
    return [request for _, request in requests]


def prepare(path: Path, settings: Settings, *, out_dir: Path | None,
            today: dt.date | None = None) -> list[Job]:
    """Read and :func:`plan` a batch file in one pass, so that every bad row
    is reported at once, whether it fails reading or checking."""
    too_large = limits.file_problems(path, settings.batch)  # before reading it
    if too_large:
        raise BatchError(too_large)
    requests, problems = _parse(path)
    jobs, planned = _plan([r for _, r in requests], settings, out_dir=out_dir, today=today)
    found = problems + planned + limits.shared_references(requests, path)
    if found:
        raise BatchError(sorted(found, key=_row_number))  # in row order, whichever pass
    return jobs


def _row_number(line: str) -> int:
    """The row a problem line is about ("...:line 7: ..." or "...:request 7: ...")."""
    m = re.search(r":(?:line|request) (\d+):", line)
    return int(m.group(1)) if m else 0


def _parse(path: Path) -> tuple[list[tuple[str, Request]], list[str]]:
    rows = _json_rows(path) if path.suffix.lower() == ".json" else _csv_rows(path)
    problems: list[str] = []
    requests: list[tuple[str, Request]] = []
    for row in rows:
        found = list(row.problems)
        request = _request(row, path, found)
        problems.extend(found)
        if request is not None and not found:
            requests.append((row.where, request))
    if not rows and not problems:
        problems.append(f"{path}: no requests; add one row per copy under the header")
    return requests, problems


def _csv_rows(path: Path) -> list[_Row]:
    import csv

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
            rows.append(_csv_row(path, f"line {reader.line_num}", names, cells))
        return rows
    except csv.Error as exc:
        raise BatchError([problem_line(path, f"line {reader.line_num}", "",
                                       f"cannot read the CSV ({exc}); save the sheet as "
                                       "CSV (comma-separated) again")]) from None


def _check_header(path: Path, names: list[str]) -> None:
    problems = []
    for name in names:
        if name and name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else \
                f"the columns are {', '.join(COLUMNS)}"
            problems.append(problem_line(path, "line 1", name, f"unknown column '{name}'; "
                                         f"{hint}"))
    for name in sorted({n for n in names if n and names.count(n) > 1}):
        problems.append(problem_line(path, "line 1", name, f"the column '{name}' appears "
                                     "twice; keep one of them"))
    if problems:
        raise BatchError(problems)


def _csv_row(path: Path, where: str, names: list[str], cells: list[str]) -> _Row:
    values: dict[str, object] = {}
    problems = []
    for i, cell in enumerate(cells):
        name = names[i] if i < len(names) else ""
        if name:
            values[name] = cell
        elif cell.strip():
            what = (f"the row has {len(cells)} cells but the header has {len(names)} "
                    "columns; remove the extra cells, or add a heading for them"
                    if i >= len(names) else
                    f"cell {i + 1} has no column heading; add a heading, or empty the cell")
            problems.append(problem_line(path, where, "", what))
            break
    return _Row(where, values, tuple(problems))


def _json_rows(path: Path) -> list[_Row]:
    import json

    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise BatchError([f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"]) from exc
    except RecursionError:
        raise BatchError([f"{path}: the JSON is nested too deeply; expected a list of "
                          "objects, one per copy"]) from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise BatchError([f"{path}: expected a JSON list of objects, one per copy"])
    rows = []
    for n, row in enumerate(data, start=1):
        unknown = [k for k in row if k not in COLUMNS]
        problems = tuple(problem_line(path, f"request {n}", k, f"unknown key '{_shown(k)}'; "
                                      f"the keys are {', '.join(COLUMNS)}") for k in unknown)
        rows.append(_Row(f"request {n}", {k: v for k, v in row.items() if k in COLUMNS},
                         problems))
    return rows


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # spreadsheet CSVs often start with a BOM
    except UnicodeDecodeError as exc:
        raise BatchError([f"{path}: the file is not UTF-8 text (byte {exc.start + 1}); save "
                          "it as CSV UTF-8 or JSON"]) from None
    except OSError as exc:
        raise BatchError([f"{path}: cannot read the batch file ({exc.strerror}); check "
                          "the path"]) from None


def _shown(value: object, limit: int = 40) -> str:
    """A value for a message: JSON-like, shortened, invisible characters named."""
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           default=str)
    return visible(text if len(text) <= limit else text[: limit - 1] + "…")


def _request(row: _Row, path: Path, problems: list[str]) -> Request | None:
    """The row as a Request; each bad value adds a problem (and gives None)."""
    values: dict[str, object] = {}
    for key, raw in row.values.items():
        try:
            value = _value(key, raw)
        except CopyRequestError as exc:
            problems.append(problem_line(path, row.where, key, str(exc)))
            continue
        if value is not None:
            values["out" if key == "file" else key] = value
    if problems:
        return None
    return Request(**values, where=f"{path}:{row.where}")  # type: ignore[arg-type]


def _value(key: str, raw: object) -> object:
    """One cell or JSON value, typed: text for text columns (an address may
    be a list of lines), whole numbers for numbers, None for empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if key in _NUMBERS:
        return _number(raw)
    if key == "bold":
        flag = raw if isinstance(raw, bool) else _YES_NO.get(str(raw).strip().lower())
        if flag is None:
            raise CopyRequestError(f"bold '{raw}' is not yes or no")
        return flag
    if key == "line_spacing":
        try:
            return float(str(raw).strip())
        except ValueError:
            raise CopyRequestError(f"line_spacing '{raw}' is not a number, e.g. 1.5") from None
    if key == "address" and isinstance(raw, list):
        if not raw or not all(isinstance(line, str) for line in raw):
            raise CopyRequestError(f"expected address lines as text, got {_shown(raw)}; "
                                   'write ["1 Road", "London", "SW1A 1AA"]')
        return "\n".join(raw)
    if not isinstance(raw, str):
        raise CopyRequestError(f"expected text, got {_shown(raw)}; put the value in quotes")
    if key == "file":
        return Path(raw.strip())
    return raw


def _number(raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = raw.strip() if isinstance(raw, str) else None
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 6:
        shown = f"'{_shown(raw)}'" if isinstance(raw, str) else _shown(raw)
        raise CopyRequestError(f"{shown} is not a whole number; write digits only, "
                               "e.g. 18")
    return int(text)


@dataclass(frozen=True)
class Job:
    """One checked request of a batch, with the file it goes to (None when it
    goes into a merged print run)."""

    checked: Checked
    out: Path | None


def plan(requests: list[Request], settings: Settings, *, out_dir: Path | None,
         today: dt.date | None = None) -> list[Job]:
    """Check every request and name its output file (in ``out_dir``, or None
    for a merged run). Raises BatchError listing every problem."""
    jobs, problems = _plan(requests, settings, out_dir=out_dir, today=today)
    if problems:
        raise BatchError(problems)
    return jobs


def _plan(requests: list[Request], settings: Settings, *, out_dir: Path | None,
          today: dt.date | None) -> tuple[list[Job], list[str]]:
    problems: list[str] = []
    jobs: list[Job] = []
    names: set[str] = set()
    for number, request in enumerate(requests, start=1):
        where = request.where or f"request {number}"
        try:
            checked = check(request, settings, today)
            name = out_name(number, request)
        except CopyRequestError as exc:
            problems.append(_located(where, exc))
            continue
        if out_dir is None and request.format not in settings.print.formats:
            problems.append(_located(where, CopyRequestError(
                f"{'an' if request.format[0] in 'aeiou' else 'a'} {request.format} copy cannot "
                "go into a merged PDF print run; use "
                f"--out-dir, or make the {request.format} copies separately", "format")))
        if name in names:
            problems.append(_located(where, CopyRequestError(
                f"the file name {name} is used twice; give each copy its own name", "file")))
        names.add(name)
        jobs.append(Job(checked, out_dir / name if out_dir else None))
    return jobs, problems


def _located(where: str, exc: CopyRequestError) -> str:
    # The batch file's name is prefixed by the reader's "where" when it has one.
    return f"{where}: {exc.field + ': ' if exc.field else ''}{visible(str(exc))}"


_FILE_NAME = re.compile(r"[^\x00-\x1f\x7f/\\:*?\"<>|]{1,120}")


def out_name(number: int, request: Request) -> str:
    """The output file name of a batch request: its ``file`` column, or a
    numbered name made from its reference or name."""
    if request.out is not None:
        name = str(request.out)
        if not _FILE_NAME.fullmatch(name) or name.startswith(".") or name != name.strip():
            raise CopyRequestError(f"'{_shown(name)}' must be a plain file name of at most "
                                   "120 characters, without folders or any of / \\ : * ? "
                                   "\" < > |", "file")
        return name
    label = request.reference or request.name or request.format
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or request.format
    return f"{number:03d}-{slug}{REGISTRY[request.format].extension or '.pdf'}"


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
        moved = [Job(job.checked, staged / job.out.name) for job in jobs if job.out]
        results = _render_all(settings.source, moved, workers, progress, shown=jobs)
    except BaseException:
        import shutil

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
    import multiprocessing
    from concurrent.futures import as_completed

    workers = workers or os.cpu_count() or 1
    results: dict[int, bytes | list[Path]] = {}
    failed: dict[int, str] = {}
    # spawn, not fork: WeasyPrint's fontconfig and cairo state is not fork-safe.
    # Workers start with SIGINT and SIGTERM held, until _worker_init handles them.
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
        raise BatchRenderError([_located(jobs[n].checked.request.where or f"request {n + 1}",
                                         CopyRequestError(failed[n]))
                                for n in sorted(failed)])
    return [results[n] for n in sorted(results)]


_worker: dict[str, object] = {}


def _worker_init(source: Path) -> None:
    from ..structure.source import load

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
    from ..renderers import artifact

    data = result if isinstance(result, bytes) else result[0].read_bytes()
    return job_sheet(job.checked, [artifact("copy", data)])


def _worker_job(job: Job) -> bytes | list[Path] | str:
    """One copy: its PDF bytes (merged run), the files written, or the
    message of the error that stopped it (so that the row can be named)."""
    code = _worker["code"]
    assert isinstance(code, Code)
    try:
        made = make_copy(code, job.checked)
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
    import io
    import warnings

    import pikepdf

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
