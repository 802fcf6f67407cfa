"""Settings of the wrong shape (issue 19): each field takes only its own type,
a list or table of choices is never empty, a message quotes at most about
80 characters of a value, a file with a byte-order mark is read, an empty
COMPLAINTS_CODE_ variable is refused by name and a misspelt one is warned
about with the name it was probably meant to be."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.settings import SettingsError, load_settings
from tests.settings.test_settings import write_config

FIX = "fix the value (complaints-code config shows the default)"


def problems(tmp_path: Path, toml: str, env: dict[str, str] | None = None) -> list[str]:
    config = write_config(tmp_path, toml)
    with pytest.raises(SettingsError) as caught:
        load_settings(config, environ=env or {})
    return [p.replace(str(config), "CONFIG") for p in caught.value.problems]


@pytest.mark.parametrize(("toml", "message"), [
    ("[braille]\ncells = true\n", "braille.cells = true (from file CONFIG): expected a whole "
     f"number, got true (true and false are not numbers); {FIX}"),
    ("[build]\nworkers = false\n", "build.workers = false (from file CONFIG): expected a whole "
     f"number, got false (true and false are not numbers); {FIX}"),
    ("[service]\nsession_hours = true\n", "service.session_hours = true (from file CONFIG): "
     f"expected a number, got true (true and false are not numbers); {FIX}"),
    ("[braille]\ngrade = true\n", "braille.grade = true (from file CONFIG): expected one of "
     f"1, 2, got true (a flag); {FIX}"),
    ("[build]\nkeep_versions = 1\n", "build.keep_versions = 1 (from file CONFIG): expected "
     f"true or false, got 1 (a number); {FIX}"),
    ('[service]\nsecure_cookies = "yes"\n', 'service.secure_cookies = "yes" (from file '
     f'CONFIG): expected true or false, got "yes" (text); {FIX}'),
    ('[braille]\ncells = "40"\n', 'braille.cells = "40" (from file CONFIG): expected a whole '
     f'number, got the text "40"; remove the quotes: 40; {FIX}'),
    ("[braille]\ncells = 40.0\n", "braille.cells = 40.0 (from file CONFIG): expected a whole "
     f"number, got 40.0; write it without a decimal point: 40; {FIX}"),
    ("[print.formats.large-print]\nsizes = [16, true]\n", "print.formats.large-print.sizes = "
     "[16, true] (from file CONFIG): [1]: expected a whole number, got true (true and false "
     f"are not numbers); {FIX}"),
    ("[print]\nfont_choices = [1]\n", "print.font_choices = [1] (from file CONFIG): "
     f"expected a table, e.g. {{ key = value }}, got [1] (a list); {FIX}"),
    ("[audio]\nbitrate = nan\n", "audio.bitrate = NaN (from file CONFIG): expected a whole "
     f"number, got NaN (a number); {FIX}"),
])
def test_a_value_of_another_type_is_refused_naming_what_was_expected(
        tmp_path: Path, toml: str, message: str) -> None:
    assert problems(tmp_path, toml) == [message]


@pytest.mark.parametrize("toml", [
    "[print]\npaper_tints = []\n", "[print]\nbody_fonts = []\n", "[print]\nfont_choices = {}\n",
    "[print.formats.print]\nsizes = []\n", "[docx]\nsizes = []\n", "[braille]\ntables = {}\n",
])
def test_an_empty_list_or_table_of_choices_is_refused(tmp_path: Path, toml: str) -> None:
    found = problems(tmp_path, toml)
    assert len(found) == 1
    assert "the list of choices is empty; give at least one" in found[0]


def test_an_empty_list_of_braille_tables_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, "[braille.tables]\n2 = []\n")
    assert found == ["braille.tables (from file CONFIG): tables.2 is empty; list the liblouis "
                     "tables for grade 2, e.g. ['en-us-brf.dis', 'en-ueb-g2.ctb']"]


@pytest.mark.parametrize("toml", [
    f'[audio]\nvoice = "{"x" * 5000}"\n',
    f'rate_limit = [{", ".join(["1"] * 3000)}]\n',
    f'[{"k" * 3000}]\na = 1\n',
    f"[print.formats.print]\nsizes = [{', '.join(str(n) for n in range(20, 3000))}]\n",
])
def test_a_message_quotes_at_most_about_80_characters_of_a_value(tmp_path: Path,
                                                                 toml: str) -> None:
    found = problems(tmp_path, toml)
    assert found
    for line in found:
        assert len(line.replace("CONFIG", "")) < 400, line
        assert "characters)" in line or "…" in line


def test_a_config_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    config = tmp_path / "complaints-code.toml"
    config.write_bytes("\ufeff[braille]\ncells = 32\n".encode())
    assert load_settings(config, environ={}).braille.cells == 32


@pytest.mark.parametrize("name", ["COMPLAINTS_CODE_OUT", "COMPLAINTS_CODE_BRAILLE__CELLS",
                                  "COMPLAINTS_CODE_SERVICE_URL"])
def test_an_empty_environment_variable_is_refused_by_name(tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(main, ["build", "--only", "data", "--out", str(tmp_path / "o")],
                                env={name: ""})
    assert (result.exit_code, result.stderr) == (
        2, f"settings: {name} is empty; give it a value, or unset it (unset {name})\n")
    assert not (tmp_path / "o").exists()


def test_an_empty_path_from_a_flag_or_the_file_is_refused(tmp_path: Path) -> None:
    assert problems(tmp_path, 'out = ""\n') == [
        'out = "" (from file CONFIG): the path is empty; give a file or folder name; ' + FIX]
    with pytest.raises(SettingsError) as caught:
        load_settings(environ={}, flags={"out": ""})
    assert caught.value.problems[0].startswith('out = "" (from flag --out): the path is empty')


def test_a_misspelt_variable_is_ignored_with_a_warning_naming_the_likely_one() -> None:
    result = CliRunner().invoke(main, ["config", "--json"],
                                env={"COMPLAINTS_CODE_BRAILE__CELLS": "32",
                                     "COMPLAINTS_CODE_OUTT": "x"})
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "settings: warning: COMPLAINTS_CODE_BRAILE__CELLS is not a setting, so it is ignored; "
        "did you mean COMPLAINTS_CODE_BRAILLE__CELLS?\n"
        "settings: warning: COMPLAINTS_CODE_OUTT is not a setting, so it is ignored; did you "
        "mean COMPLAINTS_CODE_OUT?\n")
    assert json.loads(result.stdout)["settings"]["braille.cells"]["value"] == 40


def test_a_key_missing_from_a_table_is_blamed_on_where_the_table_was_given(
        tmp_path: Path) -> None:
    assert problems(tmp_path, "[print.font_choices.plain]\nfiles = ['a.ttf', 'b.ttf']\n") == [
        "print.font_choices.plain.label (from file CONFIG): missing; every "
        "print.font_choices.plain table needs it (complaints-code config shows the defaults)"]


def test_a_trusted_proxy_that_is_no_address_is_refused(tmp_path: Path) -> None:
    # It once passed here and stopped `serve` with a traceback.
    assert problems(tmp_path, '[service]\ntrusted_proxies = ["10.0.0.0/8", "proxy"]\n') == [
        'service.trusted_proxies = ["10.0.0.0/8", "proxy"] (from file CONFIG): "proxy" is not '
        "an IP address or network; write one like 10.0.0.5 or 10.0.0.0/8; " + FIX]


def test_a_very_long_unknown_variable_is_named_shortened_with_its_length() -> None:
    name = "COMPLAINTS_CODE_" + "X" * 3000
    result = CliRunner().invoke(main, ["config", "--json"], env={name: "1"})
    assert result.stderr == (f"settings: warning: {name[:78]}… (3,018 characters) is not a "
                             "setting, so it is ignored; complaints-code config lists every "
                             "setting\n")


def test_environment_text_is_read_as_its_settings_type() -> None:
    s = load_settings(environ={"COMPLAINTS_CODE_BRAILLE__GRADE": "1",
                               "COMPLAINTS_CODE_SERVICE__SECURE_COOKIES": "False",
                               "COMPLAINTS_CODE_SERVICE__SESSION_HOURS": "1.5",
                               "COMPLAINTS_CODE_PRINT__FORMATS__PRINT__SIZES": "[12, 14, 16]",
                               "COMPLAINTS_CODE_BUILD": '{"workers": 3}'})
    assert (s.braille.grade, s.service.secure_cookies, s.service.session_hours) == (1, False, 1.5)
    assert (s.print.formats["print"].sizes, s.build.workers) == ((12, 14, 16), 3)
    assert s.origin("build.workers") == "environment COMPLAINTS_CODE_BUILD"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("COMPLAINTS_CODE_SERVICE__SECURE_COOKIES", "1", 'service.secure_cookies = "1" (from '
     "environment COMPLAINTS_CODE_SERVICE__SECURE_COOKIES): expected true or false, got \"1\" "
     f"(text); {FIX}"),
    ("COMPLAINTS_CODE_SERVICE__TRUSTED_PROXIES", "[1.2.3.4", "COMPLAINTS_CODE_SERVICE__TRUSTED_"
     'PROXIES = "[1.2.3.4": not JSON (Expecting \',\' delimiter: line 1 column 5 (char 4)); '
     'write it in JSON, e.g. ["a", "b"]'),
])
def test_environment_text_of_another_type_is_refused(name: str, value: str,
                                                     message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(environ={name: value})
    assert caught.value.problems == [message]
