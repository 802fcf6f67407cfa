"""The four braille files `complaints-code build` writes, checked as files:
back-translation, page geometry, character sets, BRF = Unicode, PEF schema."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import louis
import pytest
from lxml import etree

from complaints_code.cli import main
from complaints_code.structure import plain
from complaints_code.structure.model import Code
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
BRF_G2 = ["en-us-brf.dis", "en-ueb-g2.ctb"]
CELLS, LINES = 40, 25
PEF_NS = {"p": "http://www.daisy.org/ns/2008/pef", "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`complaints-code build --only braille`, through the real CLI."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(main, ["build", "--only", "braille", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "site" / "downloads"


def brf_pages(folder: Path) -> list[list[str]]:
    """The BRF's pages as rows, read exactly (no newline translation)."""
    text = (folder / "complaints-code.brf").read_bytes().decode("ascii")
    return [page.split("\r\n")[:-1] for page in text.split("\f")]


def words(text: str) -> list[str]:
    """Words for comparison: case and spacing ignored, punctuation dropped."""
    return re.findall(r"\w+", text.lower())


def without_notes(rows: list[str]) -> list[str]:
    """The rows with every transcriber's note (opening @.< to closing @.>)
    left out: words the braille adds, not the Code's."""
    out, inside = [], False
    for row in rows:
        inside = inside or row.strip().startswith("@.<")
        if not inside:
            out.append(row)
        if inside and row.rstrip().endswith("@.>"):
            inside = False
    return out


def back_translate(rows: list[str]) -> str:
    text = " ".join(louis.backTranslateString(BRF_G2, row.strip()) for row in rows if row.strip())
    # liblouis 3.24 reads the colon of "http://" (dots 25) back as the "cc"
    # groupsign; the forward translation is correct UEB.
    return re.sub(r"cc(?=//)", ":", text)


def body_rows(pages: list[list[str]]) -> list[str]:
    """Every text row after the title and contents pages, page numbers left out."""
    # The Code starts on the page its first contents entry gives.
    entry = next(row for row in pages[1][1:] if re.search(r" #[A-J]+$", row))
    first = int(louis.backTranslateString(BRF_G2, entry.split()[-1]))
    return [row for page in pages[first - 1:] for row in page[1:]]


@pytest.mark.slow
def test_every_section_back_translates_word_for_word(built: Path, code: Code) -> None:
    actual = words(back_translate(without_notes(body_rows(brf_pages(built)))))
    at = 0
    for section in code.sections:
        expected = words(" ".join(plain.section_lines(code, section)))
        assert actual[at : at + len(expected)] == expected, f"section '{section.id}'"
        at += len(expected)
    assert at == len(actual), f"extra words after the last section: {actual[at:at + 20]}"


def test_title_page_shows_title_provider_version_date_transcription_and_page_count(
        built: Path, code: Code) -> None:
    pages = brf_pages(built)
    title = back_translate(pages[0])
    today = dt.date.today()
    assert title.split() == [
        *code.metadata.title.split(), *code.metadata.provider.split(),
        "Version", code.metadata.version, "Effective", "from", "25", "November", "2026",
        "Transcribed", "by", *code.metadata.provider.split(), "in",
        "Unified", "English", "Braille,", "grade", "2,",
        str(today.day), today.strftime("%B"), str(today.year),
        str(len(pages)), "braille", "pages"]


def test_no_line_is_longer_than_the_cells_and_no_page_longer_than_the_lines(
        built: Path) -> None:
    pages = brf_pages(built)
    assert len(pages) > 3
    assert max(len(row) for page in pages for row in page) <= CELLS
    assert max(len(page) for page in pages) <= LINES


def test_brf_holds_only_braille_ascii_crlf_and_form_feeds(built: Path) -> None:
    data = (built / "complaints-code.brf").read_bytes()
    assert set(data) <= set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.count(b"\f") == len(brf_pages(built)) - 1


def test_unicode_text_holds_only_braille_patterns_and_line_breaks(built: Path) -> None:
    text = (built / "complaints-code-braille.txt").read_text(encoding="utf-8")
    assert set(text) <= {chr(c) for c in range(0x2800, 0x2900)} | {"\n", "\f"}


def test_brf_and_unicode_text_encode_the_same_cells(built: Path) -> None:
    # liblouis's own Braille ASCII table decides which dots a BRF character is.
    brf = (built / "complaints-code.brf").read_bytes().decode("ascii")
    text = (built / "complaints-code-braille.txt").read_text(encoding="utf-8")
    brf_lines = brf.replace("\r\n", "\n").split("\n")
    text_lines = text.split("\n")
    assert len(brf_lines) == len(text_lines)
    for brf_line, text_line in zip(brf_lines, text_lines, strict=True):
        cells = brf_line.replace("\f", "")
        dots = louis.charToDots(BRF_G2, cells, mode=louis.ucBrl) if cells else ""
        assert dots.replace(" ", "\u2800") == text_line.replace("\f", "")


def test_pef_validates_against_the_relax_ng_schema(built: Path) -> None:
    schema = etree.RelaxNG(etree.parse(str(DATA / "pef-2008-1.rng")))
    doc = etree.parse(str(built / "complaints-code.pef"))
    assert schema.validate(doc), schema.error_log
    if shutil.which("jing"):
        run = subprocess.run(["jing", str(DATA / "pef-2008-1.rng"),
                              str(built / "complaints-code.pef")], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout


def test_pef_pages_match_the_unicode_text_and_fit_the_volume(built: Path) -> None:
    # The schema's Schematron rules: no page taller, no row wider than the volume.
    doc = etree.parse(str(built / "complaints-code.pef"))
    volume = doc.find(".//p:volume", PEF_NS)
    assert volume is not None
    assert (volume.get("cols"), volume.get("rows")) == (str(CELLS), str(LINES))
    pages = [[row.text or "" for row in page.findall("p:row", PEF_NS)]
             for page in doc.iterfind(".//p:page", PEF_NS)]
    text = (built / "complaints-code-braille.txt").read_text(encoding="utf-8")
    assert pages == [page.split("\n")[:-1] for page in text.split("\f")]
    assert doc.findtext(".//dc:format", namespaces=PEF_NS) == "application/x-pef+xml"


@pytest.mark.slow
def test_every_page_after_the_title_has_its_braille_number_top_right(built: Path) -> None:
    pages = brf_pages(built)
    assert pages[0][0] == ""
    for number, page in enumerate(pages[1:], start=2):
        assert page[0] == " " * (CELLS - len(page[0].lstrip())) + page[0].lstrip()
        assert louis.backTranslateString(BRF_G2, page[0].strip()) == str(number)


def test_contents_gives_the_page_each_heading_is_on(built: Path, code: Code) -> None:
    pages = brf_pages(built)
    entries = _entries([row for row in pages[1][2:] if row.strip()])
    assert [words(text) for text, _ in entries] == [words(s.title) for s in code.sections]
    for (_, page), section in zip(entries, code.sections, strict=True):
        on_page = words(back_translate(pages[page - 1][1:]))
        assert _contains(on_page, words(section.title)), (section.id, page)


def _entries(rows: list[str]) -> list[tuple[str, int]]:
    # An entry ends with guide dots (dot 5) and its braille page number; rows
    # without a number are run-overs of the entry.
    out, pending = [], ""
    for row in rows:
        match = re.fullmatch(r'(.*?)(?: "+)? (#[A-J]+)', row.strip())
        if match is None:
            pending += " " + row.strip()
            continue
        text = louis.backTranslateString(BRF_G2, (pending + " " + match.group(1)).strip())
        out.append((text, int(louis.backTranslateString(BRF_G2, match.group(2)))))
        pending = ""
    return out


def _contains(haystack: list[str], needle: list[str]) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


def test_no_page_ends_with_a_heading(built: Path, code: Code) -> None:
    headings = [words(s.title) for s in code.sections]
    for page in brf_pages(built)[2:]:
        text_rows = [row for row in page[1:] if row.strip()]
        last = words(louis.backTranslateString(BRF_G2, text_rows[-1].strip()))
        assert last not in headings, last


def test_emails_and_web_addresses_are_uncontracted_and_whole(built: Path, code: Code) -> None:
    brf = (built / "complaints-code.brf").read_bytes().decode("ascii")
    email = code.contact("email").value
    assert email is not None
    uncontracted = louis.translateString(BRF_G2, email, typeform=[louis.no_contract] * len(email))
    assert uncontracted != louis.translateString(BRF_G2, email)
    assert uncontracted in brf.split()
    assert "WWW4OPUS-TELECOMS4CO4UK" in brf.split()


def test_phone_numbers_and_postcodes_are_never_split_across_lines(built: Path) -> None:
    # Phone numbers keep the numeric space (one number); a postcode's halves
    # are two numbers with a real space (kept on one line all the same).
    rows = [row.strip() for page in brf_pages(built) for row in page]
    for number in ("#JBJ\"HEDE\"HBJJ", "#JBJ\"GIHA\"CJDJ", " ,,SW#AI #B,,TJ", " ,,SE#A #I,,HA"):
        assert any(number in f" {row} " for row in rows), number
