"""The ``complaints-code`` command line: a thin layer over the library.

One module per command group; :mod:`.edge` alone turns typed errors into
messages and exit statuses.

The group loads a command's module only when that command runs (click's
"lazy group"): ``complaints-code --help`` lists the commands from the table
below without importing any of them, and ``complaints-code check`` does not
pay for the build's, the copies' or the service's imports. The table carries
each command's one-line summary for that list; a test checks it against the
commands' own help, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import click

from .options import PathArg

COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("build", "build", "Validate the source and build every format (or those in "
              "--only), then publish them together as OUT/site."),
    "check": ("check", "check", "Validate the source, check it against the complaints rules, "
              "and check that every character can be printed and has a braille sign."),
    "config": ("admin", "config", "Print the effective settings and where each value came "
               "from: the default, the config file, the environment or a flag."),
    "copy": ("copy", "copy_command", "Make one customer's copy (large print, print, braille, "
             "EPUB, Word, plain text, audio, or the accessible PDF that is emailed), with a "
             "cover letter when --name and --address are given; or a batch with --batch."),
    "diff": ("legal", "diff", "Show what changed between two versions of the Code (a "
             "redline)."),
    "doctor": ("admin", "doctor", "Check that every piece the program needs is installed: "
               "the braille tables and the louis binding, the fonts, WeasyPrint's Pango, the "
               "speech programs, Chromium (for the tests) and the service's database."),
    "export": ("code", "export", "Export the stages and timescales as JSON for other tools."),
    "preview": ("build", "preview", "Serve the website for editing, rebuilt on every save of "
                "the source."),
    "release": ("legal", "release_command", "Record a new version: check the Code, then set "
                "its version, date and approver and add an entry to its version history; in "
                "git, commit the source and tag it (v1.1 for version 1.1)."),
    "schema": ("code", "schema", "Regenerate the source's JSON Schema for editors."),
    "serve": ("service", "serve", "Run the copy-request and feedback service and its job "
              "workers."),
    "service": ("service", "service_group", "Look after the service's data."),
    "sla": ("code", "sla", "Print every timescale's deadline for a complaint received at "
            "--raised."),
    "staff": ("admin", "staff", "Staff and legal accounts of the service."),
    "worker": ("service", "worker", "Make copies: run job workers on their own, without a "
               "web server (for a larger installation, on this machine or others sharing the "
               "queue, the database and VAR)."),
}
"""Command name -> (its module under ``complaints_code.cli``, the command
object's name there, the first sentence of its help)."""


class _Commands(MutableMapping[str, click.Command]):
    """The group's commands by name: the names are known at once, a command
    is imported the first time it is looked up."""

    def __init__(self, table: dict[str, tuple[str, str, str]]):
        self.table = table
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            if name not in self.table:
                raise KeyError(name)
            module, attribute, _ = self.table[name]
            # __import__ rather than importlib, so that -X importtime names the
            # module (the start-up benchmark's table).
            found = getattr(__import__(f"{__name__}.{module}", fromlist=[attribute]), attribute)
            assert isinstance(found, click.Command), (name, found)
            self.loaded[name] = found
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.loaded.pop(name, None)
        self.table = {k: v for k, v in self.table.items() if k != name}

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self.table, *self.loaded]))

    def __len__(self) -> int:
        return len(set(self.table) | set(self.loaded))

    def __contains__(self, name: object) -> bool:
        return name in self.table or name in self.loaded


class LazyGroup(click.Group):
    """A group whose commands (the table :data:`COMMANDS`) are imported when
    they run; its help lists them from their summaries, importing none."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.commands = _Commands(COMMANDS)
        self.summaries = {name: summary for name, (_, _, summary) in COMMANDS.items()}

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        # A stand-in command with the summary as its help shortens it as
        # click shortens the real command's help.
        rows = [(name, (click.Command(name, help=self.summaries[name])
                        if name in self.summaries else self.commands[name])
                 .get_short_help_str(limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="complaints-code")
@click.option("--config", type=PathArg(path_type=Path, dir_okay=False), default=None,
              help="The settings file (default: complaints-code.toml in the working folder "
              "or a folder above it, else the checkout's own).")
def main(config: Path | None) -> None:
    """Build every format of a telecoms Customer Complaints Code from one YAML source."""
