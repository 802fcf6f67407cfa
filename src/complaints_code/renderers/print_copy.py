"""The ``print`` format: the Code as a standard-print tagged PDF (RNIB Clear
Print, 14 point). Settings: ``[print]``."""

from __future__ import annotations

from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext
from .pdf_format import render_format


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The standard-print PDF at the format's size."""
    return render_format("print", code, settings, context)
