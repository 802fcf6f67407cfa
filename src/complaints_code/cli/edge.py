"""The command line's edge: the only place that turns the library's typed
errors into messages and exit statuses, and the one way commands get their
settings.

Exit statuses: 0 success; 1 the work asked for failed (or, for ``check``, the
Code breaks a rule); 2 the input is wrong (an invalid source, a bad option,
setting or output path), or another build holds the folder.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from ..copies.errors import BatchError, CopyRequestInvalid
from ..errors import ComplaintsCodeError, InputError, SourceError
from ..publish import BuildLockedError
from ..settings import Settings, SettingsError, load_settings

F = TypeVar("F", bound=Callable[..., Any])

COPY_FLAGS = {"format": "--format", "size": "--size", "grade": "--grade", "cells": "--cells",
              "lines": "--lines", "font": "--font", "bold": "--bold",
              "line_spacing": "--line-spacing", "sides": "--sides", "paper": "--paper",
              "envelope": "--envelope", "name": "--name", "address_lines": "--address",
              "postcode": "--address", "reference": "--reference",
              "salutation": "--salutation", "file": "--out", "out_dir": "--out-dir",
              "merged": "--merged"}
"""The ``copy`` command's flag for each copy request field: how a problem
names the field on the command line (a batch row names its column)."""
BATCH_FLAGS = {"out_dir": "--out-dir", "merged": "--merged"}
"""Flags a batch's problems may name besides its columns."""

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def exit_status(exc: ComplaintsCodeError) -> int:
    """The exit status for a typed error."""
    return 2 if isinstance(exc, InputError | BuildLockedError) else 1


def edge(func: F) -> F:
    """Turn the library's typed errors into a message and an exit status."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SourceError as exc:
            for problem in exc.problems:
                err.print(str(problem), markup=False)
            count = len(exc.problems)
            err.print(f"{count} problem{'s' * (count != 1)} found in the source.", markup=False)
            sys.exit(exit_status(exc))
        except CopyRequestInvalid as exc:
            for found in exc.problems:
                err.print(f"error: {found.text(COPY_FLAGS)}", markup=False)
            sys.exit(exit_status(exc))
        except BatchError as exc:
            err.print(f"error: {exc.text(BATCH_FLAGS)}", markup=False)
            sys.exit(exit_status(exc))
        except SettingsError as exc:
            for line in exc.problems:
                err.print(f"settings: {line}", markup=False)
            sys.exit(exit_status(exc))
        except ComplaintsCodeError as exc:
            err.print(f"error: {exc}", markup=False)
            sys.exit(exit_status(exc))

    return wrapper  # type: ignore[return-value]


def settings(**flags: Any) -> Settings:
    """The effective settings for this command: the config file (--config or
    found from the working folder upwards), the environment, then ``flags``
    (None values are ignored)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    config: Path | None = (root.params or {}).get("config")
    return load_settings(config, flags=flags)


def source_option(func: F) -> F:
    """The --source option every command that reads the Code shares."""
    return click.option("--source", type=click.Path(path_type=Path), default=None,
                        help="The Code source YAML (default: the settings' source, "
                        "code_source/complaints-code.yaml in the project).")(func)
