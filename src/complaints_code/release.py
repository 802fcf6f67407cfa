"""Release a new version of the Code: check it, then record the version.

``release()`` refuses when the compliance check reports an error (judged on
the new effective date) or when the version is not newer than every version
so far. Otherwise it sets ``metadata.version`` and ``metadata.effective_date``
(and ``approved_by`` if given) and appends an entry to ``changes``.

The file is edited as text, line by line, not re-written from parsed YAML, so
the legal team's comments, quoting and line breaks stay exactly as they were.
The edited text is then read back and must equal the old Code plus exactly
these changes before it replaces the file (atomically).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ComplaintsCodeError, UsageError
from .lint import Report, Severity, lint_text
from .model import Change, Code
from .output import write_atomic
from .positions import Loc
from .source import SourceDocument, load_document, loads_document
from .versions import parse_version

_VERSION = re.compile(r"^\d+(\.\d+){0,2}$")
_SCALAR = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#](?:[^#]*[^\s#])?)""")


class ReleaseError(ComplaintsCodeError):
    """The release was refused; nothing was written."""


@dataclass(frozen=True)
class Released:
    """What a release did."""

    path: Path
    entry: Change
    report: Report
    """The compliance check of the released text (no errors; maybe warnings)."""


def release(path: Path, version: str, date: dt.date, summary: str,
            approved_by: str | None = None) -> Released:
    """Check and record a new version in the source at ``path``."""
    if not _VERSION.match(version):
        raise UsageError(f"'{version}' is not a version number; write e.g. 1.1 or 2.0.1")
    if not summary.strip():
        raise UsageError("the summary is empty; say in a sentence what changed")
    doc = load_document(path)
    _newer(doc.code, version, date)
    entry = Change(version=version, date=date, summary=" ".join(summary.split()),
                   approved_by=approved_by or doc.code.metadata.approved_by)
    text = edited(path.read_text(encoding="utf-8"), doc, entry, approved_by)
    report = lint_text(text, str(path))  # judged on its new effective date
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    if errors:
        listed = "\n".join(str(f) for f in errors)
        raise ReleaseError(f"not released: the check reports {len(errors)} "
                           f"error{'s' * (len(errors) != 1)} on {date}:\n{listed}\n"
                           "Fix them (complaints-code check) and release again.")
    write_atomic(path, text)
    return Released(path, entry, report)


def _newer(code: Code, version: str, date: dt.date) -> None:
    """Refuse a version that is not newer than every one so far, or a date
    before the latest release."""
    versions = [code.metadata.version, *(c.version for c in code.changes)]
    latest = max(versions, key=parse_version)
    if parse_version(version) <= parse_version(latest):
        raise ReleaseError(f"version {version} is not newer than the latest, {latest}; "
                           "choose a higher number")
    last_date = max([code.metadata.effective_date, *(c.date for c in code.changes)])
    if date < last_date:
        raise ReleaseError(f"the date {date} is before the latest version's date, {last_date}")


def edited(text: str, doc: SourceDocument, entry: Change, approved_by: str | None) -> str:
    """``text`` with the new version, date and history entry, and nothing else
    changed. Raises ReleaseError if the result does not read back as that."""
    lines = text.splitlines(keepends=True)
    _set(lines, doc, ("metadata", "version"), _quoted(entry.version))
    _set(lines, doc, ("metadata", "effective_date"), entry.date.isoformat())
    if approved_by:
        _set(lines, doc, ("metadata", "approved_by"), _quoted(approved_by))
    new = _append_change(lines, doc, entry)
    _verify(doc.code, new, entry, approved_by)
    return new


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _set(lines: list[str], doc: SourceDocument, loc: Loc, value: str) -> None:
    """Replace the one-line scalar at ``loc``, keeping any comment after it."""
    line, col = doc.positions.values[loc]
    old = lines[line - 1]
    m = _SCALAR.match(old, col - 1)
    if not m:
        raise ReleaseError(f"{doc.path}:{line}: cannot find the value of {loc[-1]} to "
                           "update; write it on one line")
    lines[line - 1] = old[: m.start()] + value + old[m.end():]


def _append_change(lines: list[str], doc: SourceDocument, entry: Change) -> str:
    """Insert the history entry after the last one, in the same indentation."""
    count = len(doc.code.changes)
    if count == 0:
        raise ReleaseError(f"{doc.path}: there is no 'changes' list to add to; add the "
                           "first entry by hand (see README.md, 'For the legal team')")
    first, col = doc.positions.values[("changes", count - 1)]
    indent = " " * (col - 1)
    dash = " " * (col - 3) + "- "
    end = first
    while end < len(lines) and _inside(lines[end], col):
        end += 1
    while end > first and not lines[end - 1].strip():
        end -= 1
    block = (f"{dash}version: {_quoted(entry.version)}\n{indent}date: {entry.date}\n"
             f"{indent}summary: {_quoted(entry.summary)}\n"
             f"{indent}approved_by: {_quoted(entry.approved_by)}\n")
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join(lines[:end]) + block + "".join(lines[end:])


def _inside(line: str, col: int) -> bool:
    """Whether a line still belongs to a list item whose keys start at ``col``."""
    if not line.strip():
        return True
    return len(line) - len(line.lstrip(" ")) >= col - 1 and not line.lstrip().startswith("- ")


def _verify(old: Code, text: str, entry: Change, approved_by: str | None) -> None:
    """The edited text must read back as the old Code plus exactly this release."""
    meta = {"version": entry.version, "effective_date": entry.date}
    if approved_by:
        meta["approved_by"] = approved_by
    expected = old.model_copy(update={
        "metadata": old.metadata.model_copy(update=meta),
        "changes": (*old.changes, entry)})
    try:
        got = loads_document(text, "release").code
    except ComplaintsCodeError as exc:
        raise ReleaseError(f"the edited source would not be valid ({exc}); nothing was "
                           "written") from None
    if got.model_dump() != expected.model_dump():
        raise ReleaseError("the source is laid out in a way release cannot edit safely; "
                           "nothing was written. Update the version by hand.")
