"""A copy's cover letter and paper handling, and large print made to the
reader's needs: the format the letter names, the greeting, the blank back
of a double-sided letter, DL and C4 window envelopes, options that do not
apply, names in Welsh, Irish and other European languages, bold, line
spacing, font and paper, each checked in the PDF (pdfplumber, pikepdf)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.copies import letter
from complaints_code.copies import request as copies
from complaints_code.structure.model import Code
from tests.conftest import ROOT, digest, project_settings

SOURCE = ROOT / "code_source" / "complaints-code.yaml"
SETTINGS = project_settings()
DAY = dt.date(2026, 12, 1)
ADDRESS = "Flat 2; 10 High Street; Wimbledon; London; sw19 1aa"
MM = 72 / 25.4


def made(code: Code, **fields: object) -> list[bytes]:
    """Every file of a copy, as bytes (the copy first)."""
    request = copies.CopyRequest.parse(fields, SETTINGS, today=DAY)
    return [a.data() for a in copies.make_copy(code, request)]


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [page.extract_text() for page in doc.pages]


def cli(runner: CliRunner, *args: str | Path) -> tuple[int, str]:
    result = runner.invoke(main, ["copy", "--source", str(SOURCE), *map(str, args)])
    return result.exit_code, result.output


# --- the letter names the format sent ---------------------------------------

@pytest.mark.parametrize(("fields", "words"), [
    ({"format": "braille"}, "in braille, grade 2."),
    ({"format": "braille", "grade": 1}, "in braille, grade 1."),
    ({"format": "large-print", "size": 24}, "in large print, 24 point."),
    ({"format": "print"}, "in standard print."),
])
def test_the_letter_names_the_format_sent(code: Code, fields: dict[str, object],
                                          words: str) -> None:
    files = made(code, name="Ann Lee", address=ADDRESS, **fields)
    letter = files[-1] if fields["format"] == "braille" else files[0]
    text = " ".join(pages_text(letter)[0].split())
    assert f"Here is the copy of our Customer Complaints Code that you asked for, {words}" in text
    assert "large print copy" not in text


def test_a_later_format_is_named_by_its_registry_label() -> None:
    assert letter.format_words("data", SETTINGS, 18) == "stages and timescales as data"


# --- the greeting ------------------------------------------------------------

@pytest.mark.parametrize(("name", "greeting"), [
    ("Mr Rajinder Singh-Thompson", "Dear Mr Singh-Thompson"),
    ("jane smith", "Dear customer"),
    ("Mrs Jane Smith", "Dear Mrs Smith"),
    ("Dr. Ann Lee", "Dear Dr Lee"),
    ("mx Sam Jones", "Dear Mx Jones"),
    ("Prof Seán Ó Briain", "Dear Prof Ó Briain"),
    ("Ms Anna van der Berg", "Dear Ms van der Berg"),
    ("Sir Ian McKellen", "Dear Sir Ian"),
    ("Dame Judi Dench", "Dear Dame Judi"),
    ("Rev Gwilym ap Rhys", "Dear Rev ap Rhys"),
    ("Lady Smith", "Dear Lady Smith"),
    ("Mr", "Dear customer"),
    ("Siân Wŷn", "Dear customer"),
])
def test_the_greeting_comes_from_the_title_and_surname(name: str, greeting: str) -> None:
    assert letter.salutation(name) == greeting


@pytest.mark.parametrize(("given", "greeting"), [
    ("Dear Rajinder", "Dear Rajinder"), ("Rajinder,", "Dear Rajinder"),
    ("  dear  Raj ", "dear Raj")])
def test_an_explicit_greeting_wins(given: str, greeting: str) -> None:
    assert letter.salutation("Mr Rajinder Singh-Thompson", given) == greeting


def test_the_greeting_is_on_the_letter_and_set_by_the_cli(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "raj.pdf"
    status, output = cli(runner, "--format", "print", "--name", "Mr Rajinder Singh-Thompson",
                         "--address", ADDRESS, "--out", out)
    assert status == 0, output
    assert "Dear Mr Singh-Thompson," in pages_text(out.read_bytes())[0]
    status, output = cli(runner, "--format", "print", "--name", "Mr Rajinder Singh-Thompson",
                         "--address", ADDRESS, "--salutation", "Dear Rajinder", "--out", out)
    assert status == 0, output
    assert "Dear Rajinder," in pages_text(out.read_bytes())[0]


# --- paper handling ------------------------------------------------------------

def test_double_sided_the_letter_has_a_blank_back_and_the_code_its_own_sheet(
        code: Code) -> None:
    (data,) = made(code, format="print", name="Ann Lee", address=ADDRESS)
    (bare,) = made(code, format="print")
    text = pages_text(data)
    assert "End of letter" in text[0] and text[1] == ""
    assert text[2].startswith("Opus Telecoms\nCustomer Complaints Code")
    with pikepdf.open(io.BytesIO(data)) as doc, pikepdf.open(io.BytesIO(bare)) as alone:
        assert len(doc.pages) == 2 + len(alone.pages)
        assert [p.label for p in doc.pages][:4] == ["Letter", "Letter", "1", "2"]


def test_single_sided_the_code_follows_the_letter_directly(code: Code) -> None:
    (data,) = made(code, format="print", name="Ann Lee", address=ADDRESS, sides="single")
    text = pages_text(data)
    assert text[1].startswith("Opus Telecoms\nCustomer Complaints Code")
    with pikepdf.open(io.BytesIO(data)) as doc:
        assert [p.label for p in doc.pages][:3] == ["Letter", "1", "2"]


def _address_box(data: bytes) -> tuple[float, float, float, float]:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        words = [w for w in doc.pages[0].extract_words(extra_attrs=["fontname"])
                 if w["fontname"].endswith("Address")]
    return (min(w["x0"] for w in words), min(w["top"] for w in words),
            max(w["x1"] for w in words), max(w["bottom"] for w in words))


@pytest.mark.parametrize(("fields", "envelope"), [
    ({"format": "large-print"}, "C4"),            # 18 point: more than 3 sheets
    ({"format": "large-print", "envelope": "DL"}, "DL"),
    ({"format": "print"}, "DL"),
    ({"format": "print", "envelope": "C4"}, "C4"),
    ({"format": "braille"}, "DL"),                # the letter alone
])
def test_the_address_shows_through_the_window_of_the_envelope_it_is_for(
        code: Code, fields: dict[str, object], envelope: str) -> None:
    files = made(code, name="Ann Lee", address=ADDRESS, **fields)
    data = files[-1] if fields["format"] == "braille" else files[0]
    _block, window, right, bottom = SETTINGS.print.letter.geometry(envelope)  # type: ignore[arg-type]
    x0, top, x1, low = _address_box(data)
    assert window.left_mm * MM <= x0 and x1 <= (window.left_mm + window.width_mm) * MM
    assert window.top_mm * MM <= top and low <= window.bottom_mm * MM
    with pdfplumber.open(io.BytesIO(data)) as doc:
        for w in doc.pages[0].extract_words(extra_attrs=["fontname"]):
            if not w["fontname"].endswith("Address"):
                assert w["x0"] >= right * MM or w["top"] >= bottom * MM, w["text"]


def test_the_print_room_is_told_sides_paper_sheets_and_envelope(runner: CliRunner,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "lee.pdf"
    status, output = cli(runner, "--size", "24", "--paper", "Pale yellow", "--name", "Ann Lee",
                         "--address", ADDRESS, "--out", out)
    assert status == 0, output
    with pikepdf.open(out) as doc:
        sheets = (len(doc.pages) + 1) // 2
    assert (f"print room: print double-sided on pale yellow paper (A4, matt (uncoated), at "
            f"least 90 gsm so print does not show through); {sheets} sheets; do not fold: a "
            "C4 window envelope\n") in output


def test_a_batch_takes_the_reader_s_needs_and_shows_the_print_room_each_job(
        runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "requests.csv"
    path.write_text(
        "format,size,bold,line_spacing,sides,paper,salutation,name,address,file\n"
        "large-print,20,yes,2,single,cream,Dear Ann,Ms Ann Lee,1 Road; London; SW1A 1AA,a.pdf\n"
        "print,,,,,,,Bob Roe,2 Lane; Leeds; LS1 1AA,b.pdf\n", encoding="utf-8")
    status, output = cli(runner, "--batch", path, "--out-dir", tmp_path / "out", "--workers", "1")
    assert status == 0, output
    assert "a.pdf: print single-sided on cream paper" in output
    assert "b.pdf: print double-sided on white paper" in output
    first = pages_text((tmp_path / "out" / "a.pdf").read_bytes())
    assert "Dear Ann," in first[0]
    assert "Large print, 20 point, bold, line spacing 2" in " ".join(first[1].split())


# --- options and file names that do not fit the format ---------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--format", "braille", "--size", "24", "--out", "x.brf"],
     "--size does not apply to a braille copy; leave it out (braille takes --grade, --cells "
     "and --lines)"),
    (["--format", "large-print", "--grade", "1", "--out", "x.pdf"],
     "--grade does not apply to a large-print copy; leave it out (large-print takes --size, "
     "--font, --bold, --line-spacing, --sides, --paper and --envelope)"),
    (["--format", "print", "--bold", "--out", "x.pdf"],
     "--bold does not apply to a print copy; leave it out (print takes --size, --sides, "
     "--paper and --envelope)"),
    (["--format", "braille", "--out", "x.pdf"],
     "a braille copy is a .brf file, but the file name “x.pdf” ends otherwise; name it x.brf"),
    (["--format", "large-print", "--out", "smith"],
     "a large-print copy is a .pdf file, but the file name “smith” ends otherwise; name it "
     "smith.pdf"),
    (["--line-spacing", "3", "--out", "x.pdf"],
     "line spacing 3 is not offered for large-print; choose 1.25, 1.5, 1.75 or 2"),
    (["--font", "comic-sans", "--out", "x.pdf"],
     "font comic-sans is not offered for large-print; choose atkinson-hyperlegible or "
     "dejavu-sans"),
    (["--paper", "tartan", "--out", "x.pdf"],
     "paper tartan is not offered for large-print; choose white, cream, pale yellow, pale "
     "blue, pale green, pink, lilac or grey"),
    (["--salutation", "Dear Ann", "--out", "x.pdf"],
     "--salutation goes on the cover letter; give --name and --address too, or leave "
     "--salutation out"),
    (["--name", "Mr Rajinder Alexander Montgomery Singh-Thompson", "--address", ADDRESS,
      "--out", "x.pdf"],
     "the name “Mr Rajinder Alexander Montgomery Singh-Thompson” is 92 mm wide; the envelope "
     "window takes 74 mm, and a name cannot be split over two lines; give the given names as "
     "initials (“Mr R A M Singh-Thompson”) or leave out a middle name"),
])
def test_options_and_names_that_do_not_fit_the_format_are_refused(
        runner: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    args = [str(tmp_path / a) if a.startswith(("x.", "smith")) else a for a in args]
    status, output = cli(runner, *args)
    assert (status, output) == (2, f"error: {message}\n")
    assert list(tmp_path.iterdir()) == []


# --- names in the languages of the UK, Ireland and Europe ---------------------------

@pytest.mark.parametrize("name", ["Mr Gwilym Wŷn", "Mr Seán Ó Briain", "Mr Łukasz Wójcik",
                                  "Ms Zoë Brontë", "Mrs Siân Ŵyn"])
def test_names_in_welsh_irish_and_european_letters_print(code: Code, name: str) -> None:
    (data,) = made(code, format="large-print", name=name,
                   address="Tŷ Gwyn; Ffordd y Môr; Aberystwyth; SY23 1AA")
    greeting = letter.salutation(name)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        page = doc.pages[0]
        text = page.extract_text()
        fonts = {c["fontname"].split("+")[-1] for c in page.chars}
    assert name in text and f"{greeting}," in text and "Tŷ Gwyn" in text
    # Each glyph from a shipped font: the body, its fallback or the address font.
    assert fonts <= {"Body", "Body-Bold", "Fallback", "Fallback-Bold", "Address"}


def test_a_letter_atkinson_lacks_comes_from_the_shipped_fallback(code: Code) -> None:
    (data,) = made(code, format="large-print", name="Mr Gwilym Wŷn", address=ADDRESS)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        used = {(c["text"], c["fontname"].split("+")[-1]) for c in doc.pages[0].chars
                if c["text"] in "ŷW"}
    assert ("ŷ", "Fallback") in used and ("W", "Body") in used


# --- large print made to the reader's needs ------------------------------------------

def test_bold_line_spacing_and_font_are_applied_and_shown_on_the_cover(code: Code) -> None:
    (data,) = made(code, format="large-print", size=20, bold=True, line_spacing=2.0,
                   font="dejavu-sans")
    with pdfplumber.open(io.BytesIO(data)) as doc:
        cover = " ".join(doc.pages[0].extract_text().split())
        body = doc.pages[3]
        fonts = {c["fontname"].split("+")[-1] for c in body.chars}
        lines = body.extract_text_lines()
    assert cover.endswith("Large print, 20 point, bold, line spacing 2, DejaVu Sans font")
    assert fonts == {"Body-Bold"}
    # Consecutive lines of one paragraph are 2 x 20 pt apart.
    gaps = {round(b["top"] - a["top"], 1) for a, b in itertools.pairwise(lines)}
    assert 40.0 in gaps


def body_widths(data: bytes) -> dict[str, float]:
    """The width of each letter on the first page of the Code's text."""
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return {c["text"]: round(c["width"], 2) for c in doc.pages[3].chars}


def test_a_copy_in_one_font_leaves_the_next_copy_in_its_own_font(code: Code) -> None:
    # One process (the service, a batch) makes copies in different fonts one
    # after another; every copy must come out as it would in a fresh process.
    before = made(code, format="large-print", size=20)[0]
    dejavu = made(code, format="large-print", size=20, font="dejavu-sans")[0]
    after = made(code, format="large-print", size=20)[0]
    assert digest(before) == digest(after)
    usual, other = body_widths(before), body_widths(dejavu)
    assert other["m"] != usual["m"]  # the DejaVu copy is set in DejaVu


FRESH_COPY = """
import datetime as dt, hashlib, sys
from complaints_code.copies import request as copies
from complaints_code.settings import load_settings
from complaints_code.structure.source import load
settings = load_settings(sys.argv[1])
checked = copies.CopyRequest.parse({"format": "large-print", "name": sys.argv[2],
                                    "address": sys.argv[3]}, settings, today=dt.date(2026, 12, 1))
(copy, *_) = copies.make_copy(load(settings.source), checked)
data = copy.data()
print(f"{hashlib.sha256(data).hexdigest()} ({len(data)} bytes)")
"""


def test_copies_share_the_code_s_pages_yet_each_is_what_a_fresh_process_makes(
        code: Code) -> None:
    # One process keeps the Code's laid-out pages for the next copy; each
    # copy must still be byte for byte what a process making only it makes,
    # also when copies are made at once in threads (as the service does).
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    people = [("Ann Lee", "1 High Street; London; SW1A 1AA"),
              ("Mr Rajinder Singh-Thompson", "Flat 2; 10 Long Road; Leeds; LS1 4AP"),
              ("Mrs Siân Wŷn", "1 Heol y Frenhines; Caerdydd; CF10 1AA")]

    def copy_for(person: tuple[str, str]) -> bytes:
        return made(code, format="large-print", name=person[0], address=person[1])[0]

    first = [copy_for(p) for p in people]
    with ThreadPoolExecutor(3) as pool:
        again = list(pool.map(copy_for, people * 2))
    assert [digest(d) for d in again] == [digest(d) for d in first * 2]
    name, address = people[1]
    fresh = subprocess.run([sys.executable, "-c", FRESH_COPY, str(ROOT / "complaints-code.toml"),
                            name, address], capture_output=True, text=True, check=True)
    assert fresh.stdout.strip() == digest(first[1])
    letters = [pages_text(d)[0] for d in first]
    assert all(p[0] in text for p, text in zip(people, letters, strict=True))
    assert len({tuple(pages_text(d)[2:]) for d in first}) == 1  # the same Code after each


def test_the_usual_choices_are_ukaaf_s() -> None:
    fmt = SETTINGS.print.formats["large-print"]
    assert (fmt.size, fmt.bold, fmt.line_spacing, fmt.paper_tint) == (18, False, 1.5, "white")
    assert fmt.describe(18) == "Large print, 18 point, line spacing 1.5"

