"""`complaints-code check` on the shipped Opus Code and on edited copies: what
it reports, where, in which form, and with which exit status. `build` prints
the findings and still builds; `build --strict` refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from tests.conftest import SOURCE
from tests.legal.test_lint_rules import OMBUDSMAN, fixed

FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|note) "
                     r"(?P<rule>[A-Z0-9-]+): (?P<message>.+)$")


def where(text: str, line_text: str, word: str) -> tuple[int, int]:
    """Line and column of ``word`` on the first line that reads ``line_text``."""
    for number, line in enumerate(text.splitlines(), 1):
        if line == line_text:
            return number, line.index(word) + 1
    raise AssertionError(f"no line {line_text!r}")


def findings(output: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in map(FINDING.match, output.splitlines()) if m]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "code.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_code_reports_ofcom_and_8_weeks_at_their_lines(runner: CliRunner,
                                                                source_text: str) -> None:
    result = runner.invoke(main, ["check", "--source", str(SOURCE)])
    assert result.exit_code == 1
    found = {(f["rule"], f["severity"]): (int(f["line"]), int(f["col"]))
             for f in findings(result.output)}
    assert found[("ADR-BODY", "error")] == where(source_text, "  name: Ofcom", "Ofcom")
    assert found[("ADR-THRESHOLD", "error")] == where(source_text, "    text: 8 weeks", "8")
    assert found[("OFCOM-REFERRAL", "warning")] == where(
        source_text, "      handler will inform you that you have the right to contact Ofcom if",
        "contact Ofcom")
    assert found[("HTTPS", "warning")] == where(source_text, "      value: http://www.ofcom.org.uk/",
                                                "http")
    assert "2 errors, 10 warnings, 2 notes (rules in force on 2026-11-25, the Code's " \
        "effective date)" in result.output


def test_every_line_has_file_line_col_severity_rule_message_and_reference(
        runner: CliRunner) -> None:
    from complaints_code.legal.lint.rules import all_rules

    references = {rule.id: rule.reference for rule in all_rules()}
    result = runner.invoke(main, ["check", "--source", str(SOURCE)])
    lines = result.output.splitlines()
    found = findings(result.output)
    assert found, "the shipped Code has findings; a check printing none proves nothing"
    assert len(found) == len(lines) - 1  # the last line is the summary
    for finding in found:
        reference = references[finding["rule"]]
        assert reference.strip()
        assert finding["message"].endswith(f" ({reference})"), finding


def test_naming_the_ombudsman_and_6_weeks_clears_adr_body_and_threshold(
        runner: CliRunner, tmp_path: Path, source_text: str) -> None:
    text = re.sub(r"(?ms)^adr:\n.*?(?=^sections:)", OMBUDSMAN, source_text)
    text = text.replace("Tel: {adr:telephone} or {adr:telephone-2}", "Tel: {adr:telephone}")
    text = text.replace("text: 8 weeks\n    clock: calendar_weeks\n    amount: 8",
                        "text: 6 weeks\n    clock: calendar_weeks\n    amount: 6")
    result = runner.invoke(main, ["check", "--source", str(write(tmp_path, text))])
    rules = {f["rule"] for f in findings(result.output)}
    assert not rules & {"ADR-BODY", "ADR-THRESHOLD", "ADR-DETAILS", "HTTPS", "PHONE-CHARGED"}
    assert result.exit_code == 0  # what is left is at warning level or below


def test_as_of_before_8_april_2026_applies_the_8_week_rule(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "--source", str(SOURCE), "--as-of", "2026-04-07"])
    assert "ADR-THRESHOLD" not in result.output
    assert "(rules in force on 2026-04-07, --as-of)" in result.output


@pytest.mark.parametrize(("edit", "args", "status"), [
    (None, [], 0),
    (None, ["--strict"], 0),
    (("all complaints are logged", "all disputes are logged"), [], 0),
    (("All complaints are logged", "All disputes are logged"), ["--strict"], 1),
    (("text: 2 working days\n    clock: working_days\n    amount: 2",
      "text: 24 working hours\n    clock: working_hours\n    amount: 24"), ["--strict"], 0),
    (("name: Communications Ombudsman", "name: Ofcom"), [], 1),
], ids=["clean", "clean-strict", "warning", "warning-strict", "note-strict", "error"])
@pytest.mark.slow
def test_exit_status_counts_errors_and_with_strict_warnings_never_notes(
        runner: CliRunner, tmp_path: Path, source_text: str,
        edit: tuple[str, str] | None, args: list[str], status: int) -> None:
    text = fixed(source_text)
    if edit:
        text = text.replace(*edit)
    result = runner.invoke(main, ["check", "--source", str(write(tmp_path, text)), *args])
    assert result.exit_code == status, result.output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_an_invalid_source_exits_2_in_either_format(runner: CliRunner, tmp_path: Path,
                                                    source_text: str, fmt: str) -> None:
    text = source_text.replace("  version: \"1.0\"", "  version: one")
    result = runner.invoke(main, ["check", "--source", str(write(tmp_path, text)),
                                  "--format", fmt])
    assert result.exit_code == 2
    if fmt == "json":
        doc = json.loads(result.stdout)
        assert doc["valid"] is False
        assert doc["problems"][0]["field"] == "metadata.version"


def test_json_carries_the_same_findings_as_the_text(runner: CliRunner) -> None:
    text = runner.invoke(main, ["check", "--source", str(SOURCE)]).output
    result = runner.invoke(main, ["check", "--source", str(SOURCE), "--format", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [f"{f['path']}:{f['line']}:{f['col']}: {f['severity']} {f['rule']}: "
            f"{f['message']} ({f['reference']})" for f in doc["findings"]] == \
        text.splitlines()[:-1]
    assert doc["counts"] == {"error": 2, "warning": 10, "note": 2}
    assert doc["passed"] is False
    assert {f["field"] for f in doc["findings"] if f["rule"] == "ADR-BODY"} == {"adr.name"}


def test_as_of_must_be_a_date(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "--source", str(SOURCE), "--as-of", "8 April"])
    assert result.exit_code == 2
    assert "'8 April' does not match the format '%Y-%m-%d'" in result.output


def test_build_prints_the_findings_and_still_builds(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--source", str(SOURCE), "--only", "data",
                                  "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "error ADR-BODY" in result.stderr
    assert "note WORKING-HOURS-LITERAL" not in result.stderr  # notes are for `check`
    assert (tmp_path / "site" / "data" / "complaints-code.json").exists()


def test_build_strict_refuses_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--source", str(SOURCE), "--only", "data",
                                  "--out", str(tmp_path / "out"), "--strict"])
    assert result.exit_code == 1
    assert "--strict: not building while the compliance check reports errors or warnings" \
        in result.stderr
    assert not (tmp_path / "out").exists()


def test_build_strict_builds_a_clean_code(runner: CliRunner, tmp_path: Path,
                                          source_text: str) -> None:
    source = write(tmp_path, fixed(source_text))
    result = runner.invoke(main, ["build", "--source", str(source), "--only", "data",
                                  "--out", str(tmp_path / "out"), "--strict"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "site" / "data" / "complaints-code.json").exists()


def test_vs_code_checks_the_source_against_its_json_schema() -> None:
    root = SOURCE.parent.parent
    settings = json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    (schema, globs), = settings["yaml.schemas"].items()
    assert (root / schema).resolve() == SOURCE.parent / "complaints-code.schema.json"
    assert "code_source/complaints-code.yaml" in globs
    assert SOURCE.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=complaints-code.schema.json\n")
