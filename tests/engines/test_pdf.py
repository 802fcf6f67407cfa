"""The large-print and print PDFs: typography, accessibility tags, fonts and
determinism, each checked in the PDF itself (pikepdf, pdfplumber)."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from complaints_code.engines import fonts
from complaints_code.engines.pdf import render as pdf
from complaints_code.resources import resources
from complaints_code.structure import plain
from complaints_code.structure.model import Code, ContactTable, Paragraph, StageTable
from tests.conftest import ROOT, digest, project_settings, render
from tests.engines.pdf.renders import LAYOUTS, code_pdf

FOOTER = re.compile(r"^Page \d+ of \d+$")


@pytest.fixture(scope="module")
def built(code: Code, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Both PDFs as `complaints-code build` writes them."""
    files = {}
    for name in ("large-print", "print"):
        (item,) = render(name, code)
        files[name] = item.data()
    return files


def lines_of(data: bytes) -> list[list[str]]:
    """Text lines of each page."""
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [[line["text"] for line in page.extract_text_lines()] for page in doc.pages]


def struct_elements(data: bytes) -> list[tuple[str, pikepdf.Dictionary]]:
    """Every element of the structure tree, reachable from the root."""
    found: list[tuple[str, pikepdf.Dictionary]] = []
    with pikepdf.open(io.BytesIO(data)) as doc:
        def walk(node: pikepdf.Dictionary) -> None:
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    found.append((str(kid.S), kid))
                    walk(kid)
        walk(doc.Root.StructTreeRoot)
        return [(kind, pikepdf.Dictionary(el.A) if "/A" in el else pikepdf.Dictionary())
                for kind, el in found]


@pytest.mark.slow
def test_both_pdfs_are_artifacts_for_the_downloads_folder(code: Code) -> None:
    made = [a for name in ("large-print", "print") for a in render(name, code)]
    assert [(a.name, a.media_type, a.kind) for a in made] == [
        ("downloads/complaints-code-large-print.pdf", "application/pdf", "PDF"),
        ("downloads/complaints-code-print.pdf", "application/pdf", "PDF")]
    assert all(a.data().startswith(b"%PDF-") for a in made)


@pytest.mark.parametrize("name", ["large-print", "print"])
def test_pdf_is_tagged_pdf_ua_with_language_and_title(built: dict[str, bytes], name: str,
                                                      code: Code) -> None:
    with pikepdf.open(io.BytesIO(built[name])) as doc:
        assert "/StructTreeRoot" in doc.Root
        assert doc.Root.MarkInfo.Marked is True
        assert str(doc.Root.Lang) == "en-GB"
        assert doc.Root.ViewerPreferences.DisplayDocTitle is True
        label = "Large print (18 point)" if name == "large-print" else "Standard print (14 point)"
        assert str(doc.docinfo.Title) == f"Customer Complaints Code, Opus Telecoms: {label}"
        assert b'pdfuaid:part="1"' in doc.Root.Metadata.read_bytes()


@pytest.mark.parametrize("name", ["large-print", "print"])
def test_every_section_has_a_bookmark(built: dict[str, bytes], name: str, code: Code) -> None:
    with pikepdf.open(io.BytesIO(built[name])) as doc, doc.open_outline() as outline:
        titles: list[str] = []
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(item.title)
            stack[:0] = item.children
    assert titles == [code.metadata.title, *(s.title for s in code.sections)]


def test_print_table_header_cells_have_scope(built: dict[str, bytes]) -> None:
    scopes = [str(a.get("/Scope")) for kind, a in struct_elements(built["print"])
              if kind == "/TH"]
    # Contact table: 6 row headers. Stage table: 3 column headers (the number
    # column's, empty, is a header too), 6 row headers.
    assert sorted(scopes) == ["/Column"] * 3 + ["/Row"] * 12


def test_large_print_linearises_tables_into_headed_blocks(built: dict[str, bytes],
                                                          code: Code) -> None:
    kinds = [kind for kind, _ in struct_elements(built["large-print"])]
    assert "/Table" not in kinds
    assert kinds.count("/H4") == len(code.stages) + 6
    text = "\n".join(line for page in lines_of(built["large-print"]) for line in page)
    for stage in code.stages:
        assert f"Stage {stage.number}: {stage.title}" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-print", "print"])
def test_page_numbers_are_artifacts_not_content(built: dict[str, bytes], name: str) -> None:
    with pikepdf.open(io.BytesIO(built[name])) as doc:
        artifacts = []
        for page in doc.pages:
            marks = [ins.operands for ins in pikepdf.parse_content_stream(page, "BDC")]
            artifacts.append(sum(m[0] == pikepdf.Name.Artifact
                                 and m[1].Type == pikepdf.Name.Pagination for m in marks))
        # Every page but the cover has its page number (and a page that
        # repeats a table's head has that too).
        assert artifacts[0] == 0 and all(a >= 1 for a in artifacts[1:])
        # No marked content is left pointing at an element outside the tree.
        reachable = {el.objgen for el in _reachable(doc.Root.StructTreeRoot)}
        nums = doc.Root.StructTreeRoot.ParentTree.Nums
        for i in range(1, len(nums), 2):
            entries = nums[i] if isinstance(nums[i], pikepdf.Array) else [nums[i]]
            assert all(e.objgen in reachable for e in entries
                       if isinstance(e, pikepdf.Dictionary))
    footers = [page[-1] for page in lines_of(built[name])[1:]]
    assert all(FOOTER.match(f) for f in footers), footers


def _reachable(node: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = node.get("/K")
    out = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out += [kid, *_reachable(kid)]
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("name", "smallest"), [("large-print", 16), ("print", 12)])
def test_no_character_is_smaller_than_the_minimum(built: dict[str, bytes], name: str,
                                                  smallest: float) -> None:
    with pdfplumber.open(io.BytesIO(built[name])) as doc:
        sizes = {round(c["size"], 2) for page in doc.pages for c in page.chars}
        footer_sizes = {round(c["size"], 2) for page in doc.pages for c in page.chars
                        if c["top"] > page.height - 80}
    assert min(sizes) >= smallest
    assert footer_sizes == {18.0 if name == "large-print" else 14.0}  # the body size


def _squash(text: str) -> str:
    # A line may break after a word's own hyphen or slash ("re-" / "opened").
    return re.sub(r"(?<=\w[-/]) (?=\w)", "", " ".join(text.split()))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-print", "print"])
def test_text_contains_every_section_word_for_word(built: dict[str, bytes], name: str,
                                                   code: Code) -> None:
    pages = lines_of(built[name])
    text = _squash(" ".join(line for page in pages for line in page if not FOOTER.match(line)))
    words = set(re.split(r"[\s/-]+", text))
    for section in code.sections:
        assert section.title in text
        for block in section.blocks:
            if isinstance(block, Paragraph):
                assert _squash(code.plain(block.inlines)) in text
            elif name == "large-print":  # tables are linearised: whole blocks
                for line in list(plain.section_lines(code, section))[1:]:
                    cells = [c for c in line.split("\t") if c and c not in ("Stage", "Description")]
                    assert all(_squash(c) in text for c in cells), line
            elif isinstance(block, ContactTable | StageTable):
                # Table cells are read across the row; check their words.
                cells = re.split(r"[\s/-]+", " ".join(plain.section_lines(code, section)))
                assert set(cells) - {""} <= words


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-print", "print"])
def test_phone_numbers_emails_postcodes_and_timescales_never_split(
        built: dict[str, bytes], name: str, code: Code) -> None:
    values = [c.value for c in (*code.contacts, *code.adr.contacts) if c.value]
    values += [t.text for t in code.timescales] + ["SW19 2TJ", "SE1 9HA"]
    lines = [line for page in lines_of(built[name]) for line in page]
    for value in values:
        assert "\n".join(lines).count(value) == " ".join(lines).count(value) > 0, value


def test_print_lines_are_about_60_to_70_characters(built: dict[str, bytes]) -> None:
    lengths = []
    with pdfplumber.open(io.BytesIO(built["print"])) as doc:
        for page in doc.pages[2:]:
            # Table rows (between the rules, head included) read across cells.
            rules = [(r["top"] - 30, r["bottom"]) for r in page.lines]
            top, bottom = (min(r[0] for r in rules), max(r[1] for r in rules)) if rules \
                else (0, 0)
            lengths += [len(line["text"]) for line in page.extract_text_lines()
                        if not top <= line["top"] <= bottom]
    lengths.sort()
    assert lengths[-1] <= 72
    assert lengths[int(len(lengths) * 0.8)] >= 55


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-print", "print"])
def test_no_heading_is_left_at_the_foot_of_a_page(built: dict[str, bytes], name: str,
                                                  code: Code) -> None:
    headings = {s.title for s in code.sections} | {"Contents"}
    headings |= {f"Stage {s.number}: {s.title}" for s in code.stages}
    for page in lines_of(built[name])[:-1]:
        body = [line for line in page if not FOOTER.match(line)]
        assert body[-1] not in headings, body[-1]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-print", "print"])
def test_every_glyph_comes_from_the_shipped_font_upright(built: dict[str, bytes],
                                                         name: str) -> None:
    with pdfplumber.open(io.BytesIO(built[name])) as doc:
        names = {re.sub(r"^[A-Z]{6}\+", "", c["fontname"]) for p in doc.pages for c in p.chars}
    # WeasyPrint names embedded fonts after their @font-face family; a glyph
    # from a machine font would show that font's own name (e.g. DejaVuSans).
    assert names == {"Body", "Body-Bold"}


def test_large_print_has_no_rules_or_underlines(built: dict[str, bytes]) -> None:
    with pdfplumber.open(io.BytesIO(built["large-print"])) as doc:
        assert all(not p.lines and not p.rects and not p.curves for p in doc.pages)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-print", "print"])
def test_everything_painted_is_tagged_or_an_artifact(built: dict[str, bytes],
                                                     name: str) -> None:
    painting = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"', "Do", "sh"}
    with pikepdf.open(io.BytesIO(built[name])) as doc:
        for page in doc.pages:
            depth, unmarked = 0, []
            for ins in pikepdf.parse_content_stream(page):
                op = str(ins.operator)
                depth += (op in ("BDC", "BMC")) - (op == "EMC")
                if depth == 0 and op in painting:
                    unmarked.append(op)
            assert unmarked == []


def test_every_character_of_the_source_is_in_the_shipped_font(code: Code) -> None:
    s = project_settings()
    body = pdf.Setup(resources(s), s.print).body_fonts
    m = code.metadata
    text = "\n".join([*plain.lines(code), m.provider, m.title, m.version])
    text += "\n".join(c.display for c in (*code.contacts, *code.adr.contacts))
    assert fonts.missing_chars(text, body) == []
    assert fonts.missing_chars("Ø😀", body) == ["😀"]  # the check can fail


def test_a_source_character_the_font_lacks_is_refused(code: Code) -> None:
    section = code.sections[0]
    bad = section.model_copy(update={"title": "Purpose ☎"})
    edited = code.model_copy(update={"sections": (bad, *code.sections[1:])})
    with pytest.raises(pdf.FontCoverageError) as exc:
        s = project_settings()
        pdf.check_code_glyphs(edited, pdf.Setup(resources(s), s.print))
    assert str(exc.value) == (
        "section 'purpose' uses “☎” (U+260E), which the print font cannot show; use a "
        "different character in the source, or ship a font that has it")


@pytest.mark.slow
def test_the_same_source_gives_byte_identical_pdfs_in_two_separate_processes(
        built: dict[str, bytes], tmp_path: Path) -> None:
    # Two fresh interpreters with different hash seeds: a warm cache or a set's
    # order in one process cannot make the outputs agree by accident.
    outputs = []
    for run, seed in (("a", "1"), ("b", "2")):
        out = tmp_path / run
        subprocess.run([str(ROOT / ".venv" / "bin" / "complaints-code"), "build", "--only",
                        "print", "--out", str(out)], cwd=ROOT, check=True,
                       capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append({p.name: p.read_bytes() for p in (out / "site" / "downloads").iterdir()})
    assert sorted(outputs[0]) == ["complaints-code-print.pdf"]
    first, second = ({name: digest(data) for name, data in files.items()} for files in outputs)
    assert first == second
    # ...and the same bytes as this process's build.
    assert first["complaints-code-print.pdf"] == digest(built["print"])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-print", "print"])
def test_pages_render_to_png_showing_the_page_text(built: dict[str, bytes], name: str,
                                                   artifacts: Path, tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    source = tmp_path / f"{name}.pdf"
    source.write_bytes(built[name])
    folder = artifacts / "pdf"
    folder.mkdir(exist_ok=True)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", source, folder / name], check=True)
    pngs = sorted(folder.glob(f"{name}-*.png"))
    with pdfplumber.open(source) as doc:
        assert len(pngs) == len(doc.pages)
        texts = [page.extract_text() for page in doc.pages]
    images = [Image.open(png).convert("L") for png in pngs]
    for number, (image, text) in enumerate(zip(images, texts, strict=True), start=1):
        assert image.size == (579, 819), number  # A4 at 70 dpi
        ink = sum(image.point(lambda v: 255 if v < 128 else 0).histogram()[255:])
        share = ink / (image.size[0] * image.size[1])
        # Every page with text shows ink, in proportion (not blank, not solid).
        assert text.strip() and 0.002 < share < 0.25, (number, share)
    # The cover is not the same picture as the next page: the pages are drawn.
    assert ImageChops.difference(images[0], images[1]).getbbox() is not None


# --- structure tree: tables and contents ------------------------------------

_OPEN: list[pikepdf.Pdf] = []


def _tree(data: bytes) -> tuple[list[pikepdf.Dictionary], dict[tuple[int, int], int]]:
    """Every element reachable from the root and each page's index by object
    (the PDF is kept open for the rest of the session)."""
    doc = pikepdf.open(io.BytesIO(data))
    _OPEN.append(doc)
    pages = {p.obj.objgen: n for n, p in enumerate(doc.pages)}
    return _reachable(doc.Root.StructTreeRoot), pages


@pytest.mark.slow
def test_table_cells_name_only_header_cells_that_are_in_the_tree(
        built: dict[str, bytes]) -> None:
    # At double line spacing the stage table is taller than a page, so it
    # runs over two and its continued rows are checked too.
    elements, pages = _tree(code_pdf("print", 14, spacing=2.0))
    ids = {str(el.ID) for el in elements if "/ID" in el}
    named = [(str(h), pages[el.Pg.objgen]) for el in elements
             if "/A" in el and "/Headers" in el.A for h in el.A.Headers]
    assert named and {h for h, _ in named} <= ids
    # The continued rows name the head's cells (on the first page), not a repeat.
    (table,) = [el for el in elements if el.S == "/Table" and any(
        k.S == "/THead" for k in _reachable(el))]
    head_ids = {str(el.ID) for el in _reachable(table) if "/ID" in el and el.S == "/TH"
                and str(el.A.Scope) == "/Column"}
    rows = [el for el in _reachable(table) if el.S == "/TD" and "/A" in el]
    assert len({pages[el.Pg.objgen] for el in rows}) == 2
    assert {h for el in rows for h in map(str, el.A.Headers)} & head_ids == \
        {h for el in rows for h in map(str, el.A.Headers) if h.split("-")[1] == "0"}


def test_every_stage_table_head_cell_is_a_th_including_the_empty_number_one(
        built: dict[str, bytes]) -> None:
    elements, _ = _tree(built["print"])
    (head,) = [el for el in elements if el.S == "/THead"]
    cells = [el for el in _reachable(head) if el.S in ("/TH", "/TD")]
    assert [(str(c.S), str(c.A.Scope)) for c in cells] == [("/TH", "/Column")] * 3


@pytest.mark.parametrize("name", ["large-print", "print"])
def test_each_contents_entry_is_one_link_not_a_link_in_a_link(built: dict[str, bytes],
                                                              name: str, code: Code) -> None:
    elements, pages = _tree(built[name])
    links = [el for el in elements if el.S == "/Link"]
    assert all(all(k.S != "/Link" for k in _reachable(link)) for link in links)
    contents = [link for link in links if pages[link.Pg.objgen] == 1]
    assert len(contents) == len(code.sections)
    with pdfplumber.open(io.BytesIO(built[name])) as doc:  # one annotation an entry
        assert len(doc.pages[1].annots) == len(code.sections)


# --- page numbers and labels -------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-print", "print"])
def test_page_labels_match_the_printed_page_numbers(built: dict[str, bytes], name: str) -> None:
    with pikepdf.open(io.BytesIO(built[name])) as doc:
        labels = [p.label for p in doc.pages]
    printed = [page[-1] for page in lines_of(built[name])[1:]]
    assert labels[0] == "1"  # the cover: page 1, though it shows no number
    assert [f"Page {label} of {len(labels)}" for label in labels[1:]] == printed


def _footers(data: bytes) -> list[tuple[float, float, float]]:
    """Each numbered page's footer: its left and right edges and the page width."""
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [(line["x0"], line["x1"], float(page.width))
                for page in doc.pages if page.extract_text_lines()
                for line in page.extract_text_lines()[-1:] if FOOTER.match(line["text"])]


@pytest.mark.slow
def test_double_sided_page_numbers_sit_on_the_outer_edge(built: dict[str, bytes]) -> None:
    margin = 20 * 72 / 25.4
    footers = _footers(built["large-print"])
    for number, (x0, x1, width) in enumerate(footers, start=2):
        if number % 2:  # a right-hand page: the number at the right edge
            assert x1 == pytest.approx(width - margin, abs=1.5)
        else:
            assert x0 == pytest.approx(margin, abs=1.5)


@pytest.mark.slow
def test_single_sided_page_numbers_are_centred(code: Code) -> None:
    s = project_settings()
    fmt = s.print.formats["large-print"].model_copy(update={"sides": "single"})
    data = pdf.code_pdf(code, pdf.Setup(resources(s), s.print), fmt, 18)
    for x0, x1, width in _footers(data):
        assert (x0 + x1) / 2 == pytest.approx(width / 2, abs=1.5)


# --- keeping things together -------------------------------------------------

LARGE = [layout for layout in LAYOUTS if layout[0] == "large-print"]
"""Every large-print size, with bold, the line spacings and both fonts."""


@pytest.mark.slow
@pytest.mark.parametrize("layout", LARGE, ids=[str(n) for n in range(len(LARGE))])
def test_cover_is_one_page_at_every_size(layout: tuple[str, int, bool, float, str | None]
                                         ) -> None:
    name, size, bold, spacing, font = layout
    s = project_settings()
    fmt = s.print.formats[name].model_copy(
        update={"size": size, "bold": bold, "line_spacing": spacing})
    pages = lines_of(code_pdf(*layout))
    cover = " ".join(pages[0])
    assert cover.startswith("Opus Telecoms Customer Complaints")
    assert cover.endswith(fmt.describe(size, "DejaVu Sans" if font else None))
    assert pages[1][0] == "Contents"


@pytest.mark.slow
@pytest.mark.parametrize("layout", LARGE, ids=[str(n) for n in range(len(LARGE))])
def test_an_address_and_its_contact_lines_stay_on_one_page(
        layout: tuple[str, int, bool, float, str | None]) -> None:
    pages = lines_of(code_pdf(*layout))

    def page_of(text: str) -> int:
        (found,) = {n for n, page in enumerate(pages) for line in page if text in line}
        return found
    # The ADR body's details, on one page where they fit one (below about
    # 28 point with double spacing, they are taller than a page).
    together = ["Contact Centre", "SE1 9HA", "Email: contact@", "Tel: 020 7981"]
    _, size, _, spacing, _ = layout
    if size * spacing < 56:
        assert len({page_of(t) for t in together}) == 1


def test_address_blocks_and_contact_lines_are_grouped(code: Code) -> None:
    (section,) = [s for s in code.sections if s.id == "adr"]
    groups = pdf.block_groups(code, section.blocks)
    assert [len(g) for g in groups] == [1, 1, 4]


# --- fonts for every Latin-script language of the UK and Ireland ----------------

NAMES = ["Siân Wŷn", "Seán Ó Briain", "Łukasz Wójcik", "Zoë Brontë", "Ŵyn ŶŷŵẀẁẂẃẄẅỲỳ",
         "Ŕŕ Őő Čč Ğğ Ħħ Ċċ Ġġ Ṁṁ Ḃḃ Ḟḟ ẞß"]


@pytest.mark.parametrize("text", NAMES)
def test_body_and_address_fonts_with_the_fallback_cover_uk_irish_and_european_names(
        text: str) -> None:
    s = project_settings()
    setup = pdf.Setup(resources(s), s.print)
    assert setup.missing_body(text) == []
    assert setup.missing_address(text) == []


def test_the_fallback_is_needed_and_the_check_still_refuses_what_no_font_has() -> None:
    s = project_settings()
    setup = pdf.Setup(resources(s), s.print)
    assert fonts.missing_chars("Wŷn", setup.body_fonts) == ["ŷ"]  # Atkinson alone lacks it
    assert setup.missing_body("Wŷn 😀") == ["😀"]
