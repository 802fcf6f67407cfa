"""The legal team's commands: the redline (``diff``) and ``release``
(``check``, run far more often, has a module of its own: ``check``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..legal.lint import Severity
from ..legal.redline import read_version, redline
from ..legal.redline.formats import render
from ..legal.release import ReleaseError, UnchangedTextError, release
from ..output import check_target, write_atomic
from ..resources import resources
from .edge import edge, err, finding_text, out, relative, settings, unchanged
from .options import PathArg, source_option


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


COMMANDS = (diff, release_command)
