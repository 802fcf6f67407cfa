"""What the legal team sees as they type: the source's validation errors at
their lines, or the compliance lint's findings, each named by the field it
concerns, and the version the draft will be released as.

The findings are those of ``complaints-code check`` (the same rules, words,
severities and positions), run on the draft as it will be released: with
the version number, effective date and version-history entry that the
release adds (see :func:`plan_release`). So a draft that sets a new version
is not warned that its history lacks the entry the release will write, and
its rules are those in force on the date it takes effect.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from ...errors import SourceError
from ...structure.model import Change, Code
from ...structure.source import SourceDocument, loads_document, parse_yaml
from ...structure.versions import parse_version
from ..lint import Finding as LintFinding
from ..lint import lint
from .paths import FieldError, parse, path_of


@dataclass(frozen=True)
class Finding:
    """A compliance finding on a draft. ``as_json`` gives the API's shape."""

    line: int
    column: int
    rule: str
    severity: str
    """error, warning or note."""
    message: str
    reference: str
    field: str | None
    """The field path it concerns, e.g. contacts.telephone.value."""

    def as_json(self) -> dict[str, Any]:
        """line, column, rule, severity, message, reference and field."""
        return asdict(self)


@dataclass(frozen=True)
class Problem:
    """A validation error: the draft is not a valid Code until it is fixed."""

    line: int
    column: int
    field: str | None
    message: str
    hint: str

    def as_json(self) -> dict[str, Any]:
        """line, column, field, message and hint."""
        return asdict(self)


@dataclass(frozen=True)
class ReleasePlan:
    """The version a draft will be released as."""

    version: str
    effective_date: dt.date | None
    """None: the day it is released."""
    problem: str | None = None
    """Why the draft cannot be released as it stands (blocks submitting)."""


@dataclass(frozen=True)
class DraftCheck:
    """A draft's validity, its findings, and how it will be released."""

    problems: tuple[Problem, ...]
    """Validation errors (the draft is invalid when there are any)."""
    findings: tuple[Finding, ...] = ()
    plan: ReleasePlan | None = None
    as_of: dt.date | None = None
    """The date the rules were judged on."""

    @property
    def valid(self) -> bool:
        """Whether the draft is a valid Code."""
        return not self.problems

    def of(self, severity: str) -> tuple[Finding, ...]:
        """The findings of one severity."""
        return tuple(f for f in self.findings if f.severity == severity)

    def as_json(self) -> dict[str, Any]:
        """The check as the API gives it."""
        plan = self.plan
        return {"valid": self.valid, "problems": [p.as_json() for p in self.problems],
                "findings": [f.as_json() for f in self.findings],
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "release": None if plan is None else {
                    "version": plan.version, "problem": plan.problem,
                    "effective_date": plan.effective_date.isoformat()
                    if plan.effective_date else None}}


def check_draft(text: str, published: Code, today: dt.date, name: str = "draft") -> DraftCheck:
    """Validate a draft's source and, when valid, lint it as it will be
    released after ``published`` (the version now published). ``today`` is
    the date a draft that keeps the published effective date takes effect."""
    try:
        doc = loads_document(text, name)
    except SourceError as exc:
        return DraftCheck(validation_problems(exc, text))
    plan = plan_release(doc.code, published)
    as_of = plan.effective_date or max(today, _latest_date(published))
    report = lint(*_as_released(doc, text, plan, as_of), as_of)
    findings = tuple(_finding(f, doc) for f in report.findings)
    return DraftCheck((), findings, plan, as_of)


def _as_released(doc: SourceDocument, text: str, plan: ReleasePlan,
                 as_of: dt.date) -> tuple[SourceDocument, str]:
    """The draft with the version, date and history entry the release adds
    (as the release writes them: in the same places, so every other value
    keeps its line), or as it is when its plan says it cannot be released."""
    if plan.problem is not None:
        return doc, text
    code = doc.code
    entry = Change(version=plan.version, date=as_of, summary="(the draft's summary)",
                   approved_by=code.metadata.approved_by)
    released = code.model_copy(update={
        "metadata": code.metadata.model_copy(update={"version": plan.version,
                                                     "effective_date": as_of}),
        "changes": (*code.changes, entry)})
    return SourceDocument(released, doc.positions, doc.path, doc.data), text


def _finding(f: LintFinding, doc: SourceDocument) -> Finding:
    where = field_path(f.field, doc.data)
    added = len(doc.data.get("changes") or [])
    if where is not None and where.startswith(f"changes[{added}]"):
        where = "changes"  # the history entry the release adds
    return Finding(f.line, f.col, f.rule, str(f.severity), f.message, f.reference, where)


def field_path(dotted: str, data: Any) -> str | None:
    """The field path of one of the loader's dotted locations
    (``contacts[0].value`` to ``contacts.telephone.value``)."""
    if not dotted:
        return None
    try:
        return path_of(parse(dotted), data)
    except FieldError:
        return None


def field_at(text: str, line: int, column: int) -> str | None:
    """The field a line and column of a valid source fall in (the YAML
    view's cursor, say): the innermost field whose key or value starts at or
    before that point. None before the first field, or if the text is not
    YAML."""
    try:
        data, positions = parse_yaml(text, "draft")
    except SourceError:
        return None
    starts = sorted((positions.keys.get(loc, at), loc) for loc, at in positions.values.items()
                    if loc)
    index = bisect.bisect_right([at for at, _ in starts], (line, column)) - 1
    return path_of(starts[index][1], data) if index >= 0 else None


def validation_problems(exc: SourceError, text: str) -> tuple[Problem, ...]:
    """A SourceError's problems, each with its line, column and field path."""
    try:
        data: Any = parse_yaml(text, "draft")[0]
    except SourceError:
        data = None  # not even YAML: the problems have no fields
    return tuple(Problem(p.line, p.col, field_path(p.field, data) if data else None,
                         p.message, p.hint) for p in exc.problems)


def plan_release(draft: Code, published: Code) -> ReleasePlan:
    """The version and date a draft will be released as: its own version if
    the author set a newer one, else the next minor version (1.0 → 1.1); its
    own effective date if the author changed it, else the day of release."""
    latest = max([published.metadata.version, *(c.version for c in published.changes)],
                 key=parse_version)
    mine = draft.metadata.version
    if parse_version(mine) > parse_version(latest):
        version, problem = mine, None
    else:
        major, minor, _ = parse_version(latest)
        version = f"{major}.{minor + 1}"
        problem = None if mine == published.metadata.version else (
            f"the version {mine} is not newer than the published version {latest}; set a "
            f"higher number, or {published.metadata.version} to release as {version}")
    date: dt.date | None = draft.metadata.effective_date
    if date == published.metadata.effective_date:
        date = None
    elif date is not None and date < _latest_date(published) and problem is None:
        problem = (f"the effective date {date} is before the published version's, "
                   f"{_latest_date(published)}; set a later date")
    if problem is None and not draft.changes:
        problem = ("the Code has no version history ('changes') for the release to add this "
                   "version to; add the first entry in the YAML view")
    if problem is None and draft.changes != published.changes:
        problem = ("the version history ('changes') differs from the published one; the "
                   "release writes it, so undo the change")
    return ReleasePlan(version, date, problem)


def _latest_date(code: Code) -> dt.date:
    return max([code.metadata.effective_date, *(c.date for c in code.changes)])
