"""The ``complaints-code`` command line: a thin layer over the library.

One module per command group, each adding its commands to the one group
here; :mod:`.edge` alone turns typed errors into messages and exit statuses.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import admin, build, code, copy, legal, service
from .edge import PathArg


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="complaints-code")
@click.option("--config", type=PathArg(path_type=Path, dir_okay=False), default=None,
              help="The settings file (default: complaints-code.toml in the working folder "
              "or a folder above it, else the checkout's own).")
def main(config: Path | None) -> None:
    """Build every format of a telecoms Customer Complaints Code from one YAML source."""


for group in (build, code, copy, legal, admin, service):
    for command in group.COMMANDS:
        main.add_command(command)
