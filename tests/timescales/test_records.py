"""The structured-data module: the export, its schema, and `sla --json`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.structure.model import Code
from complaints_code.timescales import records as data
from tests.conftest import ROOT


def test_export_has_the_documented_top_level_form(code: Code) -> None:
    doc = json.loads(data.export(code).model_dump_json())
    assert list(doc) == ["schema_version", "code", "calendar", "stages", "timescales"]
    assert doc["schema_version"] == data.EXPORT_SCHEMA_VERSION
    assert [s["number"] for s in doc["stages"]] == [1, 2, 3, 4, 5, 6]
    assert {t["id"]: (t["text"], t["clock"]) for t in doc["timescales"]} == {
        "acknowledge": ("24 working hours", "working_hours"),
        "handler-contact": ("48 hours", "clock_hours"),
        "resolve-or-agree-contact": ("3 working days", "working_days"),
        "adr-eligible": ("8 weeks", "calendar_weeks"),
    }


def test_export_resolves_references_in_stage_text(code: Code) -> None:
    receipt = next(s for s in data.stages(code) if s.id == "receipt")
    assert "contact you within 48 hours of your complaint" in receipt.description
    assert receipt.timescales == ["handler-contact"]


EXPECTED_SCHEMA = ROOT / "tests" / "data" / "export.expected.schema.json"
"""The export's documented form, written by hand (not generated from the model)."""


def _expected() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(EXPECTED_SCHEMA.read_text("utf-8")))


def test_export_matches_the_documented_form_written_independently(code: Code) -> None:
    doc = json.loads(data.export(code).model_dump_json())
    assert [e.message for e in _expected().iter_errors(doc)] == []


def test_the_independent_expectation_can_fail(code: Code) -> None:
    # The hand-written schema is not a rubber stamp: it refuses an export
    # whose references were left unresolved or whose amount is not a number.
    doc = json.loads(data.export(code).model_dump_json())
    doc["stages"][1]["description"] = "within {timescale:handler-contact}"
    doc["timescales"][0]["amount"] = "24"
    assert len(list(_expected().iter_errors(doc))) == 2


def test_generated_schema_accepts_what_the_documented_form_accepts(code: Code) -> None:
    doc = json.loads(data.export(code).model_dump_json())
    assert _expected().is_valid(doc)
    jsonschema.Draft202012Validator(data.export_schema()).validate(doc)


def test_export_schema_rejects_a_timescale_without_a_clock(code: Code) -> None:
    doc = json.loads(data.export(code).model_dump_json())
    del doc["timescales"][0]["clock"]
    errors = list(jsonschema.Draft202012Validator(data.export_schema()).iter_errors(doc))
    assert any("'clock' is a required property" in e.message for e in errors)


def test_sla_json_has_the_documented_form(runner: CliRunner) -> None:
    result = runner.invoke(main, ["sla", "--raised", "2026-12-24T16:00", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc) == ["raised_at", "deadlines"]
    assert doc["raised_at"] == "2026-12-24T16:00:00Z" or \
        dt.datetime.fromisoformat(doc["raised_at"]).utcoffset() == dt.timedelta(0)
    assert [list(d) for d in doc["deadlines"]] == [["id", "due", "clock", "text"]] * 4
    due = {d["id"]: d["due"] for d in doc["deadlines"]}
    assert due == {
        "acknowledge": "2026-12-31T13:00:00Z",
        "handler-contact": "2026-12-26T16:00:00Z",
        "resolve-or-agree-contact": "2026-12-31T17:30:00Z",
        "adr-eligible": "2027-02-18T16:00:00Z",
    }


def test_sla_json_in_summer_carries_the_bst_offset(runner: CliRunner) -> None:
    result = runner.invoke(main, ["sla", "--raised", "2026-07-01T09:00", "--json"])
    doc = json.loads(result.stdout)
    assert doc["raised_at"] == "2026-07-01T09:00:00+01:00"
    assert doc["deadlines"][2]["due"] == "2026-07-06T17:30:00+01:00"


def test_sla_table_lists_every_deadline_and_its_reading(runner: CliRunner) -> None:
    result = runner.invoke(main, ["sla", "--raised", "2026-12-24T16:00"], terminal_width=120)
    assert result.exit_code == 0
    assert "Thu 31 Dec 2026 13:00 GMT" in result.stdout
    assert "Thu 18 Feb 2027 16:00 GMT" in result.stdout
    assert "acknowledge: read as 24 hours of working time" in result.stdout


def test_sla_rejects_a_time_it_cannot_read(runner: CliRunner) -> None:
    result = runner.invoke(main, ["sla", "--raised", "24/12/2026"])
    assert result.exit_code == 2
    assert result.stderr == ("error: '24/12/2026' is not a date and time; write it as "
                             "YYYY-MM-DDTHH:MM, e.g. 2026-12-24T16:00\n")


def test_export_command_writes_json_and_schema(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "export.json"
    assert runner.invoke(main, ["export", "--out", str(out)]).exit_code == 0
    schema = runner.invoke(main, ["export", "--format", "schema"])
    jsonschema.Draft202012Validator(json.loads(schema.stdout)).validate(
        json.loads(out.read_text()))
