"""Loading and validation: every invalid input gets its own message, at the
right line, all at once, with exit status 2 and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.errors import SourceError
from complaints_code.structure.source import MAX_BYTES, loads
from tests.conftest import SOURCE

ORIGINAL = SOURCE.read_text(encoding="utf-8")


def edited(old: str, new: str) -> str:
    """The shipped source with one edit (which must apply exactly once)."""
    assert ORIGINAL.count(old) == 1, f"edit target not unique: {old!r}"
    return ORIGINAL.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """1-based line of a fragment, so tests don't hard-code line numbers."""
    return text[: text.index(fragment)].count("\n") + 1


def problems(text: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        loads(text, "c.yaml")
    return [str(p) for p in info.value.problems]


CASES = [
    pytest.param(
        '  provider: Opus Telecoms', '  provider: "Opus Telecoms', '  version:',
        "c.yaml:{line}:13: the words on this line do not fit where they are (the YAML reader "
        "says: expected <block end>, but found '<scalar>'); usually a quotation mark on this "
        "line or the one before is not closed (close it at the end of the text), or the line "
        "is not lined up with the lines around it",
        id="yaml-syntax"),
    pytest.param(
        '  title: Customer Complaints Code\n',
        '  title: Customer Complaints Code\n  title: Customer Code\n', '  title: Customer Code',
        "c.yaml:{line}:3: metadata.title: duplicate key 'title' (first given on line 15); "
        "YAML would silently keep only the last one; merge the two or remove one",
        id="duplicate-key"),
    pytest.param(
        '  title: Customer Complaints Code\n', '  titel: Customer Complaints Code\n', '  titel:',
        "c.yaml:{line}:3: metadata.titel: unknown key 'titel'; did you mean 'title'?",
        id="unknown-key"),
    pytest.param(
        '  approved_by: Opus Telecoms Legal Team\n  language', '  language', 'metadata:',
        "c.yaml:{line}:1: metadata.approved_by: 'approved_by' is missing; add 'approved_by:' "
        "(Who approved this version.)",
        id="missing-field"),
    pytest.param(
        '    number: 3\n', '    number: three\n', 'number: three',
        "c.yaml:{line}:13: stages[2].number: expected a whole number, got 'three'; "
        "write digits only, e.g. 3",
        id="wrong-type-number"),
    pytest.param(
        '  version: "1.0"', '  version: 1.0', '  version:',
        'c.yaml:{line}:12: metadata.version: expected text, got 1.0; quote the value, e.g. "1.0"',
        id="wrong-type-version"),
    pytest.param(
        '  effective_date: 2026-11-25', '  effective_date: 25/11/2026', '  effective_date:',
        "c.yaml:{line}:19: metadata.effective_date: expected a date, got '25/11/2026'; "
        "write the date as YYYY-MM-DD",
        id="wrong-type-date"),
    pytest.param(
        '    clock: working_days', '    clock: business_days', 'clock: business_days',
        "c.yaml:{line}:12: timescales[2].clock: 'business_days' is not allowed; use "
        "'working_hours', 'clock_hours', 'working_days' or 'calendar_weeks'",
        id="unknown-clock"),
    pytest.param(
        '    timescales: [handler-contact]', '    timescales: [handler-contac]',
        'handler-contac]',
        "c.yaml:{line}:18: stages[1].timescales[0]: no timescale has the id 'handler-contac'; "
        "use one of the timescale ids: acknowledge, handler-contact, "
        "resolve-or-agree-contact, adr-eligible",
        id="stage-unknown-timescale"),
    pytest.param(
        '  - id: compensation\n', '  - id: purpose\n', '  - id: purpose\n    title: Compensation',
        "c.yaml:{line}:9: sections[7].id: duplicate section id 'purpose' (first used on line "
        "183); give each section its own id",
        id="duplicate-section-id"),
    pytest.param(
        '  - id: closure\n', '  - id: receipt\n', '  - id: receipt\n    number: 4',
        "c.yaml:{line}:9: stages[3].id: duplicate stage id 'receipt' (first used on line 114); "
        "give each stage its own id",
        id="duplicate-stage-id"),
    pytest.param(
        'within {timescale:acknowledge}', 'within {timescale:ack}', '{timescale:ack}',
        "c.yaml:{line}:18: sections[4].blocks[0].paragraph: {{timescale:ack}} names no "
        "timescale; use one of the timescale ids: acknowledge, handler-contact, "
        "resolve-or-agree-contact, adr-eligible",
        id="text-unknown-reference"),
    pytest.param(
        'client\n          concerned.', 'client\n          concerned {oops}.', '{oops}',
        "c.yaml:{line}:21: sections[2].blocks[0].paragraph: '{{oops}}' is not a reference; "
        "write {{contact:ID}}, {{adr:ID}}, {{timescale:ID}} or '\\{{' for a literal brace",
        id="bad-markup"),
    pytest.param(
        '      - contacts: [telephone', '      - contact: [telephone', '- contact: [',
        "c.yaml:{line}:9: sections[3].blocks[1]: each block must have exactly one of the keys "
        "paragraph, contacts, stages or address",
        id="unknown-block-kind"),
    pytest.param(
        'postcode: SW19 2TJ', 'postcode: SW19', 'postcode: SW19',
        "c.yaml:{line}:17: contacts[5].address.postcode: 'SW19' is not in the expected form; "
        "write a UK postcode in capitals, e.g. SW19 2TJ",
        id="bad-postcode"),
    pytest.param(
        '  timezone: Europe/London', '  timezone: Europe/Londres', '  timezone:',
        "c.yaml:{line}:13: calendar.timezone: 'Europe/Londres' is not a known time zone; "
        "use e.g. Europe/London",
        id="unknown-time-zone"),
    pytest.param(
        '  provider: Opus Telecoms', '  provider: !!python/object:os.system x', '  provider:',
        "c.yaml:{line}:13: metadata.provider: the tag '!!python/object:os.system' is not "
        "allowed; remove the '!' tag; plain values are enough",
        id="unsafe-tag"),
]


@pytest.mark.parametrize(("old", "new", "at", "expected"), CASES)
def test_invalid_source_reports_exact_message_at_line(old: str, new: str, at: str,
                                                      expected: str) -> None:
    text = edited(old, new)
    assert problems(text) == [expected.format(line=line_of(text, at))]


def test_every_problem_is_reported_at_once() -> None:
    text = edited('  title: Customer Complaints Code\n', '  titel: Customer Complaints Code\n')
    text = text.replace('    number: 3\n', '    number: three\n')
    text = text.replace('    timescales: [handler-contact]', '    timescales: [nope]')
    found = problems(text)
    assert len(found) == 3
    numbers = [int(f.split(":")[1]) for f in found]
    assert numbers == sorted(numbers)


def test_anchors_and_aliases_are_refused_so_alias_bombs_cannot_expand() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    found = problems(bomb)
    assert found[0] == ("c.yaml:1:4: a: anchors and aliases (&name, *name) are not allowed; "
                        "write the value out in full")


def test_oversized_file_is_refused_before_parsing() -> None:
    found = problems("a: b\n" * (MAX_BYTES // 5 + 1))
    assert found == [f"c.yaml:1:1: the file is {MAX_BYTES + 5:,} bytes, over the limit of "
                     f"{MAX_BYTES:,}; check this is the Code source"]


@pytest.mark.parametrize(("text", "expected"), [
    ("", "c.yaml:1:1: the file is empty; start from code_source/complaints-code.yaml"),
    ("- a\n- b\n", "c.yaml:1:1: expected a mapping of keys, got list; write 'key: value' lines"),
    (b"title: caf\xe9\n", "c.yaml:1:1: the file is not valid UTF-8; save it as UTF-8"),
], ids=["empty", "not-a-mapping", "not-utf8"])
def test_unusable_files_get_one_clear_message(text: str | bytes, expected: str) -> None:
    assert problems(text)[0] == expected  # type: ignore[arg-type]


def test_yaml_12_keeps_no_as_a_word() -> None:
    # YAML 1.1 would read `no` as false; legal text must keep its words.
    text = edited('  provider: Opus Telecoms', '  provider: no')
    assert loads(text).metadata.provider == "no"


def test_model_is_immutable(code: object) -> None:
    with pytest.raises(ValueError, match="frozen"):
        code.metadata = None  # type: ignore[attr-defined]


def test_check_command_exits_2_with_messages_and_no_traceback(tmp_path: Path,
                                                               runner: CliRunner) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(edited('    number: 3\n', '    number: three\n'), encoding="utf-8")
    result = runner.invoke(main, ["check", "--source", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:{line_of(bad.read_text(), 'number: three')}:13: stages[2].number: " \
        "expected a whole number" in result.stderr
    assert "1 problem found: the file cannot be read until it is fixed, so the rules were " \
        "not checked yet." in result.stderr
    assert "nothing was written" not in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_check_command_names_a_missing_file(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", "--source", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml:1:1: cannot read the file (No such file or directory); check the " \
        "path: is the file there, and may you read it?" in result.stderr
