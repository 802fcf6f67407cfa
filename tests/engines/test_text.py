"""The plain text: UTF-8, lines of at most 70 characters that never split a
phone number, email or web address, postcode or timescale, headings
underlined, tables as labelled lists, every word of the Code."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.engines import text
from complaints_code.engines.html import KEEP_TOGETHER
from complaints_code.settings import Settings
from complaints_code.structure import plain
from complaints_code.structure.model import Code
from tests.conftest import SOURCE, project_settings, render

URL = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+")


def _body(code: Code, settings: Settings | None = None) -> str:
    (made,) = render("text", code, settings)
    assert made.name == "downloads/complaints-code.txt"
    assert made.media_type == "text/plain; charset=utf-8"
    return made.data().decode("utf-8")


def test_the_file_is_the_text_the_service_emails(code: Code, settings: Settings) -> None:
    assert _body(code) == text.code_text(code, settings)


def test_no_line_is_longer_than_70_characters(code: Code) -> None:
    long = [line for line in _body(code).splitlines() if len(line) > 70]
    assert long == []


def test_values_that_must_stay_together_are_never_split(code: Code) -> None:
    body = _body(code)
    whole = " ".join(body.split())
    values = {m.group(0) for line in plain.lines(code) for m in KEEP_TOGETHER.finditer(line)}
    values |= {m.group(0) for line in plain.lines(code) for m in URL.finditer(line)}
    assert "020 8545 8200" in values and "SW19 2TJ" in values
    assert "customerservice@opus-telecoms.co.uk" in values
    for value in values:
        assert value in whole
        assert any(value in line for line in body.splitlines()), f"{value!r} is split"


def test_a_narrow_width_still_never_splits_a_value(code: Code) -> None:
    narrow = project_settings(text={"width": 30})
    lines = _body(code, narrow).splitlines()
    email = "customerservice@opus-telecoms.co.uk"
    assert any(email in line for line in lines)
    too_long = [line.strip() for line in lines if len(line) > 30]
    assert too_long == [email]  # longer than a line: on a line of its own, whole
    assert "Complaint Handling and Dispute" in lines  # headings wrap too


def test_headings_are_underlined_with_equals_and_hyphens(code: Code) -> None:
    lines = _body(code).splitlines()
    for section in code.sections:
        at = lines.index(section.title)
        rule = "=" if section.level == 1 else "-"
        assert lines[at + 1] == rule * len(section.title)
        assert lines[at - 1] == ""


def test_the_title_is_ruled_above_and_below_unlike_any_heading(code: Code) -> None:
    lines = _body(code).splitlines()
    title = code.metadata.title
    assert lines[:3] == ["*" * len(title), title, "*" * len(title)]
    underlines = {lines[lines.index(s.title) + 1][0] for s in code.sections}
    assert underlines == {"=", "-"}  # main headings and sub-headings: neither is the title's
    assert all(lines[lines.index(s.title) - 1] == "" for s in code.sections)  # no rule above


def test_a_long_title_wraps_between_rules_as_long_as_its_longest_line() -> None:
    ruled = text.title("The Customer Complaints Code of a Provider with a Long Name", 30)
    assert ruled == ["*" * 30, "The Customer Complaints Code",
                     "of a Provider with a Long Name", "*" * 30]


def test_tables_become_labelled_lists(code: Code) -> None:
    body = _body(code)
    assert "\nTelephone: 020 8545 8200 (0830 – 1730 Monday to Friday" in body
    assert "\nFax: 020 8545 8215\n" in body
    assert "\nEmail: customerservice@opus-telecoms.co.uk\n" in body
    assert "\n1. Stage: Request for complaint to be raised\n" \
           "  Description: You can request to raise a complaint" in body
    assert "\t" not in body


def test_every_word_of_the_code_is_there_in_order(code: Code) -> None:
    whole = " ".join(_body(code).split())
    h = code.section("stages").blocks[0].stages  # type: ignore[union-attr]
    headings = f"{h.number}\t{h.stage}\t{h.description}"  # become each stage's labels
    at = 0
    for line in plain.lines(code):
        if line == headings:
            continue
        for cell in line.split("\t"):
            cell = " ".join(cell.split())
            if not cell:
                continue
            found = whole.find(cell, at)
            assert found >= 0, cell
            at = found


def test_the_text_is_utf_8_with_the_codes_own_characters(code: Code) -> None:
    (made,) = render("text", code)
    data = made.data()
    assert "“deadlock”".encode() in data and "–".encode() in data
    assert not data.startswith(b"\xef\xbb\xbf")  # no byte-order mark in an email body
    assert data.endswith(b".\n")


def test_copy_command_writes_a_text_copy(runner: CliRunner, tmp_path: Path,
                                         code: Code, settings: Settings) -> None:
    out = tmp_path / "smith.txt"
    result = runner.invoke(main, ["copy", "--source", str(SOURCE), "--format", "text",
                                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == text.code_text(code, settings)
