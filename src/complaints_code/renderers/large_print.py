"""The ``large-print`` format: the Code as an 18 point tagged PDF (UKAAF G003),
written to ``site/downloads/``. Settings: ``templates/print/settings.toml``."""

from __future__ import annotations

from pathlib import Path

from ..model import Code
from ..output import write_atomic
from . import RenderOptions

FORMAT = "large-print"


def render(code: Code, options: RenderOptions, out_dir: Path) -> list[Path]:
    """Write the large-print PDF at the format's default size."""
    from ..engines import pdf  # WeasyPrint is heavy; only formats that need it pay

    fmt = pdf.settings(options.templates).formats[FORMAT]
    data = pdf.code_pdf(code, options.templates, fmt, fmt.size)
    return [write_atomic(out_dir / "site" / "downloads" / fmt.file, data)]
