"""The committed JSON Schema, checked by a third-party validator that checks
formats (check-jsonschema), as an editor would: it accepts the shipped source
and rejects wrong values, with no help from the code that generated it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SOURCE

SCHEMA = SOURCE.parent / "complaints-code.schema.json"
CHECK = Path(sys.executable).parent / "check-jsonschema"


def _check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CHECK), "--schemafile", str(SCHEMA), str(path)],
                          capture_output=True, text=True, check=False, timeout=120)


def test_the_committed_schema_accepts_the_shipped_source() -> None:
    result = _check(SOURCE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok -- validation done"


@pytest.mark.parametrize(("old", "new", "complaint"), [
    ('opens: "08:30"', 'opens: "8:30"', "'8:30' does not match"),
    ('closes: "17:30"', 'closes: "25:00"', "'25:00' does not match"),
    ('opens: "08:30"', 'opens: "08:30 am"', "'08:30 am' does not match"),
    ("postcode: SW19 2TJ", "postcode: sw19 2tj", "'sw19 2tj' does not match"),
    ("effective_date: 2026-11-25", "effective_date: 25/11/2026", "is not a 'date'"),
    ("  - id: telephone\n", "  - id: Telephone\n", "'Telephone' does not match"),
    ("  timezone: Europe/London\n", "  timezone: Europe/London\n  colour: red\n",
     "Additional properties are not allowed ('colour' was unexpected)"),
])
@pytest.mark.slow
def test_the_committed_schema_rejects_a_wrong_value(tmp_path: Path, source_text: str, old: str,
                                                    new: str, complaint: str) -> None:
    assert old in source_text
    wrong = tmp_path / "complaints-code.yaml"
    wrong.write_text(source_text.replace(old, new, 1), encoding="utf-8")
    result = _check(wrong)
    assert result.returncode == 1
    assert complaint in result.stdout
