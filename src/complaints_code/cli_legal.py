"""The legal team's commands: the compliance check's output, the redline
(``diff``) and ``release``. Registered on the main command group by one import
at the bottom of :mod:`complaints_code.cli`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from .cli import err, out
from .errors import ComplaintsCodeError, SourceError
from .lint import Report, Severity, lint_file
from .model import Code


class ComplianceError(ComplaintsCodeError):
    """The compliance check found what --strict refuses."""


def run_check(source: Path, as_of: dt.date | None, strict: bool, fmt: str) -> int:
    """Print the compliance findings; return the exit status (0, 1 or 2)."""
    try:
        report = lint_file(source, as_of)
    except SourceError as exc:
        if fmt != "json":
            raise
        problems = [{"path": p.path, "line": p.line, "col": p.col, "field": p.field,
                     "message": p.message, "hint": p.hint} for p in exc.problems]
        click.echo(json.dumps({"source": str(source), "valid": False, "problems": problems},
                              indent=2, ensure_ascii=False))
        return exc.exit_status
    if fmt == "json":
        data = {"valid": True, **report.as_json(), "strict": strict,
                "passed": not report.fails(strict)}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        _print_text(report)
    return 1 if report.fails(strict) else 0


def _print_text(report: Report) -> None:
    for finding in report.findings:
        out.print(str(finding), markup=False)
    out.print(f"{report.path}: {report.summary()}.", markup=False)


def lint_before_build(source: Path, strict: bool) -> Code:
    """Validate and lint before a build: print errors and warnings, and with
    ``strict`` refuse when there are any. Returns the model to build."""
    from .lint import lint
    from .source import load_document

    doc = load_document(source)
    report = lint(doc, source.read_text(encoding="utf-8"))
    for finding in report.findings:
        if finding.severity != Severity.NOTE:
            err.print(str(finding), markup=False)
    if report.findings:
        err.print(f"compliance: {report.summary()}.", markup=False)
    if strict and report.fails(strict=True):
        raise ComplianceError("--strict: not building while the compliance check reports "
                              "errors or warnings; fix them (complaints-code check) or "
                              "build without --strict")
    return doc.code
