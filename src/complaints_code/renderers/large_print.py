"""The ``large-print`` format: the Code as a tagged PDF at 18 point (UKAAF
G003), or at the size a customer asks for. Settings: ``[print]``."""

from __future__ import annotations

from ..settings import Settings
from ..structure.model import Code
from . import Artifact, RenderContext
from .pdf_format import render_format


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The large-print PDF at the format's size."""
    return render_format("large-print", code, settings, context)
