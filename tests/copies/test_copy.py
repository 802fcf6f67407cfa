"""On-request copies and their cover letter: the `copy` command, sizes, the
envelope window measured in the PDF, errors, braille letters and batches."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.copies import batch as copy_batch
from complaints_code.copies import errors as copy_errors
from complaints_code.copies import letter
from complaints_code.copies import request as copies
from complaints_code.engines.pdf import render as pdf
from complaints_code.resources import resources
from complaints_code.structure.model import Code
from tests.conftest import ROOT, project_settings

SOURCE = ROOT / "code_source" / "complaints-code.yaml"
SETTINGS = project_settings()
SETUP = pdf.Setup(resources(SETTINGS), SETTINGS.print)
DAY = dt.date(2026, 12, 1)
ADDRESS = "Flat 2; 10 High Street; Wimbledon; London; sw19 1aa"
MM = 72 / 25.4


def request(**fields: object) -> copies.CopyRequest:
    return copies.CopyRequest.parse(fields, SETTINGS, today=DAY)


def make(code: Code, **fields: object) -> bytes:
    (made,) = copies.make_copy(code, request(**fields))
    return made.data()


def cli(runner: CliRunner, *args: str | Path) -> tuple[int, str]:
    result = runner.invoke(main, ["copy", "--source", str(SOURCE), *map(str, args)])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def personalised(code: Code) -> bytes:
    return make(code, format="large-print", name="Mrs Jane Smith", address=ADDRESS,
                reference="CC-2026-00123")


@pytest.mark.slow
def test_letter_comes_first_with_date_reference_and_end_of_letter(personalised: bytes) -> None:
    with pdfplumber.open(io.BytesIO(personalised)) as doc:
        first = doc.pages[0].extract_text()
        assert "Page" not in first  # the letter is not a page of the Code
        assert doc.pages[1].extract_text() == ""  # its blank back, printed double-sided
        assert doc.pages[2].extract_text().startswith("Opus Telecoms\nCustomer Complaints Code")
    for words in ("1 December 2026", "Your reference:", "CC-2026-00123", "Dear Mrs Smith,",
                  "large print, 18 point", "020 8545 8200", "End of letter"):
        assert words in first


@pytest.mark.slow
def test_letter_address_lies_inside_the_envelope_window(personalised: bytes) -> None:
    window = SETTINGS.print.letter.window
    left, top = window.left_mm * MM, window.top_mm * MM
    right, bottom = left + window.width_mm * MM, top + window.height_mm * MM
    with pdfplumber.open(io.BytesIO(personalised)) as doc:
        words = doc.pages[0].extract_words(extra_attrs=["fontname", "size"])
    address = [w for w in words if w["fontname"].endswith("Address")]
    assert " ".join(w["text"] for w in address) == (
        "Mrs Jane Smith Flat 2 10 High Street Wimbledon London SW19 1AA")
    for w in address:
        assert left <= w["x0"] and w["x1"] <= right and top <= w["top"] and w["bottom"] <= bottom
    # Nothing else shows through the window, even with the sheet sliding.
    clear = SETTINGS.print.letter
    for w in words:
        if w not in address:
            assert w["x0"] >= clear.clear_right_mm * MM or w["top"] >= clear.clear_bottom_mm * MM


LONGEST_LETTER = {"name": "Mr Alexander Montgomery-Smythe",
                  "address": "Flat 12, Windsor Court; 150 Kingsbridge Road; Wimbledon; London; "
                             "SW19 1AA"}


@pytest.mark.slow
@pytest.mark.parametrize(("size", "reference"), [
    (16, "CC-2026-0012345-ABCDEF-0099"), (18, "CC-2026-0012345-ABCDEF"),
    (20, "CC-2026-0012345"), (24, "CC-2026-0012345"), (28, "CC-2026-0012"),
    (32, "CC-2026-00123")])
def test_letter_that_passes_the_checks_keeps_within_the_margin(
        code: Code, size: int, reference: str) -> None:
    checked = request(format="large-print", size=size, reference=reference, **LONGEST_LETTER)
    assert checked.letter is not None
    fmt = SETTINGS.print.formats["large-print"]
    doc = pdf.letter_document(code, SETUP, checked.letter, fmt, size)
    with pdfplumber.open(io.BytesIO(pdf.pdf_bytes([doc], letter_pages=len(doc.pages)))) as out:
        for page in out.pages:
            right_edge = page.width - pdf.LETTER_RIGHT_MARGIN_MM * MM
            assert max(c["x1"] for c in page.chars) <= right_edge + 0.5
        head = SETTINGS.print.letter.clear_right_mm * MM
        column = "".join(c["text"] for c in out.pages[0].chars if c["x0"] >= head - 1)
        text = "\n".join(page.extract_text() for page in out.pages)
    assert reference in column  # whole, in order, though perhaps over two lines
    assert "End of letter" in text and LONGEST_LETTER["name"] in text


@pytest.mark.parametrize(("size", "reference", "message"), [
    (32, "CC2026001234567890", "the reference part “CC2026001234567890” is 120 mm wide at 32 "
     "point; the letter has 83 mm for it; shorten it, add hyphens where it may break, or "
     "choose a smaller size"),
    (32, "CC-2026-0012345-ABCDEF", "the reference takes 3 lines at 32 point; at most 2 fit "
     "beside the envelope window; shorten it or choose a smaller size"),
    (18, "A-" * 21, "the reference is 42 characters long; at most 40 fit on the letter; "
     "shorten it"),
    (18, "ABCDEFGHIJKLMNO-ABCDEFGHIJKLMNO-ABCDEF", "the reference takes 3 lines at 18 point; "
     "at most 2 fit beside the envelope window; shorten it or choose a smaller size"),
])
def test_reference_that_cannot_fit_is_refused_before_rendering(
        size: int, reference: str, message: str) -> None:
    with pytest.raises(copy_errors.CopyRequestInvalid) as info:
        request(format="large-print", size=size, reference=reference, **LONGEST_LETTER)
    (problem,) = info.value.problems
    assert (problem.field, problem.kind, str(problem)) == ("reference", "fit", message)


@pytest.mark.slow
def test_size_24_changes_every_text_size_but_the_window_address(code: Code) -> None:
    data = make(code, format="large-print", size=24, name="Ann Lee", address=ADDRESS)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        chars = [c for page in doc.pages for c in page.chars]
        footers = {round(c["size"]) for p in doc.pages if "Letter" not in p.extract_text()
                   for c in p.chars if c["top"] > p.height - 100}
    assert min(c["size"] for c in chars if not c["fontname"].endswith("Address")) >= 23.99
    # The window address at a size postal machines read (10 to 12 point).
    assert {round(c["size"], 1) for c in chars if c["fontname"].endswith("Address")} <= {
        11.0, 11.5, 12.0}
    assert footers == {24}


@pytest.mark.slow
def test_cli_writes_one_customers_copy(runner: CliRunner, tmp_path: Path, code: Code) -> None:
    out = tmp_path / "smith.pdf"
    status, output = cli(runner, "--format", "print", "--name", "Ann Lee", "--address",
                         ADDRESS, "--reference", "R1", "--date", "2026-12-01", "--out", out)
    assert status == 0, output
    assert f"wrote {out}" in output
    with pikepdf.open(out) as doc:
        assert str(doc.Root.Lang) == "en-GB" and "/StructTreeRoot" in doc.Root
        plain_copy = pikepdf.open(io.BytesIO(make(code, format="print")))
        # The letter and its blank back (double-sided), then the Code.
        assert len(doc.pages) == 2 + len(plain_copy.pages)


@pytest.mark.slow
def test_copies_are_byte_identical_for_the_same_request(code: Code, personalised: bytes) -> None:
    assert make(code, format="large-print", name="Mrs Jane Smith", address=ADDRESS,
                reference="CC-2026-00123") == personalised


@pytest.mark.parametrize(("args", "message"), [
    (["--size", "15"], "size 15 is not offered for large-print; choose 16, 18, 20, 24, 28 or 32"),
    (["--format", "print", "--size", "18"],
     "size 18 is not offered for print; choose 12 or 14"),
    (["--name", "Ann Lee", "--address", "1 Road; London"],
     "the last address line “London” is not a UK postcode; put the postcode (for example "
     "SW19 2TJ) on a line of its own, last"),
    (["--name", "Ann Lee", "--address", "1 Road; London; SW19"],
     "the last address line “SW19” is not a UK postcode; put the postcode (for example "
     "SW19 2TJ) on a line of its own, last"),
    (["--name", "Ann Lee", "--address", "1; 2; 3; 4; 5; 6; SW19 1AA"],
     "the address has 8 lines with the name; at most 6 fit in the envelope window; join "
     "some lines with commas"),
    (["--name", "Ann Lee", "--address",
      "The Old Rectory Cottages, Upper Middlewick Lane; Kent; CT1 1AA"],
     "address line 2 “The Old Rectory Cottages, Upper Middlewick Lane” is 87 mm wide; the "
     "envelope window takes 74 mm; shorten it or split it over two lines"),
    (["--name", "Ann 😀", "--address", ADDRESS],
     "the name contains “😀” (U+1F600), which the print font cannot show; type it with "
     "ordinary letters"),
    (["--name", "Ann Lee", "--address", "1 ☎ Road; London; SW19 1AA"],
     "the address contains “☎” (U+260E), which the print font cannot show; type it with "
     "ordinary letters"),
    (["--name", "Ann Lee", "--address", ADDRESS, "--reference", "★1"],
     "the reference contains “★” (U+2605), which the print font cannot show; type it with "
     "ordinary letters"),
    (["--name", "Ann Lee"], "a cover letter needs both --name and --address (address lines "
     "separated by new lines or semicolons)"),
    (["--name", "Ann\x00Lee", "--address", ADDRESS],
     "--name contains the control character <U+0000 NULL>; remove it"),
    (["--reference", "R1"], "--reference goes on the cover letter; give --name and --address "
     "too, or leave --reference out"),
    (["--date", "1/12/2026"], "--date '1/12/2026' is not a date; write it as YYYY-MM-DD, "
     "e.g. 2026-12-01"),
])
def test_bad_requests_are_refused_and_nothing_is_written(
        runner: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    status, output = cli(runner, *args, "--out", tmp_path / "copy.pdf")
    assert (status, output) == (2, f"error: {message}\n")
    assert list(tmp_path.iterdir()) == []


def test_postcode_is_normalised_to_capitals_with_one_space() -> None:
    lines = letter.recipient_lines("Ann Lee", "1 Road\nLondon\n  sw1a1aa ", SETUP)
    assert lines == ("Ann Lee", "1 Road", "London", "SW1A 1AA")


def test_a_braille_copy_s_letter_is_a_large_print_pdf_of_its_own(code: Code) -> None:
    made = copies.make_copy(code, request(format="braille", name="Ann Lee", address=ADDRESS))
    assert [a.copy_suffix for a in made] == [".brf", "-braille.txt", "-braille-preview.html",
                                              "-cover-note.brf", "-letter.pdf"]
    with pdfplumber.open(io.BytesIO(made[-1].data())) as doc:
        assert len(doc.pages) == 1
        assert "End of letter" in doc.pages[0].extract_text()
        assert min(c["size"] for c in doc.pages[0].chars
                   if not c["fontname"].endswith("Address")) >= 17.99  # large print's usual


def test_braille_copy_with_a_letter_writes_the_letter_beside_it(runner: CliRunner,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "ann.brf"
    status, output = cli(runner, "--format", "braille", "--grade", "2", "--name", "Ann Lee",
                         "--address", ADDRESS, "--out", out)
    assert status == 0, output
    assert out.exists() and (tmp_path / "ann-letter.pdf").exists()


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "requests.csv"
    path.write_text(
        "format,size,name,address,reference,file\n"
        'large-print,24,Ann Lee,"1 Road\nLondon\nSW1A 1AA",R1,\n'
        "print,,Bob Roe,2 Lane; Leeds; LS1 1AA,,bob.pdf\n"
        "large-print,,,,,\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_batch_writes_one_pdf_per_request(runner: CliRunner, tmp_path: Path) -> None:
    status, output = cli(runner, "--batch", _csv(tmp_path), "--out-dir", tmp_path / "out")
    assert status == 0, output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "001-r1.pdf", "003-large-print.pdf", "bob.pdf"]
    assert re.search(r"\[3/3\] .*\n3 copies in [\d.]+ s", output)


def test_batch_merged_print_run_starts_each_copy_on_a_fresh_sheet(code: Code) -> None:
    single = [make(code, format="large-print", name="Ann Lee", address=ADDRESS),
              make(code, format="print")]
    merged = copy_batch.merge(single)
    counts = [len(pikepdf.open(io.BytesIO(d)).pages) for d in single]
    with pikepdf.open(io.BytesIO(merged)) as doc:
        assert len(doc.pages) == sum(c + c % 2 for c in counts)


@pytest.mark.slow
def test_batch_merged_via_cli_holds_every_copy_in_row_order(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    status, output = cli(runner, "--batch", _csv(tmp_path), "--merged", tmp_path / "run.pdf")
    assert status == 0, output
    assert f"wrote {tmp_path / 'run.pdf'}" in output
    with pdfplumber.open(tmp_path / "run.pdf") as doc:
        texts = [page.extract_text() for page in doc.pages]
    letters = [n for n, text in enumerate(texts) if "Dear " in text]
    ends = [n for n, text in enumerate(texts) if "End of letter" in text]
    covers = [n for n, text in enumerate(texts)
              if " ".join(text.split()).startswith("Opus Telecoms Customer Complaints Code")]
    # Rows: Ann Lee (letter, 24 pt), Bob Roe (letter, print), a plain copy.
    # Names without a title are greeted "Dear customer".
    assert [texts[n].split("Dear ")[1].split(",")[0] for n in letters] == ["customer"] * 2
    assert len(covers) == 3
    # Each letter comes before its copy; with a blank back if it ends on the
    # front of a sheet (double-sided), so the copy starts a fresh sheet.
    assert all(start <= end < cover for start, end, cover in zip(letters, ends, covers,
                                                                 strict=False))
    assert all(texts[n + 1] == "" for n in ends if (n - letters[ends.index(n)]) % 2 == 0)
    assert all(n % 2 == 0 for n in letters + covers)  # each starts a fresh sheet
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requests.csv", "run.pdf"]


def test_batch_reports_every_bad_row_and_writes_nothing(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "requests.json"
    path.write_text(json.dumps([
        {"format": "large-print", "size": 15},
        {"format": "print", "name": "Ann", "address": ["1 Road", "London"]},
        {"format": "braille"},
        {"format": "large-print", "size": "big"},
    ]), encoding="utf-8")
    status, output = cli(runner, "--batch", path, "--merged", tmp_path / "run.pdf")
    assert (status, output) == (2, (
        f"error: {path}:request 1: size: size 15 is not offered for large-print; choose 16, "
        "18, 20, 24, 28 or 32\n"
        f"{path}:request 2: address: the last address line “London” is not a UK postcode; "
        "put the postcode (for example SW19 2TJ) on a line of its own, last\n"
        f"{path}:request 3: format: a braille copy cannot go into a merged PDF print run; use "
        "--out-dir, or make the braille copies separately\n"
        f"{path}:request 4: size: 'big' is not a whole number; write digits only, e.g. 18\n"
        "4 problems in the batch; nothing was written\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requests.json"]


def test_batch_needs_exactly_one_destination(runner: CliRunner, tmp_path: Path) -> None:
    status, output = cli(runner, "--batch", _csv(tmp_path))
    assert (status, output) == (2, "error: with --batch, give either --out-dir FOLDER (a file "
                                   "per copy) or --merged FILE.pdf (one print run)\n")


@pytest.mark.slow
def test_at_32_point_no_character_lies_beyond_the_right_margin(code: Code) -> None:
    data = make(code, format="large-print", size=32)
    margin = 20 * MM  # code.css.j2's @page side margins
    with pdfplumber.open(io.BytesIO(data)) as doc:
        beyond = [(n, c["text"]) for n, page in enumerate(doc.pages, start=1)
                  for c in page.chars if c["x1"] > page.width - margin + 0.5]
        text = "\n".join(page.extract_text() for page in doc.pages)
    assert beyond == []
    # The long email breaks only after @ . / or - (here after a dot).
    assert "customerservice@opus-telecoms.\nco.uk" in text


def test_emails_and_web_addresses_get_break_points_after_at_dot_slash_hyphen() -> None:
    from complaints_code.engines.html import breakable, keep_together

    assert str(breakable("a.b@c-d.co.uk/x")) == "a.<wbr>b@<wbr>c-<wbr>d.<wbr>co.<wbr>uk/<wbr>x"
    assert str(keep_together("write to me@x.org now", breaks=True)) == (
        'write to <span class="nowrap breakable">me@<wbr>x.<wbr>org</span> now')
    # The website keeps them whole (its narrow layout is checked in the browser tests).
    assert str(keep_together("write to me@x.org now")) == (
        'write to <span class="nowrap">me@x.org</span> now')


def test_every_wrong_option_is_reported_at_once_each_naming_its_flag(
        runner: CliRunner, tmp_path: Path) -> None:
    status, output = cli(runner, "--format", "braille", "--size", "24", "--paper", "pink",
                         "--name", "Ann Lee", "--address", "1 Road; London",
                         "--out", tmp_path / "x.pdf")
    assert status == 2
    assert output.splitlines() == [
        "error: --size does not apply to a braille copy; leave it out (braille takes "
        "--grade, --cells and --lines)",
        "error: --paper does not apply to a braille copy; leave it out (braille takes "
        "--grade, --cells and --lines)",
        "error: the last address line “London” is not a UK postcode; put the postcode "
        "(for example SW19 2TJ) on a line of its own, last",
        "error: a braille copy is a .brf file, but the file name “x.pdf” ends otherwise; "
        "name it x.brf"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_the_emailed_pdf_is_a_copy_format_of_the_command_too(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "lee.pdf"
    status, output = cli(runner, "--format", "email-pdf", "--size", "24", "--out", out)
    assert status == 0, output
    assert "print room: nothing to print" in output
    with pdfplumber.open(out) as doc:
        assert "End of letter" not in doc.pages[0].extract_text()
        assert min(c["size"] for c in doc.pages[3].chars) >= 23.99
    refused = cli(runner, "--format", "email-pdf", "--name", "Ann Lee", "--address", ADDRESS,
                  "--out", tmp_path / "x.pdf")
    assert refused[0] == 2 and "--address does not apply to an email-pdf copy" in refused[1]
