"""A copy's cover letter and paper handling, and large print made to the
reader's needs: the format the letter names, the greeting, the blank back
of a double-sided letter, DL and C4 window envelopes (and a copy too thick
to fold), options that do not apply, names in Welsh, Irish and other
European languages, bold, line spacing, font and paper, for the copy and
for the letter's own text (its line pitch, the company's postal address at
every size, the window address sized for the post and repeated at the
reader's size, a letter over a page), each checked in the PDF (pdfplumber,
pikepdf)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.copies import letter
from complaints_code.copies import request as copies
from complaints_code.structure.model import Code, ContactKind
from tests.conftest import ROOT, digest, project_settings
from tests.engines.pdf.renders import FOOTER, letter_pdf, letter_text

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
@pytest.mark.slow
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


@pytest.mark.slow
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

@pytest.mark.slow
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


@pytest.mark.slow
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
    ({"format": "large-print", "size": 24}, "C4"),  # more than 5 sheets
    ({"format": "large-print"}, "DL"),              # 18 point: 5 sheets
    ({"format": "large-print", "envelope": "DL"}, "DL"),
    ({"format": "print"}, "DL"),
    ({"format": "print", "envelope": "C4"}, "C4"),
    ({"format": "braille"}, "DL"),                # the letter alone
])
@pytest.mark.slow
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


@pytest.mark.slow
def test_the_print_room_is_told_sides_paper_sheets_and_envelope(runner: CliRunner,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "lee.pdf"
    status, output = cli(runner, "--size", "24", "--paper", "Pale yellow", "--name", "Ann Lee",
                         "--address", ADDRESS, "--out", out)
    assert status == 0, output
    with pikepdf.open(out) as doc:
        sheets = (len(doc.pages) + 1) // 2
    assert (f"print room: print double-sided on pale yellow paper (A4, matt (uncoated), at "
            f"least 90 gsm so print does not show through); {sheets} sheets; too thick to fold "
            "(more than 5 sheets): flat in a C4 window envelope, address outwards\n") in output


@pytest.mark.slow
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
    cover = next(text for text in first if text.startswith("Opus Telecoms\nCustomer"))
    assert "Large print, 20 point, bold, line spacing 2" in " ".join(cover.split())


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

@pytest.mark.slow
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

@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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



# --- the letter at the reader's size, spacing, weight and font ------------------------

def _body_lines(data: bytes, page: int = 0) -> list[dict[str, object]]:
    """A letter page's lines in the reader's type: not the window address,
    not the page number."""
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [line for line in doc.pages[page].extract_text_lines()
                if not line["chars"][0]["fontname"].endswith("Address")
                and not FOOTER.match(line["text"])]


@pytest.mark.parametrize(("size", "spacing"), [(16, 1.75), (20, 1.25), (20, 2.0), (28, 1.5)])
def test_the_letter_line_pitch_follows_the_line_spacing(size: int, spacing: float) -> None:
    lines = _body_lines(letter_pdf(size=size, spacing=spacing))
    gaps = Counter(round(float(str(b["top"])) - float(str(a["top"])), 1)
                   for a, b in itertools.pairwise(lines))
    # Most lines follow the line before within a paragraph: one line pitch.
    assert gaps.most_common(1)[0][0] == pytest.approx(size * spacing, abs=0.6)


@pytest.mark.parametrize(("size", "bold", "spacing"), [(32, False, 1.5), (32, True, 2.0),
                                                       (28, False, 1.25)])
def test_the_letter_always_gives_the_company_s_full_postal_address(
        code: Code, size: int, bold: bool, spacing: float) -> None:
    (post,) = [c for c in code.contacts if c.kind == ContactKind.POST]
    assert post.address is not None
    text = " ".join(letter_text(letter_pdf(size=size, bold=bold, spacing=spacing)).split())
    address = ", ".join(post.address.lines) + f" {post.address.postcode}"
    assert f"write to us at {address}." in text
    assert "Customer Services" in text and text.rstrip().endswith("End of letter")


def test_the_window_address_is_sized_for_the_post_and_repeated_at_the_reader_s_size(
        ) -> None:
    def window(data: bytes) -> set[float]:
        with pdfplumber.open(io.BytesIO(data)) as doc:
            return {round(c["size"], 1) for c in doc.pages[0].chars
                    if c["fontname"].endswith("Address")}
    short = letter_pdf(size=24, name="Ann Lee", address="1 High Street; London; SW1A 1AA")
    assert window(short) == {SETTINGS.print.letter.address_max_size_pt}  # 12 point
    six_lines = letter_pdf(size=24)
    assert min(window(six_lines)) >= SETTINGS.print.letter.address_size_pt  # 11 at least
    # Where the letter greets them, the address again, in the reader's size.
    lines = [str(line["text"]) for line in _body_lines(six_lines)]
    greeting = lines.index("Dear Mrs Smith,")
    repeated = " ".join(lines[greeting - 3:greeting])
    assert repeated.endswith("Mrs Jane Smith, Flat 2, 10 High Street, Wimbledon, London SW19 1AA")
    with pdfplumber.open(io.BytesIO(six_lines)) as doc:
        assert {round(c["size"]) for c in doc.pages[0].chars
                if not c["fontname"].endswith("Address")} == {24}


def test_a_letter_over_a_page_is_numbered_and_its_signature_never_alone() -> None:
    data = letter_pdf(size=32, bold=True, spacing=2.0)
    with pikepdf.open(io.BytesIO(data)) as doc:
        assert {p.label for p in doc.pages} == {"Letter"}
    texts = pages_text(data)
    assert len(texts) >= 2
    for n, text in enumerate(texts, start=1):
        assert text.rstrip().endswith(f"Letter, page {n} of {len(texts)}")
    last = [str(line["text"]) for line in _body_lines(data, len(texts) - 1)]
    assert last.index("Yours sincerely,") >= 2  # the end of a paragraph goes with it
    (one_page,) = pages_text(letter_pdf(size=16))
    assert "Letter, page" not in one_page


def test_the_letter_is_in_the_reader_s_weight_and_font() -> None:
    dejavu = letter_pdf(size=20, bold=True, font="dejavu-sans")
    usual = letter_pdf(size=20, bold=True)
    widths = []
    for data in (dejavu, usual):
        with pdfplumber.open(io.BytesIO(data)) as doc:
            chars = [c for c in doc.pages[0].chars if not c["fontname"].endswith("Address")]
        assert {c["fontname"].split("+")[-1] for c in chars} == {"Body-Bold"}
        widths.append({c["text"]: round(c["width"], 2) for c in chars}["m"])
    assert widths[0] != widths[1]  # DejaVu Sans, not Atkinson Hyperlegible


@pytest.mark.slow
def test_a_copy_too_thick_to_fold_goes_flat_in_c4_and_dl_is_refused_for_it(
        runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "lee.pdf"
    args = ["--format", "print", "--sides", "single", "--name", "Ann Lee", "--address",
            ADDRESS, "--out", out]
    status, output = cli(runner, *args)
    assert status == 0, output
    with pikepdf.open(out) as doc:
        sheets = len(doc.pages)  # single-sided
    assert sheets > 5
    assert (f"; {sheets} sheets; too thick to fold (more than 5 sheets): flat in a C4 window "
            "envelope, address outwards\n") in output
    out.unlink()
    status, output = cli(runner, *args, "--envelope", "dl")
    assert (status, output) == (2, f"error: the copy is {sheets} sheets with its letter, too "
                                   "thick to fold into a DL envelope (at most 5 sheets); send "
                                   "it flat in a C4 envelope, or print it double-sided\n")
    assert list(tmp_path.iterdir()) == []
