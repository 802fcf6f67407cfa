"""Braille layout, settings, errors, thread-safety and on-request copies."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import louis
import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.engines.braille import formats
from complaints_code.engines.braille.blocks import code_blocks, text_block
from complaints_code.engines.braille.document import compose
from complaints_code.engines.braille.layout import Formatted, Line, Pager, format_block
from complaints_code.engines.braille.translate import (
    HARD_SPACE,
    UntranslatableText,
    translate_block,
)
from complaints_code.errors import UsageError
from complaints_code.settings import BrailleSettings, SettingsError, load_settings
from complaints_code.structure import plain
from complaints_code.structure.model import Code
from complaints_code.structure.source import loads
from tests.conftest import braille_copy as write_copy
from tests.conftest import project_settings
from tests.renderers.test_braille_files import without_notes

BRF = {1: ["en-us-brf.dis", "en-ueb-g1.ctb"], 2: ["en-us-brf.dis", "en-ueb-g2.ctb"]}


@pytest.fixture(scope="module")
def settings() -> BrailleSettings:
    return project_settings().braille


def rows_of(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("ascii")
    return [page.split("\r\n")[:-1] for page in text.split("\f")]


def first_body_page(pages: list[list[str]], grade: int) -> int:
    """The page the Code starts on: the number of the first contents entry."""
    entry = next(row for row in pages[1][1:] if re.search(r" #[A-J]+$", row))
    return int(louis.backTranslateString(BRF[grade], entry.split()[-1]))


def joined_body(pages: list[list[str]], skip: int) -> list[str]:
    # Rows of the body, with a row divided by the continuation indicator
    # (dot 5 at the end) joined to the next, transcriber's notes left out.
    rows: list[str] = []
    carry = ""
    for row in without_notes([r.strip() for page in pages[skip:] for r in page[1:]
                              if r.strip()]):
        if carry:
            row, carry = carry + row, ""
        if row.endswith('"') and not row.endswith('""'):
            carry = row[:-1]
            continue
        rows.append(row)
    return rows


def paragraph(code: Code, text: str, settings: BrailleSettings) -> list[str]:
    block = text_block(code, text, "paragraph", "test", "test")
    return [line.cells.replace(HARD_SPACE, " ") for line in format_block(block, settings).lines]


@pytest.mark.parametrize(("cells", "grade"), [(20, 1), (20, 2), (32, 2), (40, 1)])
def test_copy_back_translates_word_for_word_at_any_width_and_grade(
        code: Code, tmp_path: Path, cells: int, grade: int) -> None:
    # A word split anywhere but a braille space would not back-translate.
    brf = write_copy(code, tmp_path / "copy.brf", grade=grade, cells=cells, lines=25)[0]
    pages = rows_of(brf)
    assert max(len(row) for page in pages for row in page) <= cells
    text = " ".join(louis.backTranslateString(BRF[grade], row)
                    for row in joined_body(pages, first_body_page(pages, grade) - 1))
    text = re.sub(r"cc(?=//)", ":", text)  # liblouis reads "http:" back as "httpcc"
    expected = [w for s in code.sections
                for w in re.findall(r"\w+", " ".join(plain.section_lines(code, s)).lower())]
    assert re.findall(r"\w+", text.lower()) == expected


@pytest.mark.parametrize("text", [
    "Please write to our office at London W1A 1AA today",
    "We aim to acknowledge all disputes within 24 working hours of receipt",
    "Call us on 020 8545 8200 between 0830 – 1730 Monday to Friday",
])
def test_postcodes_timescales_and_phone_numbers_stay_on_one_line(
        code: Code, settings: BrailleSettings, text: str) -> None:
    kept = re.search(r"W1A 1AA|24 working hours|020 8545 8200|0830 – 1730", text)
    assert kept is not None
    whole = louis.translateString(BRF[2], kept.group(0))
    for cells in range(20, 41):
        lines = paragraph(code, text, settings.with_options(cells=cells))
        assert any(whole in line for line in lines), (cells, lines)


def test_a_word_longer_than_the_line_is_divided_with_the_continuation_indicator(
        code: Code, settings: BrailleSettings) -> None:
    narrow = settings.with_options(cells=20)
    block = text_block(code, "Email customerservice@opus-telecoms.co.uk now", "item",
                       "test", "test")
    lines = [line.cells for line in format_block(block, narrow).lines]
    assert all(len(line) <= 20 for line in lines)
    assert lines[1].endswith('"') and lines[2].startswith("  ")
    email = louis.translateString(BRF[2], "customerservice@opus-telecoms.co.uk")
    assert lines[1].strip()[:-1] + lines[2].strip().split()[0] == email


def test_main_headings_are_centred_and_paragraphs_indented(
        code: Code, settings: BrailleSettings) -> None:
    heading = format_block(code_blocks(code)[0], settings).lines[0].cells
    left = len(heading) - len(heading.lstrip())
    assert abs(left - (settings.cells - len(heading))) <= 1
    lines = paragraph(code, " ".join(["complaints"] * 30), settings)
    assert lines[0].startswith("  ") and not lines[0].startswith("   ")
    assert all(not line.startswith(" ") for line in lines[1:])


def _lines(n: int, role: str = "paragraph") -> tuple[Line, ...]:
    return tuple(Line(f"{role.upper()}{i}", "", role) for i in range(n))


@pytest.mark.parametrize("before", [21, 22, 23])
def test_a_heading_is_never_the_last_line_of_a_page(settings: BrailleSettings,
                                                     before: int) -> None:
    pager = Pager(settings, first_number=3)
    pager.add([Formatted(_lines(before), False, False),
               Formatted(_lines(1, "heading"), True, True, "h"),
               Formatted(_lines(5), False, False)])
    for page in pager.pages:
        text = [line for line in page if line.cells]
        assert text[-1].role != "heading"
    assert pager.anchors["h"] == (3 if before <= 21 else 4)


def test_lines_of_one_address_stay_on_one_page(settings: BrailleSettings) -> None:
    address = [Formatted(_lines(1, "item"), i == 0, i < 5) for i in range(6)]
    pager = Pager(settings, first_number=1)
    pager.add([Formatted(_lines(20), False, False), *address])
    assert len(pager.pages[0]) == 20
    assert [line.role for line in pager.pages[1]] == ["item"] * 6


def test_page_number_can_go_bottom_right(code: Code, tmp_path: Path) -> None:
    settings = project_settings(braille={"page_number": "bottom-right"})
    pages = rows_of(write_copy(code, tmp_path / "c.brf", settings)[0])
    assert len(pages[0]) < 25  # the title page carries no number
    for number, page in enumerate(pages[1:], start=2):
        assert len(page) == 25 and page[0].strip() != ""
        assert louis.backTranslateString(BRF[2], page[-1].strip()) == str(number)
        assert page[-1].startswith(" " * 30)


def test_write_copy_writes_brf_unicode_text_and_preview_beside_it(
        code: Code, tmp_path: Path) -> None:
    written = write_copy(code, tmp_path / "out" / "for-mr-smith.brf", grade=1, cells=32,
                         lines=28)
    assert [p.name for p in written] == ["for-mr-smith.brf", "for-mr-smith-braille.txt",
                                         "for-mr-smith-braille-preview.html"]
    pages = rows_of(written[0])
    assert max(len(page) for page in pages) <= 28
    assert "Unified English Braille, grade 1" in louis.backTranslateString(
        BRF[1], " ".join(row.strip() for row in pages[0]))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        p.name for p in written)


@pytest.mark.parametrize(("options", "message"), [
    # Checked with the request, before rendering; the batch names the column.
    ({"grade": 3}, "grade = 3 is not allowed; use one of [1, 2]"),
    ({"cells": 12}, "cells = 12 is not allowed; use a number from 20 to 100"),
    ({"lines": 60}, "lines = 60 is not allowed; use a number from 10 to 50"),
])
def test_bad_copy_options_are_refused_with_the_setting_named(
        code: Code, tmp_path: Path, options: dict[str, int], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        write_copy(code, tmp_path / "c.brf", **options)
    assert str(caught.value) == message
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("toml", "message"), [
    ('page_number = "middle"', 'braille.page_number = "middle" (from file {config}): Input '
     "should be 'top-right' or 'bottom-right'"),
    ('tables = { 2 = ["en-us-brf.dis", "en-GB-g2.ctb"] }',
     'braille.tables (from file {config}): "en-GB-g2.ctb" is not '
     "Unified English Braille; use en-ueb-g1.ctb or en-ueb-g2.ctb"),
    ("cels = 40", "braille.cels (from file {config}): unknown setting; did you mean "
     "braille.cells? (complaints-code config lists every setting)"),
])
def test_bad_braille_setting_in_the_config_file_is_refused_naming_it(
        tmp_path: Path, toml: str, message: str) -> None:
    config = tmp_path / "complaints-code.toml"
    config.write_text(f"[braille]\n{toml}\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    assert caught.value.problems[0].startswith(message.replace("{config}", str(config)))


@pytest.mark.parametrize(("old", "new", "message"), [
    ("We take all complaints seriously", "We take all complaints 😀 seriously",
     "sections[2].blocks[0].paragraph (section 'complaints'): '😀' (U+1F600 GRINNING "
     "FACE) has no braille equivalent"),
    ("title: Contact Us", "title: Contact Us 联系",
     "sections[3].title (section 'contact-us'): '联' (U+8054 CJK UNIFIED IDEOGRAPH-8054) "
     "has no braille equivalent"),
    ("value: 020 8545 8215", "value: 020 8545 8215 ☎",
     "contacts 'fax' in sections[3].blocks[1].contacts[1] (section 'contact-us'): '☎' "
     "(U+260E BLACK TELEPHONE) has no braille equivalent"),
])
def test_untranslatable_character_is_a_clear_error_naming_the_field(
        source_text: str, tmp_path: Path, old: str, new: str, message: str) -> None:
    code = loads(source_text.replace(old, new, 1))
    with pytest.raises(UntranslatableText) as caught:
        write_copy(code, tmp_path / "c.brf")
    assert str(caught.value).startswith(message)
    assert not list(tmp_path.iterdir())


def test_build_reports_an_untranslatable_character_with_file_and_line(
        runner: CliRunner, source_text: str, tmp_path: Path) -> None:
    source = tmp_path / "code.yaml"
    source.write_text(source_text.replace("speedily", "speedily 😀", 1), encoding="utf-8")
    line = next(i for i, text in enumerate(source.read_text().splitlines(), 1) if "😀" in text)
    out = tmp_path / "dist"
    result = runner.invoke(main, ["build", "--only", "braille", "--source", str(source),
                                  "--out", str(out)])
    # Found by the preflight, before anything renders: an invalid source, exit 2.
    col = source.read_text().splitlines()[line - 1].index("😀") + 1
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-2:] == [
        f"{source}:{line}:{col}: sections[2].blocks[0].paragraph: “😀” (U+1F600 GRINNING FACE) "
        "has no sign in Unified English Braille; replace it with ordinary letters or words",
        "1 problem found in the source."]
    assert "Traceback" not in result.output
    assert not (out / "site" / "downloads").exists()


def test_translation_from_many_threads_equals_serial(code: Code,
                                                     settings: BrailleSettings) -> None:
    blocks = code_blocks(code) * 4
    serial = [translate_block(b.text, settings.brf_tables, b.where, b.keep, b.emphasis)
              for b in blocks]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda b: translate_block(
            b.text, settings.brf_tables, b.where, b.keep, b.emphasis), blocks))
        copies = list(pool.map(lambda _: formats.brf(compose(code, settings)), range(8)))
    assert threaded == serial
    assert set(copies) == {formats.brf(compose(code, settings))}
