"""The ``build`` command: validate, lint, render every format in parallel
and publish the whole site at once; or, when nothing it reads has changed
since the published build, say so at once (``publish.uptodate``).

This module loads only what that answer needs. The build pipeline (the
model of the Code, the compliance lint and its calendar, the font and
braille checks, the renderers and the workers) is loaded by the command once
it knows there is work to do.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.live import Live
from rich.table import Table

from .. import renderers
from ..errors import UsageError, quoted
from ..output import human_size
from ..publish import uptodate
from ..publish.buildinfo import BuildInfo, Compliance
from .edge import edge, err, finding_text, relative, settings, unchanged
from .options import PathArg, source_option
from .ports import ensure_free

if TYPE_CHECKING:
    from ..publish.formats import FormatResult
    from ..publish.step import Published


@click.command()
@source_option
@click.option("--out", type=PathArg(path_type=Path), default=None,
              help="Build folder; the site is published as OUT/site (default: dist).")
@click.option("--only", metavar="FORMAT,...", help="Build only these formats "
              f"({', '.join(renderers.formats())}); the others are kept from the published "
              "site.")
@click.option("--service-url", default=None,
              help="Base URL of the copy-request service, for the website's links "
              "(also COMPLAINTS_CODE_SERVICE_URL).")
@click.option("--strict", is_flag=True, help="Refuse to build if the compliance check "
              "finds any error or warning.")
@click.option("--force", is_flag=True, help="Render every format, even when nothing has "
              "changed since the published build.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Formats rendered at once (default: one per core).")
@click.option("--wait", "lock_wait", type=click.FloatRange(0, 3600), default=None,
              metavar="SECONDS", help="If another build is publishing into the same folder, "
              "wait up to this long for it (default: refuse at once).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="List every file, and every compliance "
              "note.")
@edge
def build(source: Path | None, out: Path | None, only: str | None, service_url: str | None,
          strict: bool, force: bool, workers: int | None, lock_wait: float | None,
          quiet: bool, verbose: bool) -> None:
    """Validate the source and build every format (or those in --only), then
    publish them together as OUT/site.

    When nothing the build reads has changed since the published site was
    built (the source, settings, templates, fonts, the tool and its engines,
    the rules in force today), it says so and stops: that site passed every
    check on the same inputs. Otherwise formats render in parallel; one whose
    inputs have not changed is reused from the published site. If any format
    fails, nothing is published and the previous site stays as it was.
    Compliance findings are printed but do not stop the build, unless --strict.
    """
    names = chosen(only)
    s = settings({"build.lock_wait": "--wait"}, source=source, out=out,
                 service_url=service_url, build={"workers": workers, "lock_wait": lock_wait})
    unchanged(f"nothing was published; the site at {relative(s.out / 'site')} is as it was")
    # Computed before the source is read, so that what is recorded is what
    # this build was made from.
    inputs = uptodate.digest(s)
    if not force and (info := uptodate.up_to_date(s, inputs, strict=strict)):
        if not quiet:
            err.print(nothing_changed(info, s.out / "site"))
        return
    # lazy: the build pipeline (the model of the Code, the lint and its
    # calendar, the font and braille checks, the workers) takes longer to
    # import than a build with nothing to do takes in all: loaded only now.
    from ..legal.lint import Severity, check_for_build
    from ..publish.formats import pool_for
    from ..publish.step import publish
    from ..renderers.preflight import load_checked_document

    # The workers start now and import their engines while this process
    # loads, validates and checks the source (once, for every format).
    with pool_for(s, names) as pool:
        pool.start()
        # Text a format cannot show is refused before anything renders.
        code, report = check_for_build(load_checked_document(s, names), strict)
        if not quiet:
            for finding in report.findings:
                if verbose or finding.severity != Severity.NOTE:
                    err.print(finding_text(finding))
            if report.findings:
                err.print(f"compliance: {report.summary()}.")
        compliance = Compliance(errors=report.count(Severity.ERROR),
                                warnings=report.count(Severity.WARNING),
                                notes=report.count(Severity.NOTE), summary=report.summary())
        progress = _Progress(names, quiet, verbose)
        with progress:
            published = publish(code, s, names, force=force, event=progress.event,
                                wait=lambda: progress.say(f"waiting for another build into "
                                                          f"{s.out} to finish..."),
                                inputs=inputs, compliance=compliance, pool=pool)
    if not quiet:
        _summary(published, verbose)


def nothing_changed(info: BuildInfo, site: Path) -> str:
    """The one line a build with nothing to do prints."""
    found = info.compliance
    checked = (f"; compliance when built: {found.errors} error{'s' * (found.errors != 1)}, "
               f"{found.warnings} warning{'s' * (found.warnings != 1)} "
               "(complaints-code check lists them)"
               if found is not None and (found.errors or found.warnings) else "")
    return (f"Nothing has changed since version {info.code_version} was built "
            f"({info.built_at:%Y-%m-%d %H:%M} UTC): {relative(site)} is up to date"
            f"{checked}. Use --force to build it again.")


def chosen(only: str | None) -> list[str]:
    """The formats ``--only`` names (every format without it), in build
    order. Raises UsageError for a name that is not a format, or for a value
    that names none ("" or only commas), listing the formats."""
    every = renderers.formats()
    listed = f"choose from {', '.join(every)}, separated by commas, e.g. --only web,braille"
    if only is None:
        return every
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    if not wanted:
        raise UsageError(f"--only {quoted(only)} names no format; {listed}")
    unknown = [w for w in wanted if w not in every]
    if unknown:
        raise UsageError(f"--only: {quoted(unknown[0])} is not a format; {listed}")
    return [name for name in every if name in wanted]


class _Progress:
    """Per-format progress: a live table on a terminal, plain lines when
    piped or under CI."""

    def __init__(self, names: list[str], quiet: bool, verbose: bool):
        self.names, self.quiet, self.verbose = names, quiet, verbose
        self.state: dict[str, str] = {}
        self.started: dict[str, float] = {}
        live = err.is_terminal and not os.environ.get("CI") and not quiet
        self.live = Live(self._table(), console=err, transient=True) if live else None

    def __enter__(self) -> _Progress:
        if self.live:
            self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live:
            self.live.__exit__(None, None, None)

    def say(self, text: str) -> None:
        if not self.quiet:
            err.print(text)

    def event(self, kind: str, name: str, result: FormatResult | None) -> None:
        if kind == "start":
            self.started[name] = time.perf_counter()
            self.state[name] = "rendering"
        elif result is not None:
            self.state[name] = "reused" if result.reused else f"done in {result.seconds:.2f} s"
        if self.live:
            self.live.update(self._table())
        elif not self.quiet and (kind == "done" or self.verbose):
            err.print(f"{name:<12} {self.state[name]}")
        sys.stderr.flush()

    def _table(self) -> Table:
        table = Table(box=None, show_header=False)
        for name in self.names:
            table.add_row(name, self.state.get(name, "waiting"))
        return table


def _summary(published: Published, verbose: bool) -> None:
    table = Table(title=f"Published {published.site}", title_justify="left")
    table.add_column("Format")
    table.add_column("File")
    table.add_column("Size", justify="right")
    table.add_column("Time", justify="right")
    for result in published.formats:
        files = list(result.files)
        shown = files if verbose or len(files) <= 6 else _pages(files)
        took = "reused" if result.reused else f"{result.seconds:.2f} s"
        for n, (name, size) in enumerate(shown):
            first = n == 0
            table.add_row(result.name if first else "", name, human_size(size),
                          took if first else "")
        if len(shown) < len(files):
            table.add_row("", f"... and {len(files) - len(shown)} more (theme assets and "
                          "supporting files)", "", "")
    err.print(table)
    err.print(f"built and published in {published.seconds:.1f} s")


def _pages(files: list[tuple[str, int]]) -> list[tuple[str, int]]:
    # The website writes dozens of theme assets: name its pages, count the rest.
    return [f for f in files if f[0].endswith(".html") and "assets" not in f[0]][:6]


@click.command()
@click.option("--host", default=None, help="Address to listen on (default: the [web] "
              "preview_host setting, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port to listen on (default: the [web] preview_port setting, 8001).")
@edge
def preview(host: str | None, port: int | None) -> None:
    """Serve the website for editing, rebuilt on every save of the source.

    The Code page shows each saved edit at once (a mistake in the source is
    shown on the page, with its line and how to fix it), and links the files
    of the last published build. Stop it with Ctrl-C.
    """
    # lazy: MkDocs and its server take 0.3 s to import; every other command would pay
    from ..publish import preview as site_preview

    s = settings({"web.preview_host": "--host", "web.preview_port": "--port"},
                 web={"preview_host": host, "preview_port": port})
    unchanged("the preview has stopped; nothing was published")
    config = click.get_current_context().find_root().params.get("config")
    host, port = s.web.preview_host, s.web.preview_port
    ensure_free(host, port, "[web] preview_port", "--port", "the service, or another preview?")
    err.print(f"Previewing on http://{host}:{port}/ (Ctrl-C to stop)")
    site_preview.serve(s, config, host, port)


COMMANDS = (build, preview)
