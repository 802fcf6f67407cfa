"""Property-based tests: generated mutations of the shipped source, generated
batch files and generated `sla` times. Whatever the input, the answer is a
result or a typed error whose every problem points at a real place; never
another exception, never a traceback.

Derandomised (the same examples every run, so the suite stays reproducible)
and without deadlines (the machine is shared)."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints_code.cli import main
from complaints_code.copies import batch
from complaints_code.errors import SourceError, UsageError
from complaints_code.structure.model import Code
from complaints_code.structure.source import load, loads
from complaints_code.timescales import records as data
from tests.conftest import SOURCE, project_settings

ORIGINAL = SOURCE.read_text(encoding="utf-8")
LINES = ORIGINAL.splitlines(keepends=True)
SETTINGS = project_settings()
YAML_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")

PROPERTIES = settings(derandomize=True, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Values a person (or a spreadsheet, or a bad paste) might put where another belongs.
AWKWARD = st.sampled_from([
    "", "~", "null", "true", "false", "yes", "0", "-1", "24.0", "1e3", "1_000", "0x1F", "0o17",
    "0b101", "9" * 5000, ".inf", "-.Inf", ".NaN", "2026-13-45", "2026-02-29", "0001-01-01",
    '"24"', "'x'", "[a, b]", "{a: 1}", "[", "{", "}", "&a x", "*a", "!!binary aGk=", "!tag x",
    "|", ">-", "- item", "a: b: c", "#", "'unclosed", '"\\x00"', "\u200b", "\x00", "\x07",
    "\x0c", "\ufeff", "\u2028", "😀", "☃", "[" * 60 + "]" * 60,
])
CHARS = st.characters(codec="utf-8", exclude_categories=["Cs"])


@st.composite
def mutated_source(draw: st.DrawFn) -> str:
    """The shipped source with one to three edits: a value replaced, text
    inserted or deleted, a line duplicated, re-indented or dropped."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        n = draw(st.integers(0, len(lines) - 1))
        line = lines[n]
        op = draw(st.sampled_from(["value", "insert", "delete", "duplicate", "indent", "drop"]))
        if op == "value" and ":" in line:
            key = line.split(":", 1)[0]
            new = draw(st.one_of(AWKWARD, st.text(CHARS, max_size=12)))
            lines[n] = f"{key}: {new}\n"
        elif op == "insert":
            at = draw(st.integers(0, len(line)))
            lines[n] = line[:at] + draw(st.one_of(AWKWARD, st.text(CHARS, max_size=6))) + \
                line[at:]
        elif op == "delete":
            at = draw(st.integers(0, len(line)))
            lines[n] = line[:at] + line[at + draw(st.integers(1, 8)):]
        elif op == "duplicate":
            lines.insert(n, line)
        elif op == "indent":
            lines[n] = " " * draw(st.integers(0, 12)) + line.lstrip(" ")
        elif len(lines) > 1:
            del lines[n]
    return "".join(lines)


@pytest.mark.slow
@settings(PROPERTIES, max_examples=80)
@given(mutated_source())
def test_a_mutated_source_gives_a_model_or_problems_at_real_places(text: str) -> None:
    try:
        code = loads(text, "c.yaml")
    except SourceError as exc:
        assert exc.problems
        lines = YAML_BREAKS.split(text)
        for problem in exc.problems:
            assert problem.path == "c.yaml"
            assert 1 <= problem.line <= len(lines), str(problem)
            assert 1 <= problem.col <= len(lines[problem.line - 1]) + 2, str(problem)
            assert problem.message and "Traceback" not in str(problem)
    else:
        assert isinstance(code, Code)


VALUE = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                  st.floats(allow_nan=True), st.text(CHARS, max_size=30), AWKWARD,
                  st.lists(st.one_of(st.text(CHARS, max_size=10), st.integers()), max_size=4),
                  st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
KEY = st.one_of(st.sampled_from(batch.COLUMNS), st.text(CHARS, max_size=8))
GOOD = {"format": st.sampled_from(["large-print", "print", "braille"]),
        "size": st.sampled_from([14, 18, "24", None]),
        "name": st.sampled_from(["Ann Lee", None]),
        "address": st.sampled_from(["1 Road; London; SW1A 1AA", ["2 Lane", "LS1 1AA"], None])}


@st.composite
def batch_file(draw: st.DrawFn) -> tuple[str, str]:
    """A JSON or CSV batch file: mostly sensible rows with awkward values mixed in."""
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = {k: draw(v) for k, v in GOOD.items() if draw(st.booleans())}
        row.update(draw(st.dictionaries(KEY, VALUE, max_size=3)))
        rows.append(row)
    if draw(st.booleans()):
        return "r.json", draw(st.sampled_from([json.dumps(rows), json.dumps(rows)[:-1],
                                               json.dumps({"rows": rows})]))
    header = draw(st.lists(KEY, min_size=1, max_size=7))
    cells = st.one_of(AWKWARD, st.text(CHARS, max_size=15)).map(lambda c: c.replace('"', '""'))
    body = ["," .join(f'"{draw(cells)}"' for _ in range(draw(st.integers(0, 8))))
            for _ in range(draw(st.integers(0, 4)))]
    return "r.csv", "\n".join([",".join(header), *body]) + "\n"


@pytest.mark.slow
@settings(PROPERTIES, max_examples=120)
@given(batch_file())
def test_a_generated_batch_file_gives_jobs_or_every_problem_by_row(file: tuple[str, str]) -> None:
    name, text = file
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            jobs = batch.prepare(path, SETTINGS, out_dir=Path(folder) / "out")
        except batch.BatchError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.startswith(f"{path}:"), problem
                assert "Traceback" not in problem
        else:
            assert jobs
        assert not (Path(folder) / "out").exists()  # reading and planning write nothing


CODE = load(SOURCE)
TIMES = st.one_of(
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(
        lambda t: t.isoformat(timespec="minutes")),
    # The last week of March and October, around 01:00: London's gaps and folds.
    st.builds(lambda y, m, d, h, mi: f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}",
              st.integers(2020, 2030), st.sampled_from([3, 10]), st.integers(24, 31),
              st.integers(0, 2), st.integers(0, 59)),
    st.text(CHARS, max_size=25),
    st.sampled_from(["9999-12-31T23:59+14:00", "0001-01-01T00:00-12:00", "2026-03-29T01:30",
                     "2026-10-25T01:30", "2026-02-30T10:00", "2026-12-24T24:00", "T10:00"]),
)


@settings(PROPERTIES, max_examples=150)
@given(TIMES, st.sampled_from([None, 0, 1]))
def test_sla_gives_deadlines_or_a_time_error_for_any_time(raised: str, fold: int | None) -> None:
    try:
        result = data.deadlines(CODE, raised, fold)
    except UsageError as exc:
        assert isinstance(exc, data.TimeError)
        assert str(exc) and exc.field == "raised"
    else:
        assert all(d.due >= result.raised_at for d in result.deadlines)
        assert all(d.due.utcoffset() is not None for d in result.deadlines)


@pytest.mark.slow
@settings(PROPERTIES, max_examples=20)
@given(TIMES, st.sampled_from([None, "0", "1", "2", "x"]))
def test_sla_command_exits_0_or_2_without_a_traceback(raised: str, fold: str | None) -> None:
    args = ["sla", "--source", str(SOURCE), "--raised", raised, "--json"]
    result = CliRunner().invoke(main, args + (["--fold", fold] if fold else []))
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
