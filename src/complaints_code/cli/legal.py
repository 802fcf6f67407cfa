"""The legal team's commands: ``check`` (validation and the compliance lint),
the redline (``diff``) and ``release``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from ..errors import SourceError, problems_json
from ..legal.lint import Report, Severity, lint_file
from ..output import write_atomic
from ..resources import resources
from .edge import edge, err, out, settings, source_option


@click.command()
@source_option
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Apply the rules in force on this date, not the Code's effective date.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Findings as text lines, or as JSON for other tools.")
@edge
def check(source: Path | None, as_of: dt.datetime | None, strict: bool, fmt: str) -> None:
    """Validate the source, then check it against the complaints rules.

    Each finding is printed as FILE:LINE:COL: SEVERITY RULE-ID: message
    (reference). Exit status 0 when nothing is at error level (with --strict:
    nothing at error or warning level), 1 otherwise, 2 when the source is
    invalid.
    """
    path = settings(source=source).source
    sys.exit(run_check(path, as_of.date() if as_of else None, strict, fmt))


def run_check(source: Path, as_of: dt.date | None, strict: bool, fmt: str) -> int:
    """Print the compliance findings; return the exit status (0, 1 or 2)."""
    try:
        report = lint_file(source, as_of)
    except SourceError as exc:
        if fmt != "json":
            _print_problems(exc)
            return 2
        click.echo(json.dumps({"source": str(source), "valid": False,
                               "problems": problems_json(exc)}, indent=2, ensure_ascii=False))
        return 2
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


@click.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "html", "markdown"]),
              default="text", show_default=True,
              help="text for the terminal, html for a page to approve and print, markdown "
              "for a pull-request comment.")
@click.option("--out", "out_path", type=click.Path(path_type=Path),
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
    from ..legal.redline import read_version, redline
    from ..legal.redline.formats import render

    s = settings(source=source)
    path = s.source
    result = redline(read_version(old, path), read_version(new or str(path), path))
    text = render(result, fmt, resources(s).folder("redline"))
    if out_path is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out_path, text)
        err.print(f"wrote {out_path} ({len(result.changes)} changes)", markup=False)


@click.command("release")
@click.option("--version", "version", required=True, metavar="X.Y",
              help="The new version number, higher than every one so far (e.g. 1.1).")
@click.option("--date", "date", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              metavar="YYYY-MM-DD", help="The date the new version takes effect.")
@click.option("--summary", required=True, help="What changed, in a sentence or two.")
@click.option("--approved-by", help="Who approved it (default: metadata.approved_by).")
@source_option
@edge
def release_command(version: str, date: dt.datetime, summary: str, approved_by: str | None,
                    source: Path | None) -> None:
    """Record a new version: check the Code, then set its version and date and
    add an entry to its version history.

    Refuses (and changes nothing) if the check reports an error on the new
    date, or if the version is not newer than every version so far. Comments
    and layout in the file are kept as they are.
    """
    from ..legal.release import release

    source = settings(source=source).source
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


COMMANDS = (check, diff, release_command)
