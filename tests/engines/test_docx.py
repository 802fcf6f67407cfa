"""The Word document, read back with python-docx: A4 with the PDFs' margins,
Word's heading styles in order, a real stage table (columns sized to their
content, rows that never split, a repeated header row) or, where a row would
not fit, headed blocks, emails, web addresses and phone numbers as real
links, title and language set, every line of the Code, body text at 16 point
(or the copy's --size) with the PDFs' line spacing, and no text boxes or
pictures. Then the document as LibreOffice lays it out (slow)."""

from __future__ import annotations

import io
import itertools
import re
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
from complaints_code.engines.docx import code_docx
from complaints_code.engines.docx_table import MARGINS_MM, NUMBER_HEADING
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
        project_settings(docx={"size": 14})


# --- the page, the table, the links --------------------------------------------------

def test_the_page_is_a4_with_the_pdfs_margins_and_numbered(document: Any) -> None:
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == MARGINS_MM[0] == 18
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 20
    assert section.bottom_margin.pt == pytest.approx(16 * 3.2, abs=0.1)  # as the PDF's
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer


def test_table_rows_never_split_and_columns_fit_their_content(document: Any) -> None:
    (table,) = document.tables
    for row in table.rows:
        whole = row._tr.trPr.find(qn("w:cantSplit"))
        assert whole is not None and whole.get(qn("w:val")) == "true"
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    text_width = round((210 - 2 * 20) / 25.4 * 1440)
    assert abs(sum(grid) - text_width) <= 3
    number, title, description = grid
    assert number < 0.12 * text_width  # as wide as "No." in bold, with the cell margins
    assert description > title > number
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_emails_web_addresses_and_phone_numbers_are_real_links(code: Code,
                                                               document: Any) -> None:
    rels = {r.rId: r.target_ref for r in document.part.rels.values() if r.is_external}
    links = []
    for link in document.element.body.iter(qn("w:hyperlink")):
        words = "".join(t.text for t in link.iter(qn("w:t"))).replace(NBSP, " ")
        links.append((words, rels[link.get(qn("r:id"))]))
    expected = {(c.display, c.href) for c in (*code.contacts, *code.adr.contacts) if c.href}
    assert expected <= set(links)
    assert {href.split(":")[0] for _, href in links} == {"mailto", "tel", "https", "http"}
    style = document.styles["Hyperlink"]
    assert style.font.underline is True and str(style.font.color.rgb) == "000000"


def test_line_spacing_is_the_pdfs_and_the_title_has_no_rule(document: Any) -> None:
    assert document.styles["Normal"].paragraph_format.line_spacing == 1.5
    title = document.styles["Title"].element
    assert title.pPr.find(qn("w:pBdr")) is None
    assert all(document.styles[f"Heading {n}"].font.color.rgb == docx.shared.RGBColor(0, 0, 0)
               for n in (1, 2))


def test_where_a_row_would_not_fit_half_a_page_the_stages_are_headed_blocks(
        code: Code) -> None:
    document = docx.Document(io.BytesIO(code_docx(code, project_settings(), 32)))
    assert document.tables == []
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert headings == [f"Stage {s.number}: {s.title}" for s in code.stages]
    text = "\n".join(_text(p.text) for p in document.paragraphs)
    assert all(_text(code.plain(s.inlines)) in text for s in code.stages)


# --- as LibreOffice lays it out ------------------------------------------------------

LAID_OUT = (16, 24)
"""The sizes converted: the published document (a table) and a copy at 24
point (headed blocks)."""


def _laid_out(code: Code, folder: Path, pictures: Path) -> dict[int, Path]:
    """The document at each size converted to PDF by LibreOffice, in one run,
    with PNGs of its pages in ``pictures``."""
    import subprocess

    for size in LAID_OUT:
        (folder / f"code-{size}.docx").write_bytes(code_docx(code, project_settings(), size))
    profile = folder / "profile"  # its own profile: another soffice may be running
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *(str(folder / f"code-{size}.docx") for size in LAID_OUT)],
                   check=True, capture_output=True, timeout=300)
    pictures.mkdir(exist_ok=True)
    for old in pictures.glob("*.png"):
        old.unlink()
    for size in LAID_OUT:
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(folder / f"code-{size}.pdf"),
                        str(pictures / f"code-{size}")], check=True)
    return {size: folder / f"code-{size}.pdf" for size in LAID_OUT}


def _pages(path: Path) -> list[list[str]]:
    import pdfplumber

    with pdfplumber.open(path) as doc:
        return [[line["text"] for line in page.extract_text_lines()
                 if not re.fullmatch(r"Page \d+ of \d+", line["text"])] for page in doc.pages]


@pytest.mark.slow
def test_libreoffice_lays_it_out_on_a4_with_whole_rows_links_and_no_page_of_a_line_or_two(
        code: Code, tmp_path: Path, artifacts: Path) -> None:
    # One test, so one conversion (LibreOffice takes seconds to start).
    import pdfplumber
    import pikepdf

    laid_out = _laid_out(code, tmp_path, artifacts / "docx")
    for size, path in laid_out.items():
        with pdfplumber.open(path) as doc:
            assert {(round(p.width), round(p.height)) for p in doc.pages} == {(595, 842)}
            count = len(doc.pages)
        pages = _pages(path)
        assert all(len(lines) > 2 for lines in pages), (size, [len(lines) for lines in pages])
        assert len(list((artifacts / "docx").glob(f"code-{size}-*.png"))) == count
    # No table row split: each description's first and last words on one page.
    pages_16 = [" ".join(" ".join(lines).split()) for lines in _pages(laid_out[16])]
    for stage in code.stages:
        words = _text(code.plain(stage.inlines)).split()
        start, end = " ".join(words[:4]), " ".join(words[-4:])
        assert [n for n, text in enumerate(pages_16) if start in text] == [
            n for n, text in enumerate(pages_16) if end in text], stage.title
    # The links are real: LibreOffice keeps them in its PDF.
    with pikepdf.open(laid_out[16]) as doc:
        uris = {str(a.A.URI) for p in doc.pages for a in p.obj.get("/Annots", [])
                if "/A" in a and "/URI" in a.A}
    assert {u.split(":")[0] for u in uris} >= {"mailto", "tel", "https"}
