"""The legal team's commands: the compliance check's output, the redline
(``diff``) and ``release``. Registered on the main command group by one import
at the bottom of :mod:`complaints_code.cli`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ..errors import ComplaintsCodeError, SourceError
from ..lint import Report, Severity, lint_file
from ..model import Code
from ..output import write_atomic
from . import DEFAULT_SOURCE, edge, err, main, out


class ComplianceError(ComplaintsCodeError):
    """The compliance check found what --strict refuses."""


def run_check(source: Path, as_of: dt.date | None, strict: bool, fmt: str) -> int:
    """Print the compliance findings; return the exit status (0, 1 or 2)."""
    try:
        report = lint_file(source, as_of)
    except SourceError as exc:
        if fmt != "json":
            _print_problems(exc)
            return exc.exit_status
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


def _print_problems(exc: SourceError) -> None:
    """The problems that stop the file being read, and what to do; ``check``
    never writes anything, so it does not say "nothing was written"."""
    for problem in exc.problems:
        err.print(str(problem), markup=False)
    count = len(exc.problems)
    err.print(f"{count} problem{'s' * (count != 1)} found: the file cannot be read until "
              f"{'they are' if count != 1 else 'it is'} fixed, so the rules were not checked yet.",
              markup=False)


def _print_text(report: Report) -> None:
    for finding in report.findings:
        out.print(str(finding), markup=False)
    out.print(f"{report.path}: {report.summary()}.", markup=False)


def lint_before_build(source: Path, strict: bool) -> Code:
    """Validate and lint before a build: print errors and warnings, and with
    ``strict`` refuse when there are any. Returns the model to build."""
    from ..lint import lint
    from ..source import load_document

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


@main.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "html", "markdown"]),
              default="text", show_default=True,
              help="text for the terminal, html for a page to approve and print, markdown "
              "for a pull-request comment.")
@click.option("--out", type=click.Path(path_type=Path),
              help="Write to this file (default: standard output).")
@click.option("--source", type=click.Path(path_type=Path), default=DEFAULT_SOURCE,
              show_default=True, help="The source file, for git:REV versions.")
@edge
def diff(old: str, new: str | None, fmt: str, out: Path | None, source: Path) -> None:
    """Show what changed between two versions of the Code (a redline).

    OLD and NEW are source files or git revisions of the source, such as
    git:HEAD~1 or git:v1.2. Without NEW, OLD is compared with the source file
    as it is now.
    """
    from ..redline import read_version, redline
    from ..redline.formats import render

    result = redline(read_version(old, source), read_version(new or str(source), source))
    text = render(result, fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text)
        err.print(f"wrote {out} ({len(result.changes)} changes)", markup=False)


@main.command("release")
@click.option("--version", "version", required=True, metavar="X.Y",
              help="The new version number, higher than every one so far (e.g. 1.1).")
@click.option("--date", "date", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              metavar="YYYY-MM-DD", help="The date the new version takes effect.")
@click.option("--summary", required=True, help="What changed, in a sentence or two.")
@click.option("--approved-by", help="Who approved it (default: metadata.approved_by).")
@click.option("--source", type=click.Path(path_type=Path), default=DEFAULT_SOURCE,
              show_default=True, help="The Code source YAML.")
@edge
def release_command(version: str, date: dt.datetime, summary: str, approved_by: str | None,
                    source: Path) -> None:
    """Record a new version: check the Code, then set its version and date and
    add an entry to its version history.

    Refuses (and changes nothing) if the check reports an error on the new
    date, or if the version is not newer than every version so far. Comments
    and layout in the file are kept as they are.
    """
    from ..release import release

    done = release(source, version, date.date(), summary, approved_by)
    for finding in done.report.findings:
        if finding.severity == Severity.WARNING:
            err.print(str(finding), markup=False)
    out.print(f"{source}: released version {done.entry.version}, effective "
              f"{done.entry.date}, approved by {done.entry.approved_by}. "
              f"Compliance: {done.report.summary()}.", markup=False)
    if done.tag:
        out.print(f"Recorded in git: committed {source} and tagged it {done.tag}; compare "
                  f"with it using: complaints-code diff git:{done.tag}", markup=False)
    else:
        out.print(f"Not tagged in git: {source} is not in a git repository.", markup=False)
