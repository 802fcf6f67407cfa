"""The ``data`` format: the stages and timescales for other tools, under
``data/``: the JSON export and its JSON Schema, one CSV file per table, and
the Frictionless Data Package descriptor (``datapackage.json``) that
describes the CSV files (types, units, time zone, list separator).

The CSV files are UTF-8 with a byte-order mark, so that Excel reads them as
UTF-8 (without it, "08:30–17:30" shows as "08:30â€“17:30"); pandas, the csv
module with ``utf-8-sig`` and Frictionless read the mark as what it is.
"""

from __future__ import annotations

import csv
import io
import json

from ..settings import Settings
from ..structure.model import Code
from ..timescales import records as data
from ..timescales import tables as tabular
from . import Artifact, RenderContext, artifact

FOLDER = "data/"
JSON_NAME = FOLDER + "complaints-code.json"
SCHEMA_NAME = FOLDER + tabular.EXPORT_SCHEMA_NAME
PACKAGE_NAME = FOLDER + "datapackage.json"
BOM = "\ufeff"


def render(code: Code, settings: Settings, context: RenderContext) -> list[Artifact]:
    """The export, its schema, the CSV files and their Data Package descriptor."""
    doc = data.export(code)
    tables = tabular.tables(code)
    schema = data.export_schema(tabular.data_url(code, tabular.EXPORT_SCHEMA_NAME))
    return [
        artifact(JSON_NAME, doc.model_dump_json(indent=2) + "\n",
                 label="Stages and timescales as data", kind="JSON"),
        artifact(SCHEMA_NAME, json.dumps(schema, indent=2) + "\n",
                 media_type="application/schema+json"),
        *(artifact(FOLDER + t.path, _csv(t), media_type="text/csv; charset=utf-8")
          for t in tables),
        artifact(PACKAGE_NAME, json.dumps(tabular.descriptor(code, tables), indent=2,
                                          ensure_ascii=False) + "\n",
                 media_type="application/json"),
    ]


def inputs(code: Code, settings: Settings) -> object:
    """What the export is made from, for the build's fingerprint: a paragraph
    edit leaves it untouched."""
    return {"export": data.export(code).model_dump(mode="json"),
            "published_url": code.metadata.published_url}


def _csv(table: tabular.Table) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    writer.writerows(table.rows)
    return BOM + buf.getvalue()
