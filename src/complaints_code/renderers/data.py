"""The ``data`` format: the stages and timescales as JSON (with its JSON
Schema beside it) and as CSV, under ``site/data/``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .. import data
from ..model import Code
from ..output import write_atomic
from . import RenderOptions

JSON_NAME = "complaints-code.json"
SCHEMA_NAME = "complaints-code.schema.json"


def render(code: Code, options: RenderOptions, out_dir: Path) -> list[Path]:
    """Write the export, its schema and two CSV files."""
    folder = out_dir / "site" / "data"
    doc = data.export(code)
    return [
        write_atomic(folder / JSON_NAME, doc.model_dump_json(indent=2) + "\n"),
        write_atomic(folder / SCHEMA_NAME, json.dumps(data.export_schema(), indent=2) + "\n"),
        write_atomic(folder / "complaints-code-stages.csv",
                     _csv([s.model_dump() for s in doc.stages], join="timescales")),
        write_atomic(folder / "complaints-code-timescales.csv",
                     _csv([t.model_dump(mode="json") for t in doc.timescales])),
    ]


def _csv(rows: list[dict[str, object]], join: str | None = None) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else [], lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        if join:
            row = {**row, join: " ".join(str(v) for v in row[join])}  # type: ignore[attr-defined]
        writer.writerow(row)
    return buf.getvalue()
