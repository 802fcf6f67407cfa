"""What `check` and `make check` say, in the legal team's words: a YAML typo
is explained with its line and column, `check` never claims to have written
anything, and `make check` ends with a sentence, not make's "Error 1"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.structure.yaml_words import explain


def _check(tmp_path: Path, runner: CliRunner, text: str) -> str:
    bad = tmp_path / "code.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["check", "--source", str(bad)])
    assert result.exit_code == 2
    assert "nothing was written" not in result.stderr
    return result.stderr.replace(str(bad), "code.yaml")


def test_a_stray_question_mark_is_explained_as_a_misaligned_line(
        tmp_path: Path, runner: CliRunner, source_text: str) -> None:
    text = source_text.replace("    label: Telephone\n", "    label: Telephone\n  ? x\n", 1)
    line = text.splitlines().index("  ? x") + 1
    assert _check(tmp_path, runner, text).splitlines()[0] == (
        f"code.yaml:{line}:3: this line is not lined up with the lines around it (the YAML "
        "reader says: expected <block end>, but found '?'); usually the spaces at the start "
        "of this line are one or two too many or too few, or the line before is missing the "
        "colon after its field name; line this line up with the other fields at the same "
        "level")


def test_a_missing_colon_is_explained(tmp_path: Path, runner: CliRunner,
                                      source_text: str) -> None:
    text = source_text.replace('  version: "1.0"\n', '  version "1.0"\n', 1)
    line = text.splitlines().index('  version "1.0"') + 1
    out = _check(tmp_path, runner, text)
    assert out.startswith(f"code.yaml:{line}:3: a field name is missing its colon")
    assert "put a colon and a space after the field name" in out


def test_check_says_the_rules_were_not_checked_when_the_file_cannot_be_read(
        tmp_path: Path, runner: CliRunner, source_text: str) -> None:
    out = _check(tmp_path, runner, source_text.replace("  provider: Opus", " provider: Opus"))
    assert out.splitlines()[-1] == ("1 problem found: the file cannot be read until it is "
                                    "fixed, so the rules were not checked yet.")


@pytest.mark.parametrize(("problem", "meaning"), [
    ("found character '\\t' that cannot start any token", "there is a tab character here"),
    ("mapping values are not allowed here", "there is a colon followed by a space"),
    ("found unexpected end of stream", "a quotation mark is opened but never closed"),
    ("something new", "the layout of the file is broken here"),
])
def test_every_yaml_problem_gets_plain_words(problem: str, meaning: str) -> None:
    message, fix = explain(problem)
    assert message.startswith(meaning)
    assert message.endswith(f"(the YAML reader says: {problem})")
    assert fix
