"""UEB and layout rules checked on the braille itself: numbers separated by a
space, blank lines around centred headings, the transcriber's note before the
tables, the title page's transcription line, duplex and the final form feed."""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise
from pathlib import Path

import louis
import pytest
from lxml import etree

from complaints_code.engines.braille import formats
from complaints_code.engines.braille.blocks import note_block, text_block
from complaints_code.engines.braille.document import compose
from complaints_code.engines.braille.layout import Formatted, Line, Pager, format_block
from complaints_code.engines.braille.translate import HARD_SPACE, to_unicode
from complaints_code.settings import BrailleSettings
from complaints_code.structure.model import Code
from tests.conftest import braille_copy as write_copy
from tests.conftest import project_settings

BRF = {1: ["en-us-brf.dis", "en-ueb-g1.ctb"], 2: ["en-us-brf.dis", "en-ueb-g2.ctb"]}
PEF_NS = {"p": "http://www.daisy.org/ns/2008/pef"}


@pytest.fixture(scope="module")
def settings() -> BrailleSettings:
    return project_settings().braille


def cells_of(code: Code, text: str, settings: BrailleSettings, style: str = "item") -> str:
    """One block's braille, its lines joined by spaces (hard spaces shown as spaces)."""
    block = text_block(code, text, style, "test", "test")  # type: ignore[arg-type]
    return " ".join(line.cells.replace(HARD_SPACE, " ").strip()
                    for line in format_block(block, settings).lines)


def pages_of(path: Path) -> list[list[str]]:
    return [page.split("\r\n")[:-1] for page in path.read_bytes().decode("ascii").split("\f")]


# --- numbers: the numeric space only inside one number ----------------------

@pytest.mark.parametrize("grade", [1, 2])
@pytest.mark.parametrize(("text", "expected"), [
    ("SW19 2TJ", ",,SW#AI #B,,TJ"),
    ("SE1 9HA", ",,SE#A #I,,HA"),
    ("W1A 1AA", ",W#A,A #A,,AA"),
    ("page 19 2 items", "PAGE #AI #B ITEMS"),
    ("020 8545 8200", '#JBJ"HEDE"HBJJ'),
    ("0845 456 3040", '#JHDE"DEF"CJDJ'),
    ("+44 20 8545 8200", '"6#DD"BJ"HEDE"HBJJ'),
])
def test_only_a_phone_number_keeps_the_numeric_space_between_digit_groups(
        code: Code, settings: BrailleSettings, grade: int, text: str, expected: str) -> None:
    assert cells_of(code, text, settings.with_options(grade=grade)) == expected
    assert louis.backTranslateString(BRF[grade], expected) == text


def test_a_postcode_in_running_text_is_two_numbers_and_back_translates(
        code: Code, settings: BrailleSettings) -> None:
    text = "Write to London SW19 2TJ or call 020 8545 8200 today."
    braille = cells_of(code, text, settings, "paragraph")
    assert braille == ',WRITE TO ,LONDON ,,SW#AI #B,,TJ OR CALL #JBJ"HEDE"HBJJ TD4'
    assert louis.backTranslateString(BRF[2], braille) == text


@pytest.mark.parametrize("grade", [1, 2])
def test_a_line_break_between_two_numbers_starts_the_next_line_with_the_numeric_indicator(
        code: Code, settings: BrailleSettings, grade: int) -> None:
    # "19 2" are two numbers, so the space between them is a place to break
    # a line; the second number then opens with its own numeric indicator.
    text = "Please turn to page 19 2 items are listed there and on page 19 2 more"
    broke = 0
    for cells in range(20, 41):
        block = text_block(code, text, "item", "test", "test")
        lines = [line.cells.strip() for line in
                 format_block(block, settings.with_options(cells=cells, grade=grade)).lines]
        assert not any(re.search(r'#[A-J]+"[A-J]', line) for line in lines), lines
        broke += any(line.startswith("#B") for line in lines)
        back = " ".join(louis.backTranslateString(BRF[grade], line) for line in lines)
        assert back == text, (cells, lines)
    assert broke, "no width broke a line between 19 and 2"


@pytest.mark.parametrize("grade", [1, 2])
def test_copies_write_postcodes_as_two_numbers_in_brf_unicode_and_pef(
        code: Code, tmp_path: Path, grade: int) -> None:
    brf, text, _ = write_copy(code, tmp_path / "c.brf", grade=grade)
    data = brf.read_bytes().decode("ascii")
    assert ",,SW#AI #B,,TJ" in data and ",,SE#A #I,,HA" in data
    assert '#AI"B' not in data and '#A"I' not in data
    assert '#JBJ"HEDE"HBJJ' in data  # the phone number is still one number
    unicode_text = text.read_text(encoding="utf-8")
    assert "⠠⠠⠎⠺⠼⠁⠊⠀⠼⠃⠠⠠⠞⠚" in unicode_text
    assert to_unicode(",,SE#A #I,,HA") in unicode_text


def test_the_published_pef_writes_postcodes_as_two_numbers(
        code: Code, settings: BrailleSettings) -> None:
    doc = compose(code, settings)
    pef = etree.fromstring(formats.pef(doc, code))
    rows = [row.text or "" for row in pef.iterfind(".//p:row", PEF_NS)]
    assert any("⠠⠠⠎⠺⠼⠁⠊⠀⠼⠃⠠⠠⠞⠚" in row for row in rows)


# --- centred headings: a blank line before and after ------------------------

def test_every_centred_heading_has_a_blank_line_before_and_after_except_at_a_page_top(
        code: Code, settings: BrailleSettings) -> None:
    doc = compose(code, settings)
    brf_pages = [page.split("\r\n") for page in formats.brf(doc).decode("ascii").split("\f")]
    seen = 0
    for page, rows in zip(doc.pages[1:], brf_pages[1:], strict=True):
        body = list(page.rows[1:])  # row 0 carries the page number
        for i, line in enumerate(body):
            if line.role != "heading1" or (i + 1 < len(body) and
                                          body[i + 1].role == "heading1"):
                continue
            seen += 1
            first = i
            while first > 0 and body[first - 1].role == "heading1":
                first -= 1
            assert first == 0 or body[first - 1].cells == "", line.text
            assert body[i + 1].cells == "", f"no blank line after {line.text!r}"
            assert rows[i + 2] == "", f"BRF: no blank line after {line.text!r}"
    assert seen >= 1 + sum(s.level == 1 for s in code.sections)  # and "Contents"


def test_no_page_starts_with_a_blank_line_or_holds_two_blank_lines_running(
        code: Code, settings: BrailleSettings) -> None:
    for cells, lines in ((40, 25), (32, 27), (20, 20)):
        doc = compose(code, settings.with_options(cells=cells, lines=lines))
        for page in doc.pages[1:]:
            rows = [line.cells for line in page.rows[1:]]
            while rows and not rows[-1]:
                rows.pop()
            assert rows[0], f"page {page.number} starts with a blank line"
            assert all(a or b for a, b in pairwise(rows)), \
                f"two blank lines running on page {page.number} at {cells}x{lines}"


def test_a_heading_followed_by_a_spaced_block_gets_one_blank_line_not_two(
        settings: BrailleSettings) -> None:
    heading = Formatted((Line("HEAD", "", "heading1"),), True, True, "h", space_after=True)
    spaced = Formatted((Line("LIST", "", "item"),), True, False)
    pager = Pager(settings, first_number=2)
    pager.add([heading, spaced, heading, Formatted((Line("PARA", "", "paragraph"),),
                                                   False, False)])
    assert [line.cells for line in pager.pages[0]] == ["HEAD", "", "LIST", "", "HEAD", "",
                                                       "PARA"]


def test_a_heading_moved_to_a_new_page_takes_its_blank_line_after_with_it(
        settings: BrailleSettings) -> None:
    filler = Formatted(tuple(Line(f"P{i}", "", "paragraph") for i in range(21)), False, False)
    heading = Formatted((Line("HEAD", "", "heading1"),), True, True, "h", space_after=True)
    pager = Pager(settings, first_number=2)
    pager.add([filler, heading, Formatted((Line("PARA", "", "paragraph"),), False, False)])
    # 21 lines + blank + heading + blank leaves no room for PARA on a 24-line page.
    assert [line.cells for line in pager.pages[1]] == ["HEAD", "", "PARA"]
    assert pager.anchors["h"] == 3


# --- the transcriber's note on tables ---------------------------------------

def test_a_transcribers_note_is_in_ueb_note_indicators_in_cell_7(
        settings: BrailleSettings) -> None:
    lines = format_block(note_block("Tables are set out as lists.", "s"), settings).lines
    assert [line.cells for line in lines] == ["      @.<,TABLES >E SET \\ Z LI/S4@.>"]
    assert to_unicode(lines[0].cells.strip()) == "⠈⠨⠣⠠⠞⠁⠃⠇⠑⠎⠀⠜⠑⠀⠎⠑⠞⠀⠳⠀⠵⠀⠇⠊⠌⠎⠲⠈⠨⠜"
    assert louis.backTranslateString(BRF[2], lines[0].cells.strip()) == \
        "Tables are set out as lists."


def test_a_long_transcribers_note_runs_over_in_cell_5(settings: BrailleSettings) -> None:
    text = settings.words["tables_note"]
    lines = [line.cells for line in format_block(note_block(text, "s"), settings).lines]
    assert len(lines) > 1
    assert lines[0].startswith("      @.<") and lines[0][6] != " "
    assert all(line.startswith("    ") and line[4] != " " for line in lines[1:])
    assert lines[-1].endswith("@.>") and "".join(lines).count("@.") == 2
    back = louis.backTranslateString(BRF[2], " ".join(line.strip() for line in lines))
    assert back == text


def test_the_copy_has_one_tables_note_just_before_the_first_table(
        code: Code, tmp_path: Path) -> None:
    brf, text, _ = write_copy(code, tmp_path / "c.brf")
    rows = [row for page in pages_of(brf) for row in page[1:]]
    opening = [i for i, row in enumerate(rows) if "@.<" in row]
    closing = [i for i, row in enumerate(rows) if "@.>" in row]
    assert len(opening) == 1 and len(closing) == 1
    note = " ".join(row.strip() for row in rows[opening[0]:closing[0] + 1])
    assert louis.backTranslateString(BRF[2], note) == \
        project_settings().braille.words["tables_note"]
    # After the note, a blank line and then the first contact table row.
    following = next(row for row in rows[closing[0] + 1:] if row.strip())
    first_contact = code.contact(_first_table_contact(code)).label
    assert louis.backTranslateString(BRF[2], following).startswith(f"{first_contact}:")
    assert "⠈⠨⠣" in text.read_text(encoding="utf-8")


def _first_table_contact(code: Code) -> str:
    from complaints_code.structure.model import ContactTable
    return next(block.contacts[0] for section in code.sections for block in section.blocks
                if isinstance(block, ContactTable))


# --- title page, duplex, final form feed ------------------------------------

def test_title_page_carries_the_transcription_line_with_provider_grade_and_date(
        code: Code, settings: BrailleSettings) -> None:
    for grade in (1, 2):
        doc = compose(code, settings.with_options(grade=grade), dt.date(2026, 12, 1))
        rows = [line.cells.replace(HARD_SPACE, " ").strip() for line in doc.pages[0].rows
                if line.cells]
        back = " ".join(louis.backTranslateString(BRF[grade], row) for row in rows)
        assert (f"Transcribed by {code.metadata.provider} in Unified English Braille, "
                f"grade {grade}, 1 December 2026") in back


def test_title_page_keeps_each_date_on_one_line(code: Code, settings: BrailleSettings) -> None:
    # At 40 cells "..., grade 2, 1 December 2026" does not fit: the whole date
    # moves to the next line rather than leaving "1" behind.
    for cells in (40, 32, 28):
        doc = compose(code, settings.with_options(cells=cells), dt.date(2026, 12, 1))
        texts = [line.text.strip() for line in doc.pages[0].rows if line.cells]
        for date in ("1 December 2026", "25 November 2026"):
            assert any(date in text for text in texts), (cells, texts)


@pytest.mark.parametrize(("markup", "bold"), [
    ("**If you are unhappy**, tell us.", "^7,IF Y >E UNHAPPY1^'"),
    ("**Please note**, this matters.", "^1,PL1SE ^1NOTE1"),
    ("Read **this**, then call.", "^1?1"),
    ("**If you are unhappy**. Tell us.", "^7,IF Y >E UNHAPPY4^'"),
    ("**If you are unhappy** tell us.", "^7,IF Y >E UNHAPPY^'"),
])
def test_a_bold_phrase_keeps_one_indicator_and_one_terminator_before_punctuation(
        code: Code, settings: BrailleSettings, markup: str, bold: str) -> None:
    from complaints_code.engines.braille.blocks import section_blocks
    from complaints_code.structure.model import Paragraph, Section

    section = Section(id="test", title="Test", blocks=[Paragraph(paragraph=markup)])
    block = section_blocks(code, 0, section)[1]
    cells = " ".join(line.cells.replace(HARD_SPACE, " ").strip()
                     for line in format_block(block, settings).lines)
    assert bold in cells, cells
    # One emphasis indicator opens it and at most one terminator closes it.
    assert cells.count("^7") + cells.count("^1") == (1 if "^7" in bold else bold.count("^1"))
    assert cells.count("^'") == bold.count("^'")


def test_pef_is_interpoint_by_default_and_single_sided_when_set(
        code: Code, settings: BrailleSettings) -> None:
    for duplex, expected in ((None, "true"), (False, "false"), (True, "true")):
        chosen = settings if duplex is None else settings.model_copy(update={"duplex": duplex})
        pef = etree.fromstring(formats.pef(compose(code, chosen), code))
        assert pef.find(".//p:volume", PEF_NS).get("duplex") == expected
        assert pef.find(".//p:section", PEF_NS).get("duplex") == expected


def test_brf_ends_with_a_form_feed_only_when_final_form_feed_is_set(
        code: Code, settings: BrailleSettings) -> None:
    doc = compose(code, settings)
    plain_brf = formats.brf(doc)
    assert not plain_brf.endswith(b"\f") and plain_brf.count(b"\f") == len(doc.pages) - 1
    fed = formats.brf(compose(code, settings.model_copy(update={"final_form_feed": True})))
    assert fed == plain_brf + b"\f"


def test_final_form_feed_and_duplex_are_read_from_the_settings_file(tmp_path: Path) -> None:
    from complaints_code.settings import load_settings

    config = tmp_path / "complaints-code.toml"
    config.write_text('[braille]\nduplex = false\nfinal_form_feed = true\n'
                      '[braille.words]\ncontents = "Inhoud"\n')
    braille = load_settings(config).braille
    assert (braille.duplex, braille.final_form_feed) == (False, True)
    # A words table that sets one word keeps the defaults of the rest.
    assert braille.words["contents"] == "Inhoud"
    assert braille.words["tables_note"].startswith("Tables are set out as lists")


def test_no_body_line_holds_a_numeric_space_outside_a_phone_number(
        code: Code, settings: BrailleSettings) -> None:
    # Every dot-5 cell between two digits (a-j after the numeric indicator)
    # in the whole copy belongs to a telephone number.
    doc = compose(code, settings)
    phones = {louis.translateString(BRF[2], c.value) for c in code.contacts
              if c.value and re.fullmatch(r"[\d ]+", c.value)}
    phones |= {louis.translateString(BRF[2], c.value) for c in code.adr.contacts
               if c.value and re.fullmatch(r"[\d ]+", c.value)}
    for page in doc.pages:
        for line in page.rows:
            cells = line.cells.replace(HARD_SPACE, " ")
            for word in re.findall(r"\S*#[A-J]+\"[A-J]\S*", cells):
                assert word.rstrip(",.4") in phones, (word, line.text)


# --- the braille cover note of a customer's copy ----------------------------

def _cover_note(code: Code, reference: str | None = "CC-2026-00123",
                **options: int) -> list[list[str]]:
    from complaints_code.copies import request as copies

    request = copies.CopyRequest.parse({
        "format": "braille", "name": "Mrs Siân Jones", "address": "1 Road; London; SW19 2TJ",
        "reference": reference, **options}, project_settings(), today=dt.date(2026, 12, 1))
    made = copies.make_copy(code, request)
    note = next(a for a in made if a.copy_suffix == "-cover-note.brf")
    assert note.name == "downloads/complaints-code-cover-note.brf"
    return [page.split("\r\n")[:-1] for page in note.data().decode("ascii").split("\f")]


def test_a_copy_with_a_letter_has_a_braille_cover_note_with_name_reference_and_contacts(
        code: Code) -> None:
    pages = _cover_note(code)
    rows = [row.strip() for page in pages for row in page if row.strip()]
    back = " ".join(louis.backTranslateString(BRF[2], row) for row in rows[1:])
    assert back.startswith("About this copy For Mrs Siân Jones Your reference: CC-2026-00123 ")
    hours = code.contact("telephone").hours
    assert hours is not None
    said = ("To contact us, email customerservice@opus-telecoms.co.uk or telephone "
            f"020 8545 8200 ({hours.text}).")
    assert said.replace("–", "—") in back  # liblouis reads the dash back as an em dash
    assert any('#JBJ"HEDE"HBJJ' in row.split() for row in rows)  # the number whole
    email = "customerservice@opus-telecoms.co.uk"
    typed = louis.translateString(BRF[2], email, typeform=[louis.no_contract] * len(email))
    # Uncontracted and whole, and followed by a space: no full stop a
    # reader could take for part of the address.
    assert any(f"{typed} " in f"{row} " and f"{typed}4" not in row for row in rows)
    assert not any(f"{typed}4" in row or f"{typed}1" in row for row in rows)
    assert louis.backTranslateString(BRF[2], pages[0][0].strip()) == "1"
    assert max(len(row) for page in pages for row in page) <= 40


def test_the_cover_note_follows_the_copys_grade_and_page_size_and_omits_a_missing_reference(
        code: Code) -> None:
    pages = _cover_note(code, None, grade=1, cells=24, lines=20)
    assert max(len(row) for page in pages for row in page) <= 24
    assert max(len(page) for page in pages) <= 20
    back = " ".join(louis.backTranslateString(BRF[1], row.strip())
                    for page in pages for row in page[1:] if row.strip())
    assert "reference" not in back.lower()
    assert "For Mrs Siân Jones" in back and "020 8545 8200" in back
