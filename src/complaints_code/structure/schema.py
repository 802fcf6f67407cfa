"""The JSON Schema of the source, for editors (VS Code's YAML extension)."""

from __future__ import annotations

import json
from typing import Any

from .model import Code

SCHEMA_FILE = "complaints-code.schema.json"
"""Its name, beside the source in ``code_source/``."""


def source_schema() -> dict[str, Any]:
    """The JSON Schema that the source YAML must satisfy."""
    schema = Code.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": SCHEMA_FILE, **schema}


def source_schema_text() -> str:
    """The schema as the committed file's text."""
    return json.dumps(source_schema(), indent=2, ensure_ascii=False) + "\n"
