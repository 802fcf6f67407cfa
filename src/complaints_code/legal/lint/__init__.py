"""The compliance lint: does a draft Code break a rule before it is published?

Rules are data (``rules.yaml``: id, severity, message, reference, dates); each
has one small check function (``checks_*.py``). The Code's effective date picks
the rules in force; ``as_of`` overrides it. Every finding points at the line
and column of the YAML value concerned.

    from complaints_code.legal.lint import lint_file
    report = lint_file("code_source/complaints-code.yaml")
    for finding in report.findings:
        print(finding)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ...errors import ComplaintsCodeError
from ...structure.model import Code
from ...structure.positions import dotted
from ...structure.source import SourceDocument, load_document, loads_document
from . import checks_adr, checks_contacts, checks_text, checks_time  # noqa: F401 (register)
from .context import Context
from .registry import CHECKS
from .rules import Rule, Severity, all_rules, rules_in_force

__all__ = ["ComplianceError", "Finding", "Report", "Severity", "check_for_build", "lint",
           "lint_file", "lint_text"]


@dataclass(frozen=True)
class Finding:
    """One rule broken at one place in the source."""

    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str
    reference: str
    field: str
    """The field path of the value concerned, e.g. adr.name."""

    def __str__(self) -> str:
        return (f"{self.path}:{self.line}:{self.col}: {self.severity} {self.rule}: "
                f"{self.message} ({self.reference})")

    def as_json(self) -> dict[str, Any]:
        """The finding as plain JSON data."""
        return {**asdict(self), "severity": str(self.severity)}


@dataclass(frozen=True)
class Report:
    """Every finding on one source, and the date the rules were judged on."""

    path: str
    as_of: dt.date
    as_of_is_effective_date: bool
    findings: tuple[Finding, ...]

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(f.severity == severity for f in self.findings)

    def fails(self, strict: bool = False) -> bool:
        """Errors fail a check; with ``strict``, warnings do too. Notes never do."""
        failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return any(f.severity in failing for f in self.findings)

    def summary(self) -> str:
        """E.g. "2 errors, 9 warnings, 2 notes (rules in force on 2026-11-25, ...)"."""
        parts = [_plural(self.count(s), str(s)) for s in Severity]
        why = "the Code's effective date" if self.as_of_is_effective_date else "--as-of"
        return f"{', '.join(parts)} (rules in force on {self.as_of}, {why})"

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON data, for CI and other tools."""
        return {"source": self.path, "as_of": self.as_of.isoformat(),
                "counts": {str(s): self.count(s) for s in Severity},
                "findings": [f.as_json() for f in self.findings]}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def lint(doc: SourceDocument, text: str, as_of: dt.date | None = None) -> Report:
    """Run every rule in force on ``as_of`` (default: the Code's effective date)."""
    on = as_of or doc.code.metadata.effective_date
    ctx = Context(doc.code, doc.positions, text, on)
    findings = [f for rule in rules_in_force(on) for f in _run(ctx, rule, doc.path)]
    findings.sort(key=lambda f: (f.line, f.col, f.rule))
    return Report(doc.path, on, as_of is None, tuple(findings))


def _run(ctx: Context, rule: Rule, path: str) -> list[Finding]:
    out = []
    for hit in CHECKS[rule.id](ctx, rule):
        line, col = ctx.locate(hit)
        out.append(Finding(path, line, col, rule.severity, rule.id, rule.text(hit.fields),
                           rule.reference, dotted(hit.loc)))
    return out


def lint_text(text: str, name: str, as_of: dt.date | None = None) -> Report:
    """Validate and lint source text. Raises SourceError if it is invalid."""
    return lint(loads_document(text, name), text, as_of)


def lint_file(path: str | Path, as_of: dt.date | None = None) -> Report:
    """Validate and lint a source file. Raises SourceError if it is invalid."""
    doc = load_document(path)
    return lint(doc, Path(path).read_text(encoding="utf-8"), as_of)


def rule_ids() -> list[str]:
    """Every rule id, once each, in file order."""
    return list(dict.fromkeys(r.id for r in all_rules()))


class ComplianceError(ComplaintsCodeError):
    """The compliance check found what a strict build refuses."""


def check_for_build(doc: SourceDocument, strict: bool) -> tuple[Code, Report]:
    """Lint a validated source before a build. Returns the model and the
    report; raises ComplianceError if ``strict`` and the check reports errors
    or warnings."""
    report = lint(doc, Path(doc.path).read_text(encoding="utf-8"))
    if strict and report.fails(strict=True):
        raise ComplianceError("--strict: not building while the compliance check reports "
                              "errors or warnings; fix them (complaints-code check) or "
                              "build without --strict")
    return doc.code, report
