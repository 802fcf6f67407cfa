"""The accessible EPUB 3: EPUBCheck and DAISY Ace find nothing, the container
is deterministic (with SOURCE_DATE_EPOCH), the text reflows at 390 px with
text at 200 %, and the structure, language, tables, fonts, style sheet and
accessibility metadata are what a screen reader and an e-reader need, and
claim no more than was checked."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from complaints_code.engines.epub import NUMBER_HEADING, modified
from complaints_code.errors import InputError
from complaints_code.structure import plain
from complaints_code.structure.model import Code
from tests.conftest import ROOT, digest, render
from tests.epub_checks import assert_ace_clean, assert_epubcheck_clean

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "epub": "http://www.idpf.org/2007/ops"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPOCH = "1795996800"
"""SOURCE_DATE_EPOCH for the tests' books: 2026-11-30T00:00:00Z."""


@pytest.fixture(scope="module", autouse=True)
def reproducible() -> object:
    """Every book in this module made as a reproducible build makes it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


@pytest.fixture(scope="module")
def book(code: Code) -> bytes:
    (made,) = render("epub", code)
    assert made.name == "downloads/complaints-code.epub"
    assert made.media_type == "application/epub+zip"
    return made.data()


@pytest.fixture(scope="module")
def book_file(book: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("epub") / "complaints-code.epub"
    path.write_bytes(book)
    return path


def _files(book: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(book)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _xml(book: bytes, name: str) -> ET.Element:
    return ET.fromstring(_files(book)[name])


def _text(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


@pytest.mark.slow
def test_epubcheck_finds_no_errors_and_no_warnings(book_file: Path) -> None:
    assert_epubcheck_clean(book_file)


@pytest.mark.browser
def test_daisy_ace_finds_no_violations(book_file: Path, tmp_path: Path) -> None:
    assert_ace_clean(book_file, tmp_path / "ace")


def test_mimetype_comes_first_stored_and_every_entry_has_a_fixed_time(book: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(book)) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert _files(book)["mimetype"] == b"application/epub+zip"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert book[30:38] == b"mimetype"  # no extra field before the name


def test_the_same_code_makes_the_same_bytes(code: Code, book: bytes) -> None:
    (again,) = render("epub", code)
    assert digest(again.data()) == digest(book)


def test_modified_is_source_date_epoch_when_set(book: bytes) -> None:
    opf = _xml(book, "EPUB/package.opf")
    stamp = opf.find("opf:metadata/opf:meta[@property='dcterms:modified']", NS)
    assert stamp is not None
    assert stamp.text == "2026-11-30T00:00:00Z"


def test_modified_is_the_build_time_without_source_date_epoch() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = dt.datetime.strptime(modified({}), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert before <= stamp <= dt.datetime.now(dt.UTC)
    assert modified({"SOURCE_DATE_EPOCH": "0"}) == "1970-01-01T00:00:00Z"


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "99999999999999999", "١٢"])
def test_a_source_date_epoch_that_is_no_time_is_refused_naming_it(value: str) -> None:
    # As the reproducible-builds specification asks; a huge one was a traceback.
    with pytest.raises(InputError, match=r"^SOURCE_DATE_EPOCH = .* is not a time: give whole "
                       r"seconds since 1970 \(e\.g\. 1700000000\), or unset it$"):
        modified({"SOURCE_DATE_EPOCH": value})


def test_headings_are_a_hierarchy_title_then_main_then_sub_headings(code: Code,
                                                                    book: bytes) -> None:
    doc = _xml(book, "EPUB/code.xhtml")
    headings = [(el.tag.split("}")[1], _text(el)) for el in doc.iter()
                if el.tag.split("}")[1] in ("h1", "h2", "h3", "h4", "h5", "h6")]
    expected = [("h1", code.metadata.title)] + [
        ("h2" if s.level == 1 else "h3", s.title) for s in code.sections]
    assert headings == expected
    levels = [int(tag[1]) for tag, _ in headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_sub_sections_are_nested_in_their_main_section(book: bytes) -> None:
    doc = _xml(book, "EPUB/code.xhtml")
    parent = doc.find(".//x:section[@id='complaint-handling']", NS)
    assert parent is not None
    assert [s.get("id") for s in parent.findall("x:section", NS)] == [
        "complaints", "contact-us", "response-times", "stages", "adr"]


def test_navigation_lists_every_heading_in_order_with_working_links(code: Code,
                                                                    book: bytes) -> None:
    nav = _xml(book, "EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@role='doc-toc']", NS)
    assert toc is not None
    assert toc.get("{http://www.idpf.org/2007/ops}type") == "toc"
    links = [(a.get("href"), _text(a)) for a in toc.iter("{http://www.w3.org/1999/xhtml}a")]
    assert links[:-1] == [(f"code.xhtml#{s.id}", s.title) for s in code.sections]
    assert links[-1] == ("font-licence.xhtml", "Font licence")
    ids = {el.get("id") for el in _xml(book, "EPUB/code.xhtml").iter()}
    assert {s.id for s in code.sections} <= ids


def test_every_document_and_the_package_say_en_gb(book: bytes) -> None:
    for name in ("EPUB/code.xhtml", "EPUB/nav.xhtml", "EPUB/font-licence.xhtml"):
        root = _xml(book, name)
        assert (root.get("lang"), root.get(XML_LANG)) == ("en-GB", "en-GB"), name
    opf = _xml(book, "EPUB/package.opf")
    assert opf.get(XML_LANG) == "en-GB"
    assert opf.findtext("opf:metadata/dc:language", namespaces=NS) == "en-GB"


def test_tables_are_named_by_their_headings_and_have_header_cells_with_scope(
        code: Code, book: bytes) -> None:
    doc = _xml(book, "EPUB/code.xhtml")
    headings = {el.get("id"): _text(el) for el in doc.iter()
                if el.tag.split("}")[1] in ("h2", "h3")}
    tables = list(doc.iter("{http://www.w3.org/1999/xhtml}table"))
    assert len(tables) == 2
    for table in tables:
        assert headings.get(table.get("aria-labelledby"))
        cells = list(table.iter("{http://www.w3.org/1999/xhtml}th"))
        assert cells and all(th.get("scope") in ("row", "col") for th in cells)
        assert all(_text(th) for th in cells)
    stages = tables[1]
    heads = [_text(th) for th in stages.findall("x:thead/x:tr/x:th", NS)]
    assert heads == [NUMBER_HEADING, "Stage", "Description"]
    rows = stages.findall("x:tbody/x:tr", NS)
    assert ["".join(r.find("x:th", NS).itertext())  # type: ignore[union-attr]
            for r in rows] == [s.title for s in code.stages]


def test_every_line_of_the_code_is_in_the_book(code: Code, book: bytes) -> None:
    text = _text(_xml(book, "EPUB/code.xhtml"))
    missing = [cell for line in plain.lines(code) for cell in line.split("\t")
               if cell and " ".join(cell.split()) not in text]
    assert missing == []


def test_contact_values_are_real_links(code: Code, book: bytes) -> None:
    doc = _files(book)["EPUB/code.xhtml"].decode()
    assert 'href="tel:+442085458200"' in doc
    assert f'href="mailto:{code.contact("email").value}"' in doc


def test_the_shipped_fonts_are_embedded_with_their_licence(book: bytes) -> None:
    files = _files(book)
    fonts = ROOT / "templates" / "fonts"
    for name in ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf"):
        assert files[f"EPUB/fonts/{name}"] == (fonts / name).read_bytes()
    licence = _text(_xml(book, "EPUB/font-licence.xhtml"))
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Copyright 2020 Braille Institute of America, Inc." in licence
    css = files["EPUB/css/code.css"].decode()
    assert 'src: url("../fonts/AtkinsonHyperlegible-Bold.ttf")' in css
    assert 'font-family: "Atkinson Hyperlegible", sans-serif' in css


def test_style_sheet_leaves_size_and_colour_to_the_reader(book: bytes) -> None:
    css = _files(book)["EPUB/css/code.css"].decode()
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert not re.search(r"\b(?:color|background(?:-color)?)\s*:", rules)
    lengths = re.findall(r"[\d.]+(?:px|pt|pc|cm|mm|in|Q)\b", rules)
    assert set(lengths) == {"1px"}  # hairline borders and the visually hidden helper only
    sizes = re.findall(r"font-size:\s*([^;]+);", rules)
    assert sizes and all(size.endswith("em") for size in sizes)
    body = rules[rules.index("body {"):]
    assert "font-size" not in body[:body.index("}")]  # the body keeps the reader's size


def test_accessibility_metadata_is_complete(book: bytes) -> None:
    meta = _xml(book, "EPUB/package.opf").find("opf:metadata", NS)
    assert meta is not None
    props: dict[str, list[str]] = {}
    for el in meta.findall("opf:meta", NS):
        props.setdefault(el.get("property", ""), []).append(el.text or "")
    assert props["schema:accessMode"] == ["textual"]
    assert props["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder",
            "displayTransformability"} <= set(props["schema:accessibilityFeature"])
    assert props["schema:accessibilityHazard"] == ["none"]
    summary = props["schema:accessibilitySummary"][0]
    assert "screen reader" in summary
    # No certifier set: no claim of conformance, and the summary says what
    # was checked, how, and that it was not audited by hand.
    assert "dcterms:conformsTo" not in props
    assert "a11y:certifiedBy" not in props
    for checked in ("EPUBCheck", "DAISY Ace", "390 pixels wide at 200% text size",
                    "not been audited by hand", "no formal claim of conformance"):
        assert checked in summary


def test_conformance_is_claimed_only_with_a_certifier_from_the_settings(code: Code) -> None:
    from tests.conftest import project_settings

    settings = project_settings(epub={"certified_by": "Opus Telecoms Digital"})
    (made,) = render("epub", code, settings)
    meta = _xml(made.data(), "EPUB/package.opf").find("opf:metadata", NS)
    assert meta is not None
    claim = meta.find("opf:meta[@property='dcterms:conformsTo']", NS)
    certified = meta.find("opf:meta[@property='a11y:certifiedBy']", NS)
    assert claim is not None and certified is not None
    assert claim.text == "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
    assert (certified.text, certified.get("refines")) == ("Opus Telecoms Digital",
                                                          f"#{claim.get('id')}")
    summary = meta.findtext("opf:meta[@property='schema:accessibilitySummary']", namespaces=NS)
    assert summary is not None and "as checked by Opus Telecoms Digital" in summary
    assert "not been audited" not in summary


def test_with_styles_off_nothing_meant_only_for_screen_readers_is_in_the_text(
        book: bytes) -> None:
    # Without the style sheet a visually hidden element shows: no captions
    # (the tables are named by their headings), and the only hidden words
    # are the blank number column's heading, in the header row where they
    # belong.
    doc = _xml(book, "EPUB/code.xhtml")
    assert not list(doc.iter("{http://www.w3.org/1999/xhtml}caption"))
    hidden = [el for el in doc.iter() if "visually-hidden" in (el.get("class") or "")]
    parents = {child: parent for parent in doc.iter() for child in parent}
    for el in hidden:
        assert parents[el].tag == "{http://www.w3.org/1999/xhtml}th", _text(el)
        assert parents[parents[parents[el]]].tag == "{http://www.w3.org/1999/xhtml}thead"


def test_email_and_web_addresses_may_break_after_at_dots_and_slashes(book: bytes) -> None:
    doc = _files(book)["EPUB/code.xhtml"].decode()
    assert "customerservice@<wbr/>opus-<wbr/>telecoms.<wbr/>co.<wbr/>uk" in doc
    assert "http:/<wbr/>/<wbr/>www.<wbr/>ofcom.<wbr/>org.<wbr/>uk/" in doc
    css = _files(book)["EPUB/css/code.css"].decode()
    assert re.search(r"\.breakable\s*\{\s*white-space:\s*normal", css)


REFLOW_CHECK = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".visually-hidden")) continue;  // clipped to 1 px on purpose
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const style = getComputedStyle(el);
    const clips = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
    if (box.left < -0.5 || box.right > width + 0.5)
      found.push(`${el.tagName} overflows: ${Math.round(box.left)}-${Math.round(box.right)}`
                 + ` of ${width}: ${el.textContent.trim().slice(0, 40)}`);
    else if (clips && el.scrollWidth > el.clientWidth + 1)
      found.push(`${el.tagName} clips ${el.scrollWidth - el.clientWidth} px: `
                 + el.textContent.trim().slice(0, 40));
  }
  const page = document.documentElement.scrollWidth;
  if (page > width) found.push(`the page scrolls sideways: ${page} px in ${width}`);
  return found;
}"""


@pytest.mark.browser
def test_the_text_reflows_at_390_px_with_text_at_200_percent(
        book: bytes, tmp_path: Path, artifacts: Path) -> None:
    # WCAG 1.4.10: nothing cut off or scrolled sideways on a phone with the
    # text doubled (as a reading system's text-size control does it).
    from tests.browser import chromium

    with zipfile.ZipFile(io.BytesIO(book)) as zf:
        zf.extractall(tmp_path)
    problems: dict[str, list[str]] = {}
    with chromium() as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        for doc in ("code.xhtml", "nav.xhtml", "font-licence.xhtml"):
            page.goto((tmp_path / "EPUB" / doc).as_uri())
            page.add_style_tag(content="html { font-size: 200% !important; }")
            page.wait_for_timeout(100)
            problems[doc] = page.evaluate(REFLOW_CHECK)
            if doc == "code.xhtml":
                size = page.evaluate("getComputedStyle(document.body).fontSize")
                page.screenshot(path=str(artifacts / "epub-390px-200pc.png"), full_page=True)
    assert size == "32px"
    assert problems == {"code.xhtml": [], "nav.xhtml": [], "font-licence.xhtml": []}


@pytest.mark.browser
def test_the_books_pages_render_in_chromium(book: bytes, tmp_path: Path,
                                            artifacts: Path) -> None:
    from tests.browser import chromium

    with zipfile.ZipFile(io.BytesIO(book)) as zf:
        zf.extractall(tmp_path)
    with chromium() as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": 700, "height": 1000})
        page.goto((tmp_path / "EPUB" / "code.xhtml").as_uri())
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        loaded = page.evaluate("document.fonts.check('bold 16px \"Atkinson Hyperlegible\"')")
        page.screenshot(path=str(artifacts / "epub-code.png"), full_page=True)
        page.goto((tmp_path / "EPUB" / "nav.xhtml").as_uri())
        page.screenshot(path=str(artifacts / "epub-nav.png"))
    assert family.startswith('"Atkinson Hyperlegible"')
    assert loaded


# --- the talking book's text and overlay, without speaking ------------------

def test_clock_values_and_clips_meet_to_the_millisecond() -> None:
    from complaints_code.engines.epub import clips, clock

    assert clock(83.5) == "0:01:23.500"
    assert clock(3725.0004) == "1:02:05.000"
    made = clips(("a", "b", "c"), (1.0004, 2.0004, 0.3333))
    assert [(c.anchor, c.begin, c.end) for c in made] == [
        ("a", 0, 1000), ("b", 1000, 3001), ("c", 3001, 3334)]


def test_every_spoken_part_has_its_element_in_the_talking_books_text(code: Code) -> None:
    # The speech's anchors and the book's ids are made in two places (the
    # script and the template): they must name the same elements, in order.
    from complaints_code.engines.audio.script import load_script
    from complaints_code.engines.epub import NarratedSection, Narration, clips, code_epub
    from complaints_code.resources import resources
    from tests.conftest import TEMPLATES, project_settings

    tracks = load_script(TEMPLATES / "audio").book_tracks(code)
    narration = Narration(tuple(
        NarratedSection(f"audio/{t.name}.mp3", b"", clips(t.anchors, (1.0,) * len(t.anchors)))
        for t in tracks), "a test voice")
    settings = project_settings()
    book = code_epub(code, settings, resources(settings), narration)
    doc = _xml(book, "EPUB/code.xhtml")
    ids = [el.get("id") for el in doc.iter() if el.get("id")]
    assert ids == [a for t in tracks for a in t.anchors]
    assert tracks[0].anchors == ("title", "version")
    smil = _files(book)["EPUB/code.smil"].decode()
    assert smil.count("<par ") == len(ids)
    nav = _files(book)["EPUB/nav.xhtml"].decode()
    assert 'href="code.xhtml#purpose-heading"' in nav
