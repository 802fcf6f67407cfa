"""Batch print runs: many on-request copies from a CSV or JSON list, rendered
on every core, as one file each or as one merged PDF for the printer.

Every request is checked before any is rendered: one bad row stops the run
with every problem listed, and nothing written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import Code
from ..output import write_atomic
from ..settings import Settings
from .request import (
    Checked,
    CopyRequestError,
    Request,
    check,
    job_sheet,
    make_copy,
    write_artifacts,
)

COLUMNS = ("format", "size", "name", "address", "reference", "grade", "cells", "lines",
           "salutation", "font", "bold", "line_spacing", "sides", "paper", "envelope", "file")
_NUMBERS = ("size", "grade", "cells", "lines")
_YES_NO = {"yes": True, "y": True, "true": True, "1": True,
           "no": False, "n": False, "false": False, "0": False}


class BatchError(CopyRequestError):
    """One or more requests of a batch file are wrong; nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        super().__init__("\n".join(problems) + f"\n{count} problem{'s' * (count != 1)} "
                         "in the batch; nothing was written")


def read_requests(path: Path) -> list[Request]:
    """The requests of a batch file: CSV with a header row, or JSON (a list of
    objects), with the columns in COLUMNS, all optional (an empty cell means
    the default: a large-print copy at 18 point, without a letter). Raises
    BatchError listing every problem."""
    rows = _json_rows(path) if path.suffix.lower() == ".json" else _csv_rows(path)
    problems: list[str] = []
    requests = []
    for where, row in rows:
        try:
            requests.append(_request(row, f"{path}:{where}"))
        except CopyRequestError as exc:
            problems.append(f"{path}:{where}: {exc}")
    if problems:
        raise BatchError(problems)
    if not requests:
        raise BatchError([f"{path}: no requests; add one row per copy under the header"])
    return requests


def _csv_rows(path: Path) -> list[tuple[str, dict[str, object]]]:
    import csv

    text = _read(path)
    reader = csv.DictReader(text.splitlines(keepends=True))
    rows = []
    for row in reader:
        rows.append((f"line {reader.line_num}", {k: v for k, v in row.items() if k}))
    return rows


def _json_rows(path: Path) -> list[tuple[str, dict[str, object]]]:
    import json

    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise BatchError([f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"]) from exc
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise BatchError([f"{path}: expected a JSON list of objects, one per copy"])
    return [(f"request {n}", row) for n, row in enumerate(data, start=1)]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")  # spreadsheet CSVs often start with a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchError([f"{path}: cannot read the batch file: {exc}"]) from exc


def _request(row: dict[str, object], where: str) -> Request:
    unknown = sorted(set(row) - set(COLUMNS))
    if unknown:
        raise CopyRequestError(f"unknown column '{unknown[0]}'; the columns are "
                               f"{', '.join(COLUMNS)}")
    values: dict[str, object] = {}
    for key, raw in row.items():
        value = "\n".join(str(v) for v in raw) if isinstance(raw, list) else raw
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key in _NUMBERS:
            try:
                value = int(str(value).strip())
            except ValueError:
                raise CopyRequestError(f"{key} '{value}' is not a whole number") from None
        elif key == "line_spacing":
            try:
                value = float(str(value).strip())
            except ValueError:
                raise CopyRequestError(f"line_spacing '{value}' is not a number, "
                                       "e.g. 1.5") from None
        elif key == "bold":
            flag = _YES_NO.get(str(value).strip().lower())
            if flag is None:
                raise CopyRequestError(f"bold '{value}' is not yes or no")
            value = flag
        values["out" if key == "file" else key] = (Path(str(value)) if key == "file"
                                                   else value)
    return Request(**values, where=where)  # type: ignore[arg-type]


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
    problems: list[str] = []
    jobs: list[Job] = []
    names: set[str] = set()
    for number, request in enumerate(requests, start=1):
        where = request.where or f"request {number}"
        try:
            checked = check(request, settings, today)
            name = out_name(number, request)
        except CopyRequestError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if out_dir is None and request.format == "braille":
            problems.append(f"{where}: a braille copy cannot go into a merged PDF print run; "
                            "use --out-dir, or make the braille copies separately")
        if name in names:
            problems.append(f"{where}: the file name {name} is used twice; give each copy "
                            "its own name")
        names.add(name)
        jobs.append(Job(checked, out_dir / name if out_dir else None))
    if problems:
        raise BatchError(problems)
    return jobs


def out_name(number: int, request: Request) -> str:
    """The output file name of a batch request: its ``file`` column, or a
    numbered name made from its reference or name."""
    if request.out is not None:
        if request.out.name != str(request.out) or request.out.name.startswith("."):
            raise CopyRequestError(f"file '{request.out}' must be a plain file name, "
                                   "without folders")
        return request.out.name
    label = request.reference or request.name or request.format
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or request.format
    return f"{number:03d}-{slug}{'.brf' if request.format == 'braille' else '.pdf'}"


Progress = Callable[[int, int, str], None]
"""Called as progress(done, total, what) after each copy of a batch."""


def run_batch(settings: Settings, jobs: list[Job], *, merged: Path | None = None,
              workers: int | None = None, progress: Progress | None = None) -> list[Path]:
    """Render planned jobs on every core (one process each), writing each copy
    to its file, or all of them into one merged PDF at ``merged``. Each copy in
    a merged run starts on a fresh sheet when printed double-sided."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    workers = workers or os.cpu_count() or 1
    pdfs: dict[int, bytes] = {}
    files: dict[int, list[Path]] = {}
    # spawn, not fork: WeasyPrint's fontconfig and cairo state is not fork-safe.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_worker_init, initargs=(settings.source,)) as pool:
        futures = {pool.submit(_worker_job, job): n for n, job in enumerate(jobs)}
        for done, future in enumerate(as_completed(futures), start=1):
            n, result = futures[future], future.result()
            if isinstance(result, bytes):
                pdfs[n] = result
            else:
                files[n] = result
            if progress:
                what = jobs[n].out or f"copy {n + 1}"
                progress(done, len(jobs), f"{what}: {_job_sheet(jobs[n], result)}")
    if merged is None:
        return [path for n in sorted(files) for path in files[n]]
    return [write_atomic(merged, merge([pdfs[n] for n in sorted(pdfs)]))]


_worker: dict[str, object] = {}


def _worker_init(source: Path) -> None:
    from ..source import load

    _worker["code"] = load(source)


def _job_sheet(job: Job, result: bytes | list[Path]) -> str:
    """The print room's instructions for a finished job (from its PDF)."""
    from ..renderers import artifact

    data = result if isinstance(result, bytes) else result[0].read_bytes()
    return job_sheet(job.checked, [artifact("copy", data)])


def _worker_job(job: Job) -> bytes | list[Path]:
    code = _worker["code"]
    assert isinstance(code, Code)
    made = make_copy(code, job.checked)
    if job.out is None:
        return made[0].data()
    return write_artifacts(made, job.out)


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
