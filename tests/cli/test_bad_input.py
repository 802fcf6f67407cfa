"""Bad input, family by family: each gets its exact message at its own place,
exit status 2 (or 1 for a failed render), no traceback, nothing half written.

The families are those of issue 11: YAML scalars the loader must type, wrong
positions, characters a format cannot show, stage numbering, sla times,
output locations and batch files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.errors import OutputError, SourceError, visible
from complaints_code.output import publish_dir, staging_dir, write_atomic
from complaints_code.renderers import preflight
from complaints_code.structure.source import MAX_DEPTH, loads, loads_document
from complaints_code.timescales import records as data
from tests.conftest import SOURCE, project_settings

ORIGINAL = SOURCE.read_text(encoding="utf-8")
SETTINGS = project_settings()


def edited(old: str, new: str, text: str = ORIGINAL) -> str:
    """The shipped source with one edit, which must apply exactly once."""
    assert text.count(old) == 1, f"edit target not unique: {old!r}"
    return text.replace(old, new)


def messages(text: str) -> list[str]:
    with pytest.raises(SourceError) as info:
        loads(text, "c.yaml")
    return [str(p) for p in info.value.problems]


AMOUNT = "c.yaml:86:13: timescales[0].amount: "
SCALARS = [
    ("amount: true", AMOUNT + "expected a whole number, got True; true and false are not "
     "numbers; write digits only, e.g. 3"),
    ("amount: 24.0", AMOUNT + "expected a whole number, got 24.0; write a whole number, "
     "without a decimal point, e.g. 3"),
    ('amount: "24"', AMOUNT + "expected a whole number, got '24'; remove the quotes: 24"),
    ("amount: 0x18", AMOUNT + "'0x18' is written in hexadecimal; write the number in "
     "ordinary digits, or in quotes if it is text"),
    ("amount: 0o30", AMOUNT + "'0o30' is written in octal; write the number in ordinary "
     "digits, or in quotes if it is text"),
    ("amount: 0b11000", AMOUNT + "'0b11000' is written in binary; write the number in "
     "ordinary digits, or in quotes if it is text"),
    ("amount: 2_4", AMOUNT + "'2_4' is not written in plain digits; write digits only, "
     "without '_', or quote the value if it is text"),
    ("amount: " + "9" * 5000, AMOUNT + "a number of 5,000 digits is too long; write at most "
     "18 digits"),
    ("amount: 100000", AMOUNT + "100000 is too large; use a number up to 10000"),
    ("amount:", "c.yaml:86:12: timescales[0].amount: the value is empty; write the value "
     "after the colon (How many hours, days or weeks.)"),
] + [(f"amount: {spelling}", AMOUNT + f"'{spelling}' is YAML's special number {kind}; write "
      "an ordinary number, or quote the value if it is text")
     for spelling, kind in [(".inf", "infinity"), ("-.Inf", "infinity"), ("+.INF", "infinity"),
                            (".nan", "not-a-number"), (".NaN", "not-a-number"),
                            (".NAN", "not-a-number")]]


@pytest.mark.slow
@pytest.mark.parametrize(("amount", "message"), SCALARS, ids=[a for a, _ in SCALARS])
def test_whole_numbers_are_whole_numbers_written_in_digits(amount: str, message: str) -> None:
    assert messages(edited("    amount: 24\n", f"    {amount}\n")) == [message]


DATE = "c.yaml:18:19: metadata.effective_date: "


@pytest.mark.parametrize(("value", "message"), [
    ("0", DATE + "expected a date, got 0; write the date as YYYY-MM-DD"),
    ('"0"', DATE + "expected a date, got '0'; write the date as YYYY-MM-DD"),
    ("1764028800", DATE + "expected a date, got 1764028800; write the date as YYYY-MM-DD"),
    ("true", DATE + "expected a date, got True; write the date as YYYY-MM-DD"),
    ("2026-11-25T10:00:00", DATE + "expected a date, got '2026-11-25T10:00:00'; write the "
     "date as YYYY-MM-DD"),
    ("2026-13-45", DATE + "expected a date, got '2026-13-45'; write the date as YYYY-MM-DD"),
    (".inf", DATE + "'.inf' is YAML's special number infinity; write an ordinary number, "
     "or quote the value if it is text"),
])
def test_dates_are_dates_written_as_dates(value: str, message: str) -> None:
    text = edited("  effective_date: 2026-11-25\n", f"  effective_date: {value}\n")
    assert messages(text) == [message]


def test_a_time_is_written_as_a_time_not_a_number() -> None:
    text = ORIGINAL.replace('  opens: "08:30"\n', "  opens: 830\n", 1)
    assert messages(text) == ['c.yaml:27:10: calendar.opens: expected a time, got 830; write '
                              'a 24-hour time in quotes, e.g. "08:30"']


def test_a_flag_is_true_or_false_not_a_number() -> None:
    text = ORIGINAL.replace("      closed_on_bank_holidays: true\n",
                            "      closed_on_bank_holidays: 1\n", 1)
    assert messages(text) == ["c.yaml:41:32: contacts[0].hours.closed_on_bank_holidays: "
                              "expected true or false, got 1; write true or false"]


CHARACTERS = [
    ("\x00", "NULL"), ("\x07", "BELL"), ("\x0c", "FORM FEED"), ("\x1b", "ESCAPE"),
    ("\x7f", "DELETE"), ("\x08", "BACKSPACE"), ("\ufffe", "")]


@pytest.mark.parametrize(("char", "name"), CHARACTERS,
                         ids=[n or "U+FFFE" for _, n in CHARACTERS])
def test_forbidden_characters_are_named_at_their_line_and_column(char: str, name: str) -> None:
    text = edited("  title: Customer Complaints Code\n",
                  f"  title: Customer{char} Complaints Code\n")
    shown = f"<U+{ord(char):04X}{' ' + name if name else ''}>"
    assert messages(text) == [f"c.yaml:15:18: the character {shown} is not allowed in the "
                              "file; delete it (most editors do not show it)"]


def test_every_forbidden_character_is_reported_not_only_the_first() -> None:
    text = edited("  title: Customer Complaints Code\n", "  title: Cust\x07omer\n\x00\n")
    assert [m.split(": ")[0] for m in messages(text)] == ["c.yaml:15:14", "c.yaml:16:1"]


def test_an_invisible_character_in_a_key_is_shown_by_name() -> None:
    text = edited("  title: Customer Complaints Code\n",
                  "  title\u200b: Customer Complaints Code\n")
    assert messages(text) == [
        "c.yaml:15:3: metadata.title<U+200B ZERO WIDTH SPACE>: unknown key "
        "'title<U+200B ZERO WIDTH SPACE>'; did you mean 'title'?"]


def test_visible_names_invisible_and_space_characters_only() -> None:
    assert visible("a b\u00a0c\u200b\t") == (
        "a b<U+00A0 NO-BREAK SPACE>c<U+200B ZERO WIDTH SPACE><U+0009 CHARACTER TABULATION>")
    assert visible("Café – £5 “ok”") == "Café – £5 “ok”"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 400, 3000])
def test_very_deep_nesting_is_reported_where_it_goes_too_deep(depth: int) -> None:
    text = edited("  title: Customer Complaints Code\n",
                  "  title: " + "[" * depth + "]" * depth + "\n")
    (message,) = messages(text)
    # The first bracket is in column 10; reported is the one that opens level
    # MAX_DEPTH + 1, however deep the nesting goes on.
    assert message.startswith(f"c.yaml:15:{10 + MAX_DEPTH}: ")
    assert message.endswith(f"the lists and mappings are nested more than {MAX_DEPTH} levels "
                            "deep; check the indentation and the brackets here; the Code "
                            "needs only a few levels")


def test_an_empty_value_points_at_its_own_line_not_the_next_key() -> None:
    text = edited("  title: Customer Complaints Code\n", "  title:\n")
    assert messages(text) == ["c.yaml:15:9: metadata.title: the value is empty; write the "
                              "value after the colon (The Code's title as printed.)"]


def _renumbered(numbers: list[int]) -> str:
    text = ORIGINAL
    for old in range(6, 0, -1):  # from the last, so that no edit meets an earlier one
        text = text.replace(f"    number: {old}\n", f"    number: @{numbers[old - 1]}\n", 1)
    return text.replace("number: @", "number: ")


@pytest.mark.parametrize(("numbers", "message"), [
    ([1, 3, 4, 5, 6, 7], "c.yaml:115:13: stages[1].number: stage number 3 comes after stage 1; "
     "number the stages 1 to 6 in order, without gaps; this one is 2"),
    ([2, 3, 4, 5, 6, 7], "c.yaml:108:13: stages[0].number: stage number 2 comes first; number "
     "the stages 1 to 6 in order, without gaps; this one is 1"),
    ([1, 2, 3, 4, 6, 5], "c.yaml:140:13: stages[4].number: stage number 6 comes after stage 4; "
     "number the stages 1 to 6 in order, without gaps; this one is 5"),
    ([1, 2, 3, 4, 5, 60], "c.yaml:148:13: stages[5].number: stage number 60 comes after stage "
     "5; number the stages 1 to 6 in order, without gaps; this one is 6"),
])
def test_stages_are_numbered_without_gaps(numbers: list[int], message: str) -> None:
    assert messages(_renumbered(numbers)) == [message]


# --- characters a format cannot show: preflight -------------------------------

def _preflight(text: str, formats: list[str]) -> list[str]:
    found = preflight.coverage(SETTINGS, formats)
    problems = preflight.check_renderable(loads_document(text, "c.yaml"),
                                          print_fonts=found.print_fonts,
                                          braille_tables=found.braille_tables,
                                          fallback_fonts=found.fallback_fonts)
    return [str(p) for p in problems]


TITLE = "c.yaml:15:35: metadata.title: "


@pytest.mark.parametrize(("char", "formats", "message"), [
    ("😀", ["large-print", "braille"], TITLE + "“😀” (U+1F600 GRINNING FACE) is not in the "
     "print font and has no sign in Unified English Braille; replace it with ordinary letters "
     "or words"),
    ("😀", ["braille"], TITLE + "“😀” (U+1F600 GRINNING FACE) has no sign in Unified English "
     "Braille; replace it with ordinary letters or words"),
    ("✓", ["print"], TITLE + "“✓” (U+2713 CHECK MARK) is not in the print font; replace it "
     "with ordinary letters or words"),
    ("\u200b", ["print"], TITLE + "<U+200B ZERO WIDTH SPACE> is not in the print font; "
     "replace it with ordinary letters or words"),
    ("✓", ["braille", "data", "web"], None),
    # Welsh and other Latin letters the body font lacks come from the PDFs'
    # fallback font, so the print formats accept them; symbols never do.
    ("Wŷn", ["large-print", "print", "braille"], None),
    ("Łukasz", ["print"], None),
    ("☎", ["print"], TITLE + "“☎” (U+260E BLACK TELEPHONE) is not in the print font; "
     "replace it with ordinary letters or words"),
])
@pytest.mark.slow
def test_characters_a_format_cannot_show_are_found_before_rendering(
        char: str, formats: list[str], message: str | None) -> None:
    text = edited("  title: Customer Complaints Code\n",
                  f"  title: Customer Complaints Code {char}\n")
    assert _preflight(text, formats) == ([message] if message else [])


def test_preflight_finds_a_character_inside_a_folded_paragraph_at_its_own_line() -> None:
    text = edited("We take all complaints seriously", "We take all complaints seriously ☃")
    line = text[: text.index("☃")].count("\n") + 1
    col = text.index("☃") - text.rindex("\n", 0, text.index("☃"))
    (message,) = _preflight(text, ["print"])
    assert message == (f"c.yaml:{line}:{col}: sections[2].blocks[0].paragraph: “☃” (U+2603 "
                       "SNOWMAN) is not in the print font; replace it with ordinary letters "
                       "or words")
    assert text.splitlines()[line - 1][col - 1] == "☃"


@pytest.mark.parametrize("formats", [["large-print"], ["braille"]])
def test_build_refuses_an_unshowable_character_and_writes_nothing(
        runner: CliRunner, tmp_path: Path, formats: list[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(edited("  title: Customer Complaints Code\n",
                          "  title: Customer Complaints Code 😀\n"), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--source", str(bad), "--out", str(out),
                                  "--only", ",".join(["data", *formats])])
    assert result.exit_code == 2
    assert f"{bad}:15:35: metadata.title: “😀” (U+1F600 GRINNING FACE)" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


# --- sla ------------------------------------------------------------------------

@pytest.mark.parametrize(("raised", "message"), [
    ("0001-01-01T00:00", "0001-01-01 is outside the years deadlines can be counted in "
     "(1900 to 2999); give the date the complaint was received"),
    ("9999-12-31T23:59", "9999-12-31 is outside the years deadlines can be counted in "
     "(1900 to 2999); give the date the complaint was received"),
    ("9999-12-31T23:59+14:00", "9999-12-31 is outside the years deadlines can be counted in "
     "(1900 to 2999); give the date the complaint was received"),
    ("1899-12-31T12:00", "1899-12-31 is outside the years deadlines can be counted in "
     "(1900 to 2999); give the date the complaint was received"),
    ("2026-03-29T01:30", "2026-03-29T01:30 does not exist in Europe/London (the clocks go "
     "forward); it could mean 2026-03-29T02:30+01:00 (BST, --fold 0) or "
     "2026-03-29T00:30+00:00 (GMT, --fold 1); give the time with its UTC offset, or choose "
     "with --fold 0 or --fold 1"),
    ("2026-10-25T01:30", "2026-10-25T01:30 happens twice in Europe/London (the clocks go "
     "back); it could mean 2026-10-25T01:30+01:00 (BST, --fold 0) or 2026-10-25T01:30+00:00 "
     "(GMT, --fold 1); give the time with its UTC offset, or choose with --fold 0 or --fold 1"),
    ("24/12/2026", "'24/12/2026' is not a date and time; write it as YYYY-MM-DDTHH:MM, e.g. "
     "2026-12-24T16:00"),
])
def test_sla_refuses_times_it_cannot_count_from(runner: CliRunner, raised: str,
                                                message: str) -> None:
    result = runner.invoke(main, ["sla", "--raised", raised])
    assert (result.exit_code, result.output) == (2, f"error: {message}\n")


@pytest.mark.parametrize(("raised", "fold", "start"), [
    ("2026-03-29T01:30", 0, "2026-03-29T02:30:00+01:00"),
    ("2026-03-29T01:30", 1, "2026-03-29T00:30:00Z"),
    ("2026-10-25T01:30", 0, "2026-10-25T01:30:00+01:00"),
    ("2026-10-25T01:30", 1, "2026-10-25T01:30:00Z"),
    ("2026-10-25T01:30+00:00", None, "2026-10-25T01:30:00Z"),
    ("2026-12-24T16:00", 1, "2026-12-24T16:00:00Z"),  # --fold changes nothing else
])
@pytest.mark.slow
def test_fold_chooses_one_reading_of_a_gap_or_fold_time(
        runner: CliRunner, raised: str, fold: int | None, start: str) -> None:
    args = ["sla", "--raised", raised, "--json"] + (["--fold", str(fold)] if fold is not None
                                                    else [])
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f'"raised_at": "{start}"' in result.output


def test_the_library_gives_both_readings_of_an_ambiguous_time(code: object) -> None:
    from complaints_code.structure.model import Code

    assert isinstance(code, Code)
    with pytest.raises(data.AmbiguousTimeError) as info:
        data.deadlines(code, "2026-10-25T01:30")
    first, second = info.value.readings
    assert info.value.field == "raised"
    assert (first.isoformat(), second.isoformat()) == (
        "2026-10-25T01:30:00+01:00", "2026-10-25T01:30:00+00:00")


# --- output locations ----------------------------------------------------------

def _commands(where: Path) -> dict[str, list[str]]:
    return {
        "export": ["export", "--out", str(where / "x.json")],
        "schema": ["schema", "--out", str(where / "s.json")],
        "diff": ["diff", "git:HEAD", "--out", str(where / "d.txt")],
        "build": ["build", "--only", "data", "--out", str(where)],
        "copy": ["copy", "--format", "print", "--out", str(where / "c.pdf")],
    }


THROUGH_A_FILE = "is a file where a folder is needed; choose another folder, or move that file away"


@pytest.mark.parametrize(("command", "message"), [
    ("export", THROUGH_A_FILE), ("schema", THROUGH_A_FILE), ("diff", THROUGH_A_FILE),
    ("copy", THROUGH_A_FILE), ("build", "is a file, not a folder; give --out a folder")])
def test_an_output_path_through_a_file_is_refused_naming_the_path(
        runner: CliRunner, tmp_path: Path, command: str, message: str) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, _commands(blocker)[command])
    assert result.exit_code == 2, result.output
    # build prints the compliance findings first; the error is the last line.
    assert result.stderr.splitlines()[-1] == f"error: {blocker}: {message}"
    assert "Traceback" not in result.output
    assert blocker.read_text(encoding="utf-8") == "keep me"


def test_an_output_file_that_is_a_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", "--out", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        2, f"error: {tmp_path}: is a folder where a file is needed; give a file name, e.g. "
           f"{tmp_path / 'out'}\n")


UNWRITABLE = Path("/sys/complaints-code-test")
"""A folder nobody can create, even root (sysfs refuses mkdir)."""
DENIED = "permission denied; choose a folder you can write to, or ask for write permission"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
@pytest.mark.parametrize(("command", "message"), [
    ("export", DENIED), ("schema", DENIED), ("diff", DENIED), ("copy", DENIED),
    ("build", "cannot be created (Operation not permitted); choose a folder you can write to "
     "with --out")])
def test_an_unwritable_output_folder_is_refused_naming_the_path(
        runner: CliRunner, command: str, message: str) -> None:
    result = runner.invoke(main, _commands(UNWRITABLE)[command])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == f"error: {UNWRITABLE}: {message}"


def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    # Root may write anywhere: as root, the command runs without the
    # capability to override file permissions (setpriv), as a user would.
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    drop = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    command = [*(drop if os.geteuid() == 0 else []), sys.executable, "-m", "complaints_code",
               "export", "--out", str(folder / "x.json")]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              cwd=tmp_path)
    finally:
        folder.chmod(0o755)
    assert (done.returncode, done.stderr) == (2, f"error: read-only: {DENIED}\n")


def test_write_atomic_raises_a_typed_error_naming_the_path(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "f" / "g" / "h.txt", "data")
    assert info.value.path == tmp_path / "f"  # the file that stands in the way
    assert info.value.hint == "choose another folder, or move that file away"


def test_a_staged_folder_is_published_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "copies"
    staged = staging_dir(target)
    (staged / "a.pdf").write_bytes(b"a")
    (staged / "b.pdf").write_bytes(b"b")
    assert not target.exists()  # nothing visible until published
    assert publish_dir(staged, target) == [target / "a.pdf", target / "b.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copies"]
    assert oct(target.stat().st_mode & 0o777) == "0o755"
