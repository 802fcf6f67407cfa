"""The legal team's commands: ``check`` (validation and the compliance lint),
the redline (``diff``) and ``release``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

import click

from ..errors import SourceError, problems_json
from ..legal.lint import Finding, Report, Severity, lint
from ..legal.redline import read_version, redline
from ..legal.redline.formats import render
from ..legal.release import ReleaseError, UnchangedTextError, release
from ..output import check_target, write_atomic
from ..renderers.preflight import check_renderable, coverage
from ..resources import resources
from ..settings import Settings
from ..structure.source import SourceDocument, load_document
from .edge import (
    PathArg,
    edge,
    err,
    finding_text,
    out,
    problem_text,
    relative,
    settings,
    source_option,
    unchanged,
)


@click.command()
@source_option
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Apply the rules in force on this date, not the Code's effective date.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Findings as text lines, or as JSON for other tools.")
@edge
def check(source: Path | None, as_of: dt.datetime | None, strict: bool, fmt: str) -> None:
    """Validate the source, check it against the complaints rules, and check
    that every character can be printed and has a braille sign.

    Each finding is printed as FILE:LINE:COL: SEVERITY RULE-ID: message
    (reference). Exit status 0 when nothing is at error level (with --strict:
    nothing at error or warning level), 1 otherwise, 2 when the source is
    invalid or cannot be read.
    """
    unchanged("check writes nothing")
    s = settings(source=source)
    sys.exit(run_check(s, as_of.date() if as_of else None, strict, fmt))


def run_check(s: Settings, as_of: dt.date | None, strict: bool, fmt: str) -> int:
    """Print the findings on the settings' source; return the exit status
    (0, 1 or 2)."""
    source = s.source
    try:
        document = load_document(source)
        report = lint(document, source.read_text(encoding="utf-8"), as_of)
    except SourceError as exc:
        if fmt != "json":
            _print_problems(exc)
            return 2
        problems = [{**p, "path": relative(str(p["path"]))} for p in problems_json(exc)]
        click.echo(json.dumps({"source": relative(source), "valid": False,
                               "problems": problems}, indent=2, ensure_ascii=False))
        return 2
    except (OSError, UnicodeDecodeError) as exc:  # changed under us after it was read
        err.print(f"{relative(source)}: cannot read the file ({exc}); check the path")
        return 2
    report = _with_coverage(report, document, s)
    if fmt == "json":
        data = {"valid": True, **report.as_json(), "strict": strict,
                "passed": not report.fails(strict)}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        _print_text(report)
    return 1 if report.fails(strict) else 0


COVERAGE_RULES = {
    "PRINT-FONT": ("the large-print and print PDFs' fonts (print.body_fonts and "
                   "print.fallback_fonts)", "print"),
    "BRAILLE-SIGN": ("Unified English Braille, as the braille tables translate it "
                     "(braille.tables)", "braille"),
}
"""The checks ``build`` and ``copy`` make before rendering, reported by
``check`` as findings: rule id -> (reference, format checked)."""


def _with_coverage(report: Report, document: SourceDocument, s: Settings) -> Report:
    """The report with a finding at each character the print fonts cannot
    show or the braille tables cannot translate (errors: a build refuses them)."""
    found = list(report.findings)
    for rule, (reference, fmt) in COVERAGE_RULES.items():
        needs = coverage(s, [fmt])
        for problem in check_renderable(document, print_fonts=needs.print_fonts,
                                        fallback_fonts=needs.fallback_fonts,
                                        braille_tables=needs.braille_tables):
            found.append(Finding(relative(problem.path), problem.line, problem.col,
                                 Severity.ERROR, rule, f"{problem.message}; {problem.hint}",
                                 reference, problem.field))
    found = [dataclasses.replace(f, path=relative(f.path)) for f in found]
    found.sort(key=lambda f: (f.line, f.col, f.rule))
    return dataclasses.replace(report, path=relative(report.path), findings=tuple(found))


def _print_problems(exc: SourceError) -> None:
    """The problems that stop the file being read, and what to do; ``check``
    never writes anything, so it does not say "nothing was written"."""
    for problem in exc.problems:
        err.print(problem_text(problem))
    count = len(exc.problems)
    err.print(f"{count} problem{'s' * (count != 1)} found: the file cannot be read until "
              f"{'they are' if count != 1 else 'it is'} fixed, so the rules were not checked yet.")


def _print_text(report: Report) -> None:
    for finding in report.findings:
        out.print(str(finding))
    out.print(f"{report.path}: {report.summary()}.")


@click.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "html", "markdown"]),
              default="text", show_default=True,
              help="text for the terminal, html for a page to approve and print, markdown "
              "for a pull-request comment.")
@click.option("--out", "out_path", type=PathArg(path_type=Path),
              help="Write to this file (default: standard output).")
@source_option
@edge
def diff(old: str, new: str | None, fmt: str, out_path: Path | None,
         source: Path | None) -> None:
    """Show what changed between two versions of the Code (a redline).

    OLD and NEW are source files or git revisions of the source, such as
    git:HEAD~1 or git:v1.2. Without NEW, OLD is compared with the source file
    as it is now.
    """
    unchanged(f"nothing was written{f'; {out_path} is as it was' if out_path else ''}")
    s = settings(source=source)
    path = s.source
    if out_path is not None:
        check_target(out_path)
    result = redline(read_version(old, path), read_version(new or str(path), path))
    text = render(result, fmt, resources(s).folder("redline"))
    if out_path is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out_path, text)
        err.print(f"wrote {relative(out_path)} ({len(result.changes)} changes)")


@click.command("release")
@click.option("--version", "version", required=True, metavar="X.Y",
              help="The new version number, higher than every one so far (e.g. 1.1).")
@click.option("--date", "date", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              metavar="YYYY-MM-DD", help="The date the new version takes effect.")
@click.option("--summary", required=True, help="What changed, in a sentence or two.")
@click.option("--approved-by", required=True, metavar="NAME",
              help="Who approved this version, e.g. \"Jane Smith, General Counsel\" (asked "
              "for every time: never carried over from the last release).")
@click.option("--allow-unchanged", is_flag=True,
              help="Release even though the Code's text has not changed since the last "
              "release (to re-issue it with a new date, say).")
@source_option
@edge
def release_command(version: str, date: dt.datetime, summary: str, approved_by: str,
                    allow_unchanged: bool, source: Path | None) -> None:
    """Record a new version: check the Code, then set its version, date and
    approver and add an entry to its version history; in git, commit the
    source and tag it (v1.1 for version 1.1).

    Refuses (and changes nothing) if the check reports an error on the new
    date, if the version is not newer than every version so far, if the text
    has not changed since the last release (unless --allow-unchanged), or if
    the git repository is in the middle of a merge, rebase or cherry-pick or
    on no branch. Comments and layout in the file are kept as they are.
    """
    source = settings(source=source).source
    shown = relative(source)
    unchanged(f"nothing was written; {shown} is as it was")
    try:
        done = release(source, version, date.date(), summary, approved_by,
                       allow_unchanged=allow_unchanged)
    except UnchangedTextError as exc:
        raise ReleaseError(f"{exc} To release the same text on purpose, give "
                           "--allow-unchanged.") from None
    for finding in done.report.findings:
        if finding.severity == Severity.WARNING:
            err.print(finding_text(finding))
    out.print(f"{shown}: released version {done.entry.version}, effective "
              f"{done.entry.date}, approved by {done.entry.approved_by}. "
              f"Compliance: {done.report.summary()}.")
    if done.compared_with is not None:
        out.print(f"Changes since {done.compared_with}: {done.changes}.")
    if done.tag:
        out.print(f"Recorded in git: committed {shown} and tagged it {done.tag}; compare "
                  f"with it using: complaints-code diff git:{done.tag}")
    else:
        out.print(f"Not tagged in git: {shown} is not in a git repository.")


COMMANDS = (check, diff, release_command)
