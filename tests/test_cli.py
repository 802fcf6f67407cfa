"""The command line, through its real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from complaints_code import renderers
from complaints_code.cli import main

from .conftest import ROOT, SOURCE


def test_build_only_data_writes_the_export_and_its_schema(tmp_path: Path,
                                                          runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--only", "data", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "site" / "data"
    assert sorted(p.name for p in folder.iterdir()) == [
        "complaints-code-stages.csv", "complaints-code-timescales.csv",
        "complaints-code.json", "complaints-code.schema.json"]
    assert json.loads((folder / "complaints-code.json").read_text())["schema_version"] == "1.0"
    stages_csv = (folder / "complaints-code-stages.csv").read_text().splitlines()
    assert stages_csv[0] == "id,number,title,description,timescales"
    assert stages_csv[2].startswith("receipt,2,Receipt of a complaint,")
    assert stages_csv[2].endswith(",handler-contact")


def test_build_refuses_an_invalid_source_and_writes_nothing(tmp_path: Path,
                                                            runner: CliRunner) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SOURCE.read_text().replace("  title: Customer", "  titel: Customer"))
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--source", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "unknown key 'titel'; did you mean 'title'?" in result.stderr
    assert not out.exists()


def test_build_rejects_an_unknown_format(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--only", "data,pdfx", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown format 'pdfx' in --only; choose from data")
    assert list(tmp_path.iterdir()) == []


def test_registry_lists_data_first_and_every_entry_has_a_render_function() -> None:
    assert renderers.formats()[0] == "data"
    for name in renderers.formats():
        assert callable(renderers.get(name))


def test_build_formats_py_is_a_thin_wrapper_over_build(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_formats.py"), "--only", "data", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "data" / "complaints-code.json").exists()


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    missing = [name for name in main.commands if f"complaints-code {name}" not in readme]
    assert missing == [], f"undocumented commands: {missing}"


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("## ")]
    assert "make build" in head and "make test" in head


def test_copy_command_offers_exactly_the_formats_copy_can_make() -> None:
    from complaints_code.cli import copy as cli_copy
    from complaints_code.copies import request as copy

    assert list(cli_copy.COPY_FORMATS) == copy.formats() == [
        "large-print", "print", "braille", "audio"]


def test_plain_commands_do_not_load_the_pdf_pipeline() -> None:
    # `check` and `sla` are run often; loading WeasyPrint/pikepdf would slow them.
    code = "import sys, complaints_code.cli; print('pikepdf' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
