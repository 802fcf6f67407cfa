"""The ``web`` format: the Code as an accessible MkDocs Material website.
The work is done by :mod:`complaints_code.engines.web`."""

from __future__ import annotations

from pathlib import Path

from ..engines import web
from ..model import Code
from . import RenderOptions


def render(code: Code, options: RenderOptions, out_dir: Path) -> list[Path]:
    """Build the site into ``out_dir/site``."""
    return web.render(code, options, out_dir)
