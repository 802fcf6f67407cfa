"""`complaints-code release`: checks first, refuses a version that is not
newer, and records the version, date and history entry without disturbing
the rest of the file."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.structure.source import load
from tests.legal.test_lint_rules import fixed

ARGS = ["--version", "1.1", "--date", "2026-12-01", "--summary",
        "Disputes now go to the Communications Ombudsman, after 6 weeks.",
        "--approved-by", "Jane Smith, General Counsel"]
APPROVED = ["--approved-by", "Jane Smith, General Counsel"]


@pytest.fixture
def clean(tmp_path: Path, source_text: str) -> Path:
    """A copy of the Code that passes the check."""
    path = tmp_path / "code.yaml"
    path.write_text(fixed(source_text), encoding="utf-8")
    return path


def release(runner: CliRunner, path: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, ["release", "--source", str(path), *args])
    return result.exit_code, result.output


def test_release_changes_only_version_date_and_history(runner: CliRunner, clean: Path) -> None:
    before = clean.read_text(encoding="utf-8")
    status, output = release(runner, clean, *ARGS[:-2], "--approved-by", "Jane Smith, Legal")
    assert status == 0, output
    after = clean.read_text(encoding="utf-8")
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert [line for line in diff if line[0] == "-"] == [
        '-  version: "1.0"', "-  effective_date: 2026-11-25",
        "-  approved_by: Opus Telecoms Legal Team"]
    assert [line for line in diff if line[0] == "+"] == [
        '+  version: "1.1"', "+  effective_date: 2026-12-01",
        '+  approved_by: "Jane Smith, Legal"',
        '+  - version: "1.1"', "+    date: 2026-12-01",
        '+    summary: "Disputes now go to the Communications Ombudsman, after 6 weeks."',
        '+    approved_by: "Jane Smith, Legal"']
    assert "# The seed text states no dates or approver" in after  # comments kept
    code = load(clean)
    assert (code.metadata.version, str(code.metadata.effective_date)) == ("1.1", "2026-12-01")
    assert [c.version for c in code.changes] == ["1.0", "1.1"]
    assert "released version 1.1, effective 2026-12-01, approved by Jane Smith, Legal" in output


@pytest.mark.parametrize("approved", [[], ["--approved-by", " "]])
def test_release_asks_who_approved_it_every_time(runner: CliRunner, clean: Path,
                                                 approved: list[str]) -> None:
    assert release(runner, clean, *ARGS)[0] == 0
    before = clean.read_bytes()
    status, output = release(runner, clean, "--version", "1.2", "--date", "2027-01-04",
                             "--summary", "Typo.", *approved)
    assert status == 2
    assert ("Missing option '--approved-by'" in output if not approved else output ==
            'error: who approved the release is empty; give their name and role, e.g. "Jane '
            'Smith, General Counsel"\n')
    assert clean.read_bytes() == before  # the last approver is never carried over


def test_a_second_release_goes_after_the_first(runner: CliRunner, clean: Path) -> None:
    assert release(runner, clean, *ARGS)[0] == 0
    status, output = release(runner, clean, "--version", "1.10", "--date", "2027-01-04",
                             "--summary", "Typo: \"complaint\" spelled right.",
                             "--approved-by", "A. N. Other, Legal")
    assert status == 0, output
    code = load(clean)
    assert [(c.version, c.summary) for c in code.changes][1:] == [
        ("1.1", "Disputes now go to the Communications Ombudsman, after 6 weeks."),
        ("1.10", 'Typo: "complaint" spelled right.')]


@pytest.mark.parametrize(("version", "message"), [
    ("1.0", "error: version 1.0 is not newer than the latest, 1.0; choose a higher number"),
    ("0.9", "error: version 0.9 is not newer than the latest, 1.0; choose a higher number"),
    ("1", "error: version 1 is not newer than the latest, 1.0; choose a higher number"),
])
def test_a_version_that_is_not_newer_is_refused(runner: CliRunner, clean: Path, version: str,
                                                message: str) -> None:
    before = clean.read_bytes()
    status, output = release(runner, clean, "--version", version, "--date", "2026-12-01",
                             "--summary", "x", *APPROVED)
    assert (status, output.strip()) == (1, message)
    assert clean.read_bytes() == before


@pytest.mark.parametrize(("args", "status", "message"), [
    (["--version", "v1.1", "--date", "2026-12-01", "--summary", "x"], 2,
     'error: "v1.1" is not a version number; write e.g. 1.1 or 2.0.1'),
    (["--version", "1.1", "--date", "2026-12-01", "--summary", "  "], 2,
     "error: the summary is empty; say in a sentence what changed"),
    (["--version", "1.1", "--date", "2026-11-01", "--summary", "x"], 1,
     "error: the date 2026-11-01 is before the latest version's date, 2026-11-25"),
])
def test_bad_release_details_are_refused(runner: CliRunner, clean: Path, args: list[str],
                                         status: int, message: str) -> None:
    before = clean.read_bytes()
    assert release(runner, clean, *args, *APPROVED) == (status, message + "\n")
    assert clean.read_bytes() == before


def test_release_is_refused_while_the_check_reports_errors(runner: CliRunner, tmp_path: Path,
                                                           source_text: str) -> None:
    shipped = tmp_path / "code.yaml"
    shipped.write_text(source_text, encoding="utf-8")
    status, output = release(runner, shipped, *ARGS)
    assert status == 1
    assert output.startswith("error: not released: the check reports 2 errors on 2026-12-01:\n")
    assert "error ADR-BODY" in output and "error ADR-THRESHOLD" in output
    assert shipped.read_text(encoding="utf-8") == source_text


def test_the_check_is_judged_on_the_new_date(runner: CliRunner, tmp_path: Path,
                                             source_text: str) -> None:
    # A Code effective 1 March 2026 may say 7 weeks (the 8-week rule was in
    # force); released to take effect on 1 December 2026 it may not.
    text = fixed(source_text).replace(
        "text: 6 weeks\n    clock: calendar_weeks\n    amount: 6",
        "text: 7 weeks\n    clock: calendar_weeks\n    amount: 7").replace(
        "over 6 weeks", "over 7 weeks").replace("2026-11-25", "2026-03-01")
    path = tmp_path / "code.yaml"
    path.write_text(text, encoding="utf-8")
    assert runner.invoke(main, ["check", "--source", str(path)]).exit_code == 0
    status, output = release(runner, path, *ARGS)
    assert status == 1
    assert "error ADR-THRESHOLD" in output and "after 6 weeks" in output
    assert path.read_text(encoding="utf-8") == text


def test_an_invalid_source_is_refused_with_exit_2(runner: CliRunner, tmp_path: Path,
                                                  source_text: str) -> None:
    path = tmp_path / "code.yaml"
    path.write_text(source_text.replace("  title: Customer", "  titel: Customer"),
                    encoding="utf-8")
    status, output = release(runner, path, *ARGS)
    assert status == 2
    assert "metadata.titel" in output
