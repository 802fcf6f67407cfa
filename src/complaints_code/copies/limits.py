"""The limits of a batch print run, checked before its requests are read
into memory: how large its file may be (``batch.max_bytes``), how many
requests it may hold (``batch.max_rows``), and that one reference belongs
to one customer.

A reference is what the print room and the customer quote back, and it is
printed on the letter: the same reference on two different customers (a
copied row, a number typed twice) is refused, naming both rows, like any
other bad row; nothing is made. The same customer may appear twice with one
reference (large print and braille, say); a customer is the same when the
name and the address match, ignoring case, spacing and the line separator.
"""

from __future__ import annotations

import csv
import io
import json
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import quoted
from ..output import human_size
from ..settings import BatchSettings
from .request import CopyRequest


def file_problems(path: Path, limits: BatchSettings) -> str | None:
    """Why the batch file at ``path`` is not to be read: not a regular file,
    more bytes than ``max_bytes`` (checked before reading it), or more
    requests than ``max_rows`` (counted without keeping them). None when it
    is fine; a file that cannot be read or parsed is left for the batch's
    own reading to report."""
    try:
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return ("not a regular file (a device, socket or named pipe); give the batch as a "
                "CSV or JSON file")
    if info.st_size > limits.max_bytes:
        return (f"the batch file is {human_size(info.st_size)}, more than the "
                f"{human_size(limits.max_bytes)} a batch may be (batch.max_bytes); split it "
                "into smaller batches")
    rows = _count(path)
    if rows > limits.max_rows:
        return (f"the batch file has {rows:,} requests, more than the {limits.max_rows:,} a "
                "batch may have (batch.max_rows); split it into smaller batches")
    return None


def _count(path: Path) -> int:
    """How many requests the file holds, or 0 if it cannot be read as one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 0
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return 0
        return len(data) if isinstance(data, list) else 0
    try:
        rows = sum(1 for cells in csv.reader(io.StringIO(text)) if any(c.strip() for c in cells))
    except csv.Error:
        return 0
    return max(0, rows - 1)  # the header


def shared_references(rows: Iterable[tuple[str, int, CopyRequest]]
                      ) -> list[tuple[str, int, str]]:
    """(row, row number, what is wrong) for each request whose reference an
    earlier request gave another customer. ``rows`` are (row, row number,
    request): ("line 3", 3, ...)."""
    first: dict[str, tuple[str, CopyRequest]] = {}
    problems = []
    for where, number, request in rows:
        if not request.reference or not request.reference.strip():
            continue
        key = " ".join(request.reference.split()).casefold()
        if key not in first:
            first[key] = (where, request)
            continue
        seen_where, seen = first[key]
        if _customer(seen) != _customer(request):
            problems.append((where, number, (
                f"{quoted(request.reference.strip(), 40)} is already the reference of "
                f"{seen_where}, for another customer ({quoted(seen.name or 'no name', 40)}); "
                "give each customer a reference of their own")))
    return problems


def _customer(request: CopyRequest) -> tuple[str, tuple[str, ...]]:
    """Who a request is for, ignoring case, spacing and punctuation at line
    ends (the request has split the address into lines already)."""
    name = " ".join((request.name or "").split()).casefold()
    lines = (*request.address_lines, request.postcode or "")
    address = tuple(" ".join(line.split()).strip(" ,.").casefold() for line in lines)
    return name, tuple(line for line in address if line)
