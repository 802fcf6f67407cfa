"""The command line, through its real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from complaints_code import renderers
from complaints_code.cli import main
from tests.conftest import ROOT, SOURCE


def test_build_only_data_writes_the_export_and_its_schema(tmp_path: Path,
                                                          runner: CliRunner) -> None:
    result = runner.invoke(main, ["build", "--only", "data", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "site" / "data"
    assert sorted(p.name for p in folder.iterdir()) == [
        "complaints-code-calendar.csv", "complaints-code-stages.csv",
        "complaints-code-timescales.csv", "complaints-code.export.schema.json",
        "complaints-code.json", "datapackage.json"]
    assert json.loads((folder / "complaints-code.json").read_text())["schema_version"] == "1.0"
    stages_csv = (folder / "complaints-code-stages.csv").read_text("utf-8-sig").splitlines()
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
    assert result.stderr.startswith('error: --only: "pdfx" is not a format; choose from data, ')
    assert list(tmp_path.iterdir()) == []


def test_registry_lists_data_first_and_every_renderer_takes_code_settings_and_context(
        ) -> None:
    import importlib
    import inspect

    from complaints_code.renderers import RenderContext
    from complaints_code.structure.source import load
    from tests.conftest import project_settings

    assert renderers.formats() == list(renderers.REGISTRY)
    assert renderers.formats()[0] == "data"
    for name, entry in renderers.REGISTRY.items():
        render = renderers.get(name)
        assert render is importlib.import_module(entry.module).render
        assert list(inspect.signature(render).parameters) == ["code", "settings", "context"]
    # The cheapest renderer, called through the registry, returns what it made.
    made = renderers.get("data")(load(SOURCE), project_settings(), RenderContext())
    assert made and all(item.data() for item in made)


@pytest.mark.slow
def test_build_formats_py_is_a_thin_wrapper_over_build(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_formats.py"), "--only", "data", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "data" / "complaints-code.json").exists()


def test_every_command_is_documented_in_the_readme_or_the_manual() -> None:
    docs = "\n".join(p.read_text(encoding="utf-8") for p in
                     [ROOT / "README.md", *(ROOT / "docs" / "manual").rglob("*.md")])
    assert isinstance(main, click.Group)
    missing = [name for name in main.commands if f"complaints-code {name}" not in docs]
    assert missing == [], f"undocumented commands: {missing}"


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("## ")]
    assert "make build" in head and "make test" in head


def test_copy_command_offers_exactly_the_formats_copy_can_make() -> None:
    from complaints_code.cli import copy as cli_copy
    from complaints_code.copies import offers

    assert list(cli_copy.COPY_FORMATS) == offers.names() == [
        "large-print", "print", "braille", "epub", "docx", "text", "audio", "talking-book",
        "email-pdf"]


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["check"], ["sla", "--raised", "2026-12-24T16:00"], ["export"]])
def test_plain_commands_do_not_load_the_pdf_pipeline(args: list[str]) -> None:
    # `check` and `sla` are run often; loading WeasyPrint/pikepdf would slow them.
    # The command really runs (in a fresh process), then the modules are listed.
    code = ("import sys\nfrom complaints_code.cli import main\n"
            f"try:\n    main({args!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('pikepdf', 'weasyprint') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.splitlines()[-1] == "LOADED []"
    assert len(result.stdout.splitlines()) > 1  # the command ran and printed its result


def test_help_lists_every_command_without_importing_any_engine() -> None:
    # --help is the first thing a newcomer runs: it must not wait for the PDF,
    # braille, web or service stacks. A fresh process, as a user runs it.
    heavy = ("weasyprint", "louis", "mkdocs", "fastapi", "sqlalchemy", "huey", "uvicorn",
             "pydantic_settings", "holidays", "fontTools")
    code = ("import sys\nfrom complaints_code.cli import main\n"
            "try:\n    main(['--help'], prog_name='complaints-code')\nexcept SystemExit:\n"
            "    pass\n"
            f"print('LOADED', sorted(m for m in {heavy!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.splitlines()[-1] == "LOADED []"
    listed = result.stdout[result.stdout.index("Commands:"):]
    assert all(f"  {name} " in listed for name in ("build", "check", "copy", "serve", "sla"))


def test_the_help_lists_each_command_as_its_own_help_would() -> None:
    # The lazy group lists commands from a table of summaries: the list must
    # be the one click would print with every command loaded, and the table
    # must name exactly the commands of the command modules.
    from importlib import import_module

    from complaints_code.cli import COMMANDS

    loaded = {c.name: c for module in {m for m, _, _ in COMMANDS.values()}
              for c in import_module(f"complaints_code.cli.{module}").COMMANDS}
    assert set(loaded) == set(COMMANDS)
    plain = click.Group("complaints-code", commands=loaded, params=main.params,
                        help=main.help, context_settings=main.context_settings)
    for width in (60, 80, 120):
        ours = CliRunner().invoke(main, ["--help"], terminal_width=width, prog_name="cc")
        stock = CliRunner().invoke(plain, ["--help"], terminal_width=width, prog_name="cc")
        assert ours.output == stock.output
