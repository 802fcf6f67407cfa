"""The source's JSON Schema, for editors: committed, current, and correct."""

from __future__ import annotations

import jsonschema

from complaints_code.structure.schema import SCHEMA_FILE, source_schema, source_schema_text
from complaints_code.structure.source import parse_yaml
from tests.conftest import SOURCE


def test_committed_schema_is_current() -> None:
    committed = (SOURCE.parent / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == source_schema_text(), \
        "code_source schema is stale: run `make schema` and commit the result"


def test_shipped_source_satisfies_the_editor_schema() -> None:
    data, _ = parse_yaml(SOURCE.read_text(encoding="utf-8"), str(SOURCE))
    jsonschema.Draft202012Validator(source_schema()).validate(data)


def test_editor_schema_flags_a_misspelt_key() -> None:
    data, _ = parse_yaml(SOURCE.read_text(encoding="utf-8"), str(SOURCE))
    data["metadata"]["titel"] = data["metadata"].pop("title")
    messages = [e.message for e in jsonschema.Draft202012Validator(source_schema())
                .iter_errors(data)]
    assert any("'titel' was unexpected" in m for m in messages)
    assert any("'title' is a required property" in m for m in messages)


def test_source_declares_its_schema_for_the_yaml_language_server() -> None:
    first = SOURCE.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILE}"
