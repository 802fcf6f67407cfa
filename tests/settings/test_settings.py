"""The one settings object: config file found upwards, environment, flags,
paths resolved against the file's folder, where each value came from, and
bad values named with their key, value, origin and fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.settings import CHECKOUT, SettingsError, find_config, load_settings
from tests.conftest import ROOT


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "complaints-code.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_config_file_is_found_from_a_subfolder_and_its_paths_are_relative_to_it(
        tmp_path: Path) -> None:
    config = write_config(tmp_path / "project", 'source = "words/code.yaml"\nout = "site"\n')
    deep = tmp_path / "project" / "a" / "b"
    deep.mkdir(parents=True)
    s = load_settings(cwd=deep, environ={})
    assert s.config_file == config
    assert s.source == tmp_path / "project" / "words" / "code.yaml"
    assert s.out == tmp_path / "project" / "site"
    assert s.templates == tmp_path / "project" / "templates"  # a default: from the project
    assert s.origin("source") == f"file {config}"
    assert s.origin("templates") == "default"


def test_from_a_folder_without_a_config_file_the_checkout_s_own_is_read(
        tmp_path: Path) -> None:
    s = load_settings(cwd=tmp_path, environ={})
    assert s.config_file == find_config(tmp_path) == CHECKOUT / "complaints-code.toml"
    assert s.source == CHECKOUT / "code_source" / "complaints-code.yaml"
    assert s.templates == CHECKOUT / "templates"


def test_a_config_file_in_the_folder_or_above_comes_before_the_checkout_s(
        tmp_path: Path) -> None:
    (tmp_path / "complaints-code.toml").write_text("[braille]\ncells = 32\n")
    (tmp_path / "sub").mkdir()
    s = load_settings(cwd=tmp_path / "sub", environ={})
    assert s.config_file == tmp_path / "complaints-code.toml"
    assert s.braille.cells == 32


def test_environment_beats_the_file_and_flags_beat_both(tmp_path: Path) -> None:
    config = write_config(tmp_path, "[braille]\ncells = 32\nlines = 27\n")
    env = {"COMPLAINTS_CODE_BRAILLE__CELLS": "36", "COMPLAINTS_CODE_OUT": "env-out"}
    s = load_settings(config, cwd=tmp_path / "elsewhere", environ=env,
                      flags={"braille": {"lines": 20}, "source": None})
    assert (s.braille.cells, s.braille.lines) == (36, 20)
    assert s.origin("braille.cells") == "environment COMPLAINTS_CODE_BRAILLE__CELLS"
    assert s.origin("braille.lines") == "flag --lines"
    # A relative path in the environment is relative to the working folder.
    assert s.out == tmp_path / "elsewhere" / "env-out"
    assert s.origin("source") == "default"  # a flag left out (None) does not count


@pytest.mark.parametrize(("toml", "env", "message"), [
    ("[braille]\ncells = 5\n", {}, "braille.cells = 5 (from file {config}): Input should be "
     "greater than or equal to 20; fix the value (complaints-code config shows the default)"),
    ("", {"COMPLAINTS_CODE_BRAILLE__GRADE": "3"}, "braille.grade = 3 (from environment "
     "COMPLAINTS_CODE_BRAILLE__GRADE): Input should be 1 or 2; fix the value "
     "(complaints-code config shows the default)"),
    ("[print.formats.large-print]\nsize = 17\n", {}, "print.formats.large-print (from file "
     "{config}): size 17 is not one of sizes [16, 18, 20, 24, 28, 32]; add it to sizes or "
     "choose one of them"),
    ("[servce]\nport = 1\n", {}, "servce (from file {config}): unknown setting; did you mean "
     "service? (complaints-code config lists every setting)"),
    ('rate_limit = ["a"]\n', {}, 'rate_limit = ["a"] (from file {config}): expected text, got '
     '["a"] (a list); fix the value (complaints-code config shows the default)'),
])
def test_a_bad_value_names_the_key_the_value_where_it_came_from_and_the_fix(
        tmp_path: Path, toml: str, env: dict[str, str], message: str) -> None:
    config = write_config(tmp_path, toml)
    with pytest.raises(SettingsError) as caught:
        load_settings(config, environ=env)
    assert caught.value.problems == [message.replace("{config}", str(config))]


def test_a_config_file_that_is_not_toml_is_named_with_the_fix(tmp_path: Path) -> None:
    config = write_config(tmp_path, "[braille\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    assert caught.value.problems[0].startswith(f"{config}: ")
    assert caught.value.problems[0].endswith("; fix the TOML syntax")


def test_every_setting_has_a_docstring() -> None:
    from pydantic import BaseModel

    from complaints_code.settings import Settings

    def walk(model: type[BaseModel], prefix: str) -> list[str]:
        undocumented = []
        for name, field in model.model_fields.items():
            if not (field.description or "").strip():
                undocumented.append(prefix + name)
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                undocumented += walk(annotation, f"{prefix}{name}.")
        return undocumented

    assert walk(Settings, "") == []


def test_config_command_says_where_each_value_came_from(tmp_path: Path) -> None:
    config = write_config(tmp_path, "[braille]\ncells = 32\n")
    result = CliRunner().invoke(main, ["--config", str(config), "config", "--json"],
                                env={"COMPLAINTS_CODE_BRAILLE__LINES": "27"})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = data["settings"]
    assert data["config_file"] == str(config)
    assert rows["braille.cells"] == {"value": 32, "from": f"file {config}"}
    assert rows["braille.lines"] == {"value": 27,
                                     "from": "environment COMPLAINTS_CODE_BRAILLE__LINES"}
    assert rows["braille.grade"] == {"value": 2, "from": "default"}
    assert rows["print.formats.large-print.size"]["value"] == 18


def test_config_command_prints_each_meaning_in_a_table() -> None:
    result = CliRunner().invoke(main, ["--config", str(ROOT / "complaints-code.toml"),
                                       "config"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert f"config file: {ROOT / 'complaints-code.toml'}" in result.stdout
    assert "Cells per line." in result.stdout


def test_a_bad_setting_stops_a_command_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check"], env={"COMPLAINTS_CODE_BRAILLE__CELLS": "x"})
    assert result.exit_code == 2
    assert result.stderr.startswith('settings: braille.cells = "x" (from environment '
                                    "COMPLAINTS_CODE_BRAILLE__CELLS): expected a whole "
                                    'number, got "x" (text)')
    assert "Traceback" not in result.output


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "nope.toml"), "check"])
    assert result.exit_code == 2
    assert result.stderr == (f"settings: {tmp_path / 'nope.toml'}: the config file does not "
                             "exist; check the path given\n")


def test_doctor_reports_each_piece_and_exits_0_when_all_is_there() -> None:
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    for name in ("louis binding", "braille tables", "fonts", "WeasyPrint and Pango",
                 "website config", "Chromium (tests only)"):
        assert f"ok       {name}: " in result.stderr
    assert result.stderr.endswith("All is well.\n")


def test_doctor_names_a_missing_font_and_the_command_that_fixes_it(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "fonts").mkdir(parents=True)
    config = write_config(tmp_path, f'templates = "{templates}"\n')
    result = CliRunner().invoke(main, ["--config", str(config), "doctor"])
    assert result.exit_code == 1
    missing = templates / "fonts" / "AtkinsonHyperlegible-Regular.ttf"
    assert f"MISSING  fonts: {missing}: the font is missing" in result.stderr
    assert "fix: git checkout -- templates/fonts" in result.stderr


@pytest.mark.slow
def test_commands_work_from_another_folder(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "complaints-code"
    assert exe.exists(), f"{exe} is missing: the tests run in the project's venv (make test)"
    source = ROOT / "code_source" / "complaints-code.yaml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTS_CODE_")}
    for args in (["check", "--source", str(source)], ["copy", "--source", str(source),
                 "--format", "print", "--out", "copy.pdf"],
                 ["diff", "--source", str(source), str(source)]):
        done = subprocess.run([str(exe), *args], cwd=tmp_path, capture_output=True,
                              text=True, env=env, check=False)
        assert done.returncode in (0, 1), (args, done.stderr)  # check: 1 = findings
        assert "Traceback" not in done.stderr
    assert (tmp_path / "copy.pdf").read_bytes().startswith(b"%PDF-")
