"""EPUB, Word and plain text: one warm on-request copy of each, rendered by
its renderer and written as the ``copy`` command writes it (target: under
300 ms each), and the engine's render alone."""

from __future__ import annotations

import tempfile
from pathlib import Path

from complaints_code.copies.request import CopyRequest, write_copy
from complaints_code.engines import docx, epub, text
from complaints_code.resources import resources
from complaints_code.settings import load_settings
from complaints_code.structure.source import load

from .harness import Result, median_seconds

TARGET_MS = 300.0
SUFFIX = {"epub": ".epub", "docx": ".docx", "text": ".txt"}


def run() -> list[Result]:
    settings = load_settings()
    code = load(settings.source)
    res = resources(settings)
    engines = {
        "epub": lambda: epub.code_epub(code, settings, res),
        "docx": lambda: docx.code_docx(code, settings),
        "text": lambda: text.code_text(code, settings),
    }
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, engine in engines.items():
            out = Path(folder) / f"copy{SUFFIX[name]}"
            size = 24 if name == "docx" else None
            def copy(n: str = name, o: Path = out, s: int | None = size) -> None:
                write_copy(code, CopyRequest.parse({"format": n, "size": s}, settings), o)

            copy_s = median_seconds(copy, repeat=20)
            render_s = median_seconds(engine, repeat=20)
            results.append(Result(f"{name}: one on-request copy, warm", copy_s * 1000, "ms",
                                  TARGET_MS, detail=f"render alone {render_s * 1000:.1f} ms, "
                                  f"{out.stat().st_size // 1024} KB"))
    return results
