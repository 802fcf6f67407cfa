"""`complaints-code check` reports, besides the rules, every character the
print fonts cannot show and every character with no braille sign, each at its
line and column, with the same exit statuses (issue 19); findings name paths
relative to the working folder (issue 17); `make check` fails with check's
status after its sentence (issue 17): make reports "Error 1" for findings and
"Error 2" for a file it cannot read (make itself then exits 2, as GNU make
always does when a recipe fails)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from tests.conftest import ROOT
from tests.legal.test_lint_rules import fixed

PRINT_REF = ("the large-print and print PDFs' fonts (print.body_fonts and "
             "print.fallback_fonts)")
BRAILLE_REF = "Unified English Braille, as the braille tables translate it (braille.tables)"


@pytest.fixture
def unshowable(tmp_path: Path, source_text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Code that passes every rule but has a check mark in its title (not
    in the print font) and an emoji in a paragraph (in neither)."""
    text = fixed(source_text).replace("  title: Customer Complaints Code\n",
                                      "  title: Customer Complaints Code ✓\n", 1)
    text = text.replace("for further information.", "for further information 😀.", 1)
    (tmp_path / "code_source").mkdir()
    path = tmp_path / "code_source" / "code.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return path


def position(path: Path, char: str) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    at = text.index(char)
    return text[:at].count("\n") + 1, at - text.rindex("\n", 0, at)


def test_check_reports_characters_that_cannot_be_printed_or_brailled(
        runner: CliRunner, unshowable: Path) -> None:
    result = runner.invoke(main, ["check", "--source", str(unshowable)])
    assert result.exit_code == 1, result.output
    (tick_line, tick_col), (smile_line, smile_col) = (position(unshowable, "✓"),
                                                      position(unshowable, "😀"))
    where = "code_source/code.yaml"  # relative to the working folder
    assert result.stdout.splitlines() == [
        f"{where}:{tick_line}:{tick_col}: error PRINT-FONT: “✓” (U+2713 CHECK MARK) is not in "
        f"the print font; replace it with ordinary letters or words ({PRINT_REF})",
        f"{where}:{smile_line}:{smile_col}: error BRAILLE-SIGN: “😀” (U+1F600 GRINNING FACE) "
        f"has no sign in Unified English Braille; replace it with ordinary letters or words "
        f"({BRAILLE_REF})",
        f"{where}:{smile_line}:{smile_col}: error PRINT-FONT: “😀” (U+1F600 GRINNING FACE) is "
        f"not in the print font; replace it with ordinary letters or words ({PRINT_REF})",
        f"{where}: 3 errors, 0 warnings, 0 notes (rules in force on 2026-11-25, the Code's "
        "effective date).",
    ]


def test_check_json_carries_the_same_findings(runner: CliRunner, unshowable: Path) -> None:
    result = runner.invoke(main, ["check", "--format", "json", "--source", str(unshowable)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["source"], data["passed"], data["counts"]["error"]) == (
        "code_source/code.yaml", False, 3)
    assert [(f["rule"], f["field"], f["path"]) for f in data["findings"]] == [
        ("PRINT-FONT", "metadata.title", "code_source/code.yaml"),
        ("BRAILLE-SIGN", "stages[5].description", "code_source/code.yaml"),
        ("PRINT-FONT", "stages[5].description", "code_source/code.yaml")]


def test_a_clean_code_passes_and_one_it_cannot_read_is_status_2(
        runner: CliRunner, tmp_path: Path, source_text: str) -> None:
    clean = tmp_path / "clean.yaml"
    clean.write_text(fixed(source_text), encoding="utf-8")
    assert runner.invoke(main, ["check", "--source", str(clean)]).exit_code == 0
    result = runner.invoke(main, ["check", "--source", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "cannot read the file" in result.stderr


@pytest.mark.slow  # runs make, which runs the installed command
@pytest.mark.parametrize(("source", "status", "sentence"), [
    ("shipped", 1, "The check found errors: see above. Fix them, then run make check again."),
    ("missing", 2, "The file could not be read: see above. Fix it, then run make check again."),
])
def test_make_check_exits_with_the_check_status_after_its_sentence(
        tmp_path: Path, source: str, status: int, sentence: str) -> None:
    path = ROOT / "code_source" / "complaints-code.yaml" if source == "shipped" else \
        tmp_path / "missing.yaml"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTS_CODE_")},
           "COMPLAINTS_CODE_SOURCE": str(path)}
    # -o setup: the set-up is done (it is make test's own prerequisite).
    done = subprocess.run(["make", "-s", "-o", "setup", "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2  # make's own status for a failed recipe
    assert done.stdout.splitlines()[-1] == sentence
    assert f"Error {status}" in done.stderr
