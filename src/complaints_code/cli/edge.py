"""The command line's edge: the only place that turns the library's typed
errors into messages and exit statuses, and the one way commands get their
settings.

Exit statuses: 0 success; 1 the work asked for failed (or, for ``check``, the
Code breaks a rule); 2 the input is wrong (an invalid source, a bad option,
setting or output path), or another build holds the folder; 130 stopped by
Ctrl-C (SIGINT), 143 stopped by SIGTERM.

Nothing a user wrote is ever read as console markup: the consoles here have
rich's markup, emoji codes and highlighting turned off, so a source line
``:100:`` or a file named ``[bold].yaml`` prints as it is.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from ..copies.errors import BatchError, CopyRequestInvalid
from ..errors import BusyError, ComplaintsCodeError, InputError, Problem, SourceError
from ..processes.interrupts import NAMES, Interrupted, handling_signals
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

err = Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)
out = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)

_UNCHANGED = "complaints_code.unchanged"


def exit_status(exc: ComplaintsCodeError) -> int:
    """The exit status for a typed error."""
    return 2 if isinstance(exc, InputError | BusyError) else 1


def edge(func: F) -> F:
    """Turn the library's typed errors into a message and an exit status,
    and Ctrl-C or SIGTERM into one line and 130 or 143."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with handling_signals():
            try:
                return func(*args, **kwargs)
            except (KeyboardInterrupt, Interrupted) as exc:
                sys.exit(stopped(exc))
            except ComplaintsCodeError as exc:
                for line in error_lines(exc):
                    err.print(line)
                sys.exit(exit_status(exc))

    return wrapper  # type: ignore[return-value]


def error_lines(exc: ComplaintsCodeError) -> list[str]:
    """What the command prints for a typed error, line by line: each of a
    source's or a request's problems, or the one message."""
    if isinstance(exc, SourceError):
        count = len(exc.problems)
        return [*(problem_text(problem) for problem in exc.problems),
                f"{count} problem{'s' * (count != 1)} found in the source."]
    if isinstance(exc, CopyRequestInvalid):
        return [f"error: {here(found.text(COPY_FLAGS))}" for found in exc.problems]
    if isinstance(exc, BatchError):
        return [f"error: {here(exc.text(BATCH_FLAGS))}"]
    if isinstance(exc, SettingsError):
        return [f"settings: {line}" for line in exc.problems]
    return [f"error: {here(str(exc))}"]


def unchanged(what: str) -> None:
    """Say what an interruption of the running command leaves as it was
    (e.g. "nothing was published; the site at dist/site is as it was"), for
    the one line printed if it is stopped."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().meta[_UNCHANGED] = what


def stopped(exc: BaseException) -> int:
    """Print the one line that says what an interruption stopped, and return
    the exit status (130 for SIGINT, 143 for SIGTERM)."""
    signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
    ctx = click.get_current_context(silent=True)
    name = ctx.command_path if ctx is not None else "complaints-code"
    left = (ctx.find_root().meta.get(_UNCHANGED) if ctx is not None else None) or \
        "nothing was written"
    after = exc.after if isinstance(exc, Interrupted) else None
    if after:
        err.print(f"{name}: stopped by {NAMES[signum]} after {after}.")
    else:
        err.print(f"{name}: stopped by {NAMES[signum]}; {left}.")
    return 128 + signum


def settings(flag_names: Mapping[str, str] | None = None, **flags: Any) -> Settings:
    """The effective settings for this command: the config file (--config or
    found from the working folder upwards), the environment, then ``flags``
    (None values are ignored; ``flag_names`` spells a flag that is not
    named after its setting, e.g. ``{"service.purge_after_days": "--days"}``).
    Prints a warning for each ``COMPLAINTS_CODE_*`` variable that names no
    setting."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    config: Path | None = (root.params or {}).get("config")
    loaded = load_settings(config, flags=flags, flag_names=flag_names)
    for warning in loaded.warnings:
        err.print(f"settings: warning: {warning}")
    return loaded


def relative(path: str | Path) -> str:
    """A path as the user reads it: relative to the working folder when it
    is under it (``code_source/complaints-code.yaml``), else as it is."""
    text = str(path)
    for base in _bases():
        if text.startswith(base + os.sep):
            return text[len(base) + 1:]
    return text


def here(message: str) -> str:
    """A message with every absolute path under the working folder written
    relative to it."""
    for base in _bases():
        message = re.sub(r"(?<![\w./-])" + re.escape(base + os.sep), "", message)
    return message


def _bases() -> list[str]:
    try:
        cwd = Path.cwd()
    except OSError:  # the working folder was removed
        return []
    return list(dict.fromkeys((str(cwd), str(cwd.resolve()))))


def problem_text(problem: Problem) -> str:
    """A source problem's line, its path relative to the working folder."""
    return str(_relocated(problem))


def _relocated(item: Any) -> Any:
    return dataclasses.replace(item, path=relative(item.path))


def finding_text(finding: Any) -> str:
    """A compliance finding's line, its path relative to the working folder."""
    return str(_relocated(finding))
