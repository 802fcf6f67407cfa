"""The ``data`` format: the stages and timescales as JSON (with its JSON
Schema beside it) and as CSV, under ``data/``."""

from __future__ import annotations

import csv
import io
import json

from ..settings import Settings
from ..structure.model import Code
from ..timescales import records as data
from . import Artifact, RenderContext, artifact

JSON_NAME = "data/complaints-code.json"
SCHEMA_NAME = "data/complaints-code.schema.json"


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The export, its schema and two CSV files."""
    doc = data.export(code)
    return [
        artifact(JSON_NAME, doc.model_dump_json(indent=2) + "\n",
                 label="Stages and timescales as data", kind="JSON"),
        artifact(SCHEMA_NAME, json.dumps(data.export_schema(), indent=2) + "\n",
                 media_type="application/schema+json"),
        artifact("data/complaints-code-stages.csv",
                 _csv([s.model_dump() for s in doc.stages], join="timescales"),
                 media_type="text/csv"),
        artifact("data/complaints-code-timescales.csv",
                 _csv([t.model_dump(mode="json") for t in doc.timescales]),
                 media_type="text/csv"),
    ]


def inputs(code: Code, settings: Settings) -> object:
    """What the export is made from, for the build's fingerprint: a paragraph
    edit leaves it untouched."""
    return data.export(code).model_dump(mode="json")


def _csv(rows: list[dict[str, object]], join: str | None = None) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else [], lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        if join:
            row = {**row, join: " ".join(str(v) for v in row[join])}  # type: ignore[attr-defined]
        writer.writerow(row)
    return buf.getvalue()
