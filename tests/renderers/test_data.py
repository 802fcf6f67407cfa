"""The data export as other tools read it: the Data Package validates with
Frictionless, the CSV files open in pandas and in Excel, each published file
has its own name and $id."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import frictionless
import pandas
import pytest

from complaints_code.structure.model import Code
from complaints_code.timescales import records
from tests.conftest import ROOT, render


@pytest.fixture(scope="module")
def folder(code: Code, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data format's files, written as the site holds them."""
    site = tmp_path_factory.mktemp("data")
    for item in render("data", code):
        item.write_into(site)
    return site / "data"


def _validate(folder: Path) -> frictionless.Report:
    return frictionless.validate(str(folder / "datapackage.json"))


@pytest.mark.slow
def test_the_data_package_describes_every_csv_and_frictionless_finds_it_valid(
        folder: Path) -> None:
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "frictionless"), "validate",
                           "datapackage.json"], cwd=folder, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("VALID") == 3 and "INVALID" not in done.stdout
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(r["path"] for r in package["resources"]) == sorted(
        p.name for p in folder.glob("*.csv"))


def test_a_cell_that_breaks_its_table_schema_makes_the_package_invalid(
        folder: Path, tmp_path: Path) -> None:
    for path in folder.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    timescales = tmp_path / "complaints-code-timescales.csv"
    timescales.write_text(timescales.read_text(encoding="utf-8-sig").replace(
        ",working_hours,24,hours,", ",working_hours,twenty-four,hours,"), encoding="utf-8-sig")
    errors = _validate(tmp_path).flatten(["fieldName", "type"])
    assert errors == [["amount", "type-error"]]


def test_the_tables_give_units_working_time_time_zone_and_lists_as_typed_values(
        code: Code, folder: Path) -> None:
    package = frictionless.Package(str(folder / "datapackage.json"))
    timescales = {row["id"]: row for row in package.get_resource("timescales").read_rows()}
    assert timescales["acknowledge"]["amount"] == 24
    assert timescales["acknowledge"]["unit"] == "hours"
    assert timescales["acknowledge"]["working_time_only"] is True
    assert timescales["adr-eligible"]["unit"] == "weeks"
    assert timescales["adr-eligible"]["working_time_only"] is False
    assert {row["time_zone"] for row in timescales.values()} == {"Europe/London"}
    stages = {row["id"]: row for row in package.get_resource("stages").read_rows()}
    assert stages["receipt"]["timescales"] == ["handler-contact"]
    calendar, = package.get_resource("calendar").read_rows()
    assert calendar["working_days"] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    assert (f"{calendar['opens']:%H:%M}", f"{calendar['closes']:%H:%M}") == ("08:30", "17:30")
    fields = {f["name"]: f for f in package.get_resource("stages").schema.to_descriptor()["fields"]}
    assert fields["timescales"]["delimiter"] == ";"
    assert "separated by ';'" in fields["timescales"]["description"]


def test_a_csv_opens_the_same_in_pandas_and_is_marked_as_utf8_for_excel(folder: Path) -> None:
    raw = (folder / "complaints-code-timescales.csv").read_bytes()
    # Excel takes a CSV for UTF-8 only with the byte-order mark; without it
    # "08:30–17:30" shows as "08:30â€“17:30".
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    table = pandas.read_csv(folder / "complaints-code-timescales.csv")
    assert list(table.columns)[:5] == ["id", "text", "clock", "amount", "unit"]
    assert table.loc[0, "amount"] == 24
    assert "08:30–17:30" in table.loc[0, "reading"]


def test_each_published_file_has_its_own_name_and_id(code: Code, folder: Path) -> None:
    schema = json.loads((folder / "complaints-code.export.schema.json").read_text("utf-8"))
    assert schema["$id"] == f"{code.metadata.published_url}/data/complaints-code.export.schema.json"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["id"] == f"{code.metadata.published_url}/data/datapackage.json"
    # The source's schema (code_source/complaints-code.schema.json) is another file.
    assert not (folder / "complaints-code.schema.json").exists()
    assert records.export_schema()["$id"] == "complaints-code.export.schema.json"


def test_the_export_schema_explains_the_clocks_without_citing_a_file(folder: Path) -> None:
    schema = json.loads((folder / "complaints-code.export.schema.json").read_text("utf-8"))
    clock = " ".join(schema["$defs"]["Clock"]["description"].split())
    assert "calendar_weeks (the same local time N weeks later)" in clock
    assert ".md" not in json.dumps(schema)
