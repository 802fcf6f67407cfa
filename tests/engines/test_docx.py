"""The Word document, read back with python-docx: Word's heading styles in
order, a real stage table with a repeated header row, title and language set,
every line of the Code, body text at 16 point (or the copy's --size), and no
text boxes or pictures."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from complaints_code.cli import main
from complaints_code.copies import errors as copy_errors
from complaints_code.copies import request as copies
from complaints_code.engines.docx import NUMBER_HEADING
from complaints_code.structure import plain
from complaints_code.structure.model import Code
from tests.conftest import SOURCE, digest, project_settings, render

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def made(code: Code) -> bytes:
    (item,) = render("docx", code)
    assert item.name == "downloads/complaints-code.docx"
    return item.data()


@pytest.fixture(scope="module")
def document(made: bytes) -> Any:
    return docx.Document(io.BytesIO(made))


def _text(words: str) -> str:
    return " ".join(words.replace(NBSP, " ").split())


def test_headings_use_words_own_styles_in_the_codes_order(code: Code, document: Any) -> None:
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert headings == [("Title", code.metadata.title)] + [
        (f"Heading {s.level}", s.title) for s in code.sections]
    levels = [int(name[-1]) for name, _ in headings[1:]]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_stage_table_has_a_header_row_that_repeats_on_every_page(code: Code,
                                                                 document: Any) -> None:
    (table,) = document.tables
    header = table.rows[0]
    assert [c.text for c in header.cells] == [NUMBER_HEADING, "Stage", "Description"]
    repeat = header._tr.trPr.find(qn("w:tblHeader"))
    assert repeat is not None and repeat.get(qn("w:val")) == "true"
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None
               for r in table.rows[1:])
    assert [(r.cells[0].text, r.cells[1].text) for r in table.rows[1:]] == [
        (str(s.number), s.title) for s in code.stages]
    caption = table._tbl.tblPr.find(qn("w:tblCaption"))
    assert caption is not None and caption.get(qn("w:val")) == code.section("stages").title


def test_title_and_language_are_set_on_the_document_and_its_styles(code: Code,
                                                                   document: Any) -> None:
    props = document.core_properties
    assert props.title == code.metadata.title
    assert props.author == code.metadata.provider
    assert props.language == "en-GB"
    styles = document.styles.element
    default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        lang = document.styles[name].element.rPr.find(qn("w:lang"))
        assert lang.get(qn("w:val")) == "en-GB", name
    theme = document.settings.element.find(qn("w:themeFontLang"))
    assert theme.get(qn("w:val")) == "en-GB"
    runs = [r for p in document.paragraphs for r in p.runs]
    assert all(r.element.rPr is None or r.element.rPr.find(qn("w:lang")) is None
               or r.element.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-GB" for r in runs)


def test_every_line_of_the_code_is_in_the_document(code: Code, document: Any) -> None:
    paragraphs = [_text(p.text) for p in document.paragraphs]
    rows = [[_text(c.text) for c in r.cells] for r in document.tables[0].rows]
    missing = []
    for line in plain.lines(code):
        cells = [_text(c) for c in line.split("\t")]
        if len(cells) == 3:  # a stage table row, or its headings
            expected = [cells[0] or NUMBER_HEADING, *cells[1:]]
            if expected not in rows:
                missing.append(line)
        elif len(cells) == 2:  # a contact: "Label: details"
            if f"{cells[0]}: {cells[1]}" not in paragraphs:
                missing.append(line)
        elif not any(cells[0] in p for p in paragraphs):
            missing.append(line)
    assert missing == []


def test_body_text_is_16_point_and_headings_larger(document: Any) -> None:
    sizes = {name: document.styles[name].font.size.pt
             for name in ("Normal", "Heading 2", "Heading 1", "Title")}
    assert sizes["Normal"] == 16
    assert sizes["Normal"] < sizes["Heading 2"] < sizes["Heading 1"] < sizes["Title"]
    normal = document.styles["Normal"].font
    assert normal.name == "Arial" and normal.italic is False


def test_no_text_boxes_pictures_or_floating_shapes(made: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(made)) as zf:
        body = zf.read("word/document.xml").decode()
        names = zf.namelist()
    for tag in ("w:drawing", "w:pict", "w:txbxContent", "v:textbox", "wps:txbx", "w:object"):
        assert f"<{tag}" not in body, tag
    assert not [n for n in names if n.startswith("word/media/")]


def test_phone_numbers_and_timescales_are_joined_by_no_break_spaces(document: Any) -> None:
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"020{NBSP}8545{NBSP}8200" in text
    assert f"24{NBSP}working{NBSP}hours" in text


def test_the_same_code_makes_the_same_bytes(code: Code, made: bytes) -> None:
    (again,) = render("docx", code)
    assert digest(again.data()) == digest(made)


def test_a_copy_at_size_24_sets_the_body_at_24_point(code: Code) -> None:
    checked = copies.CopyRequest.parse({"format": "docx", "size": 24}, project_settings())
    (item,) = copies.make_copy(code, checked)
    assert item.copy_suffix == ".docx"
    document = docx.Document(io.BytesIO(item.data()))
    assert document.styles["Normal"].font.size.pt == 24
    assert document.styles["Heading 1"].font.size.pt == 36


def test_a_size_word_does_not_offer_is_refused_naming_the_choices() -> None:
    with pytest.raises(copy_errors.CopyRequestInvalid, match="size 14 is not offered for docx; "
                                                      "choose 16, 18, 20, 24, 28 or 32"):
        copies.CopyRequest.parse({"format": "docx", "size": 14}, project_settings())


def test_copy_command_writes_a_word_copy_with_its_letter_beside_it(runner: CliRunner,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "smith.docx"
    result = runner.invoke(main, ["copy", "--source", str(SOURCE), "--format", "docx",
                                  "--size", "20", "--name", "Mrs Jane Smith", "--address",
                                  "Flat 2; 10 High Street; London; SW19 1AA",
                                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert docx.Document(str(out)).styles["Normal"].font.size.pt == 20
    assert (tmp_path / "smith-letter.pdf").read_bytes().startswith(b"%PDF")


def test_a_default_size_not_among_the_offered_sizes_is_refused() -> None:
    from complaints_code.settings import SettingsError

    with pytest.raises(SettingsError, match=r"size 14 is not one of sizes \[16, 18, 20"):
        project_settings().merged(docx={"size": 14})
