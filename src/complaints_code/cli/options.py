"""The options several commands share, with only click beneath them, so
that ``complaints-code --help`` loads nothing more."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


class PathArg(click.Path):
    """A path option: click's, except that an empty one is refused (an
    empty path would mean the working folder: ``build --out ""`` would
    publish a site into it)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("the path is empty; give a file or folder name", param, ctx)
        return super().convert(value, param, ctx)


def source_option(func: F) -> F:
    """The --source option every command that reads the Code shares."""
    return click.option("--source", type=PathArg(path_type=Path), default=None,
                        help="The Code source YAML (default: the settings' source, "
                        "code_source/complaints-code.yaml in the project).")(func)
