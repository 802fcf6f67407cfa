"""The ``check`` command: validation, the compliance lint, and the check
that every character can be printed and brailled. Run on every save by
some editors and in CI, so it loads only what it uses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

import click

from ..errors import SourceError, problems_json
from ..legal.lint import Finding, Report, Severity, lint
from ..renderers.preflight import check_renderable, coverage
from ..settings import Settings
from ..structure.source import SourceDocument, load_document
from .edge import edge, err, out, problem_text, relative, settings, unchanged
from .options import source_option


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


COMMANDS = (check,)
