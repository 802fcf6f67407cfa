"""Paper economy and the look of the pages, measured in the built PDFs
(pdfplumber): no page holds only a few lines because of a page break the
layout could avoid, the contact list stays on one page where it fits, and
headings stay larger than the body at every size, with bold too."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest

from complaints_code.engines.pdf import paging
from tests.engines.pdf.renders import LAYOUTS, code_pdf, page_lines, the_code

TOP_MM, SHORTEST = 18, 1 / 4
"""The page's top margin (code.css.j2), and the least share of a page's text
area a page's text must reach down: a page holding three lines at 32 point,
or a contents entry or two, reaches less."""


def _id(layout: tuple[str, int, bool, float, str | None]) -> str:
    name, size, bold, spacing, font = layout
    return f"{name}-{size}{'-bold' if bold else ''}-{spacing:g}{f'-{font}' if font else ''}"


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS, ids=_id)
def test_no_page_holds_only_a_few_lines(layout: tuple[str, int, bool, float, str | None]
                                        ) -> None:
    name, size, bold, spacing, font = layout
    data = code_pdf(name, size, bold, spacing, font)
    pages = page_lines(data)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        height = float(doc.pages[0].height)
    top = TOP_MM * 72 / 25.4
    area = height - top - size * 3.2  # the text area: the foot margin holds the number
    contents = [n for n, lines in enumerate(pages) if lines and lines[0]["text"] == "Contents"]
    for number, lines in enumerate(pages[1:-1], start=1):  # not the cover, nor the end
        if number in contents and number + 1 < len(pages) and len(lines) > 3:
            continue  # the contents on a page of their own
        reach = (max(float(str(line["bottom"])) for line in lines) - top) / area
        assert reach >= SHORTEST, (number + 1, [line["text"] for line in lines])


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS, ids=_id)
def test_the_contents_never_leave_their_last_few_entries_alone_on_a_page(
        layout: tuple[str, int, bool, float, str | None]) -> None:
    pages = page_lines(code_pdf(*layout))
    entry = re.compile(r", page \d+$")
    for lines in pages[2:]:
        entries = [line for line in lines if entry.search(str(line["text"]))]
        if entries and len(entries) == len(lines):  # a page of nothing but entries
            assert len(entries) > len(pages[1]) // 2


@pytest.mark.slow
@pytest.mark.parametrize(("name", "size"), [("print", 12), ("print", 14),
                                            ("large-print", 16), ("large-print", 18)])
def test_the_contact_list_stays_on_one_page_where_it_fits(name: str, size: int) -> None:
    code = the_code()
    (section,) = [s for s in code.sections if any(getattr(b, "contacts", ()) for b in s.blocks)]
    labels = [code.contact(cid).label for b in section.blocks for cid in getattr(b, "contacts", ())]
    pages = [[str(line["text"]) for line in lines] for lines in page_lines(code_pdf(name, size))]
    start = max(n for n, lines in enumerate(pages) if section.title in lines)
    where = {label: min(n for n, lines in enumerate(pages) if n >= start
                        and any(line.startswith(label) for line in lines)) for label in labels}
    assert len(set(where.values())) == 1, where


HEADING_SCALE = 1.12
"""A heading is at least this many times the body size."""


@pytest.mark.slow
@pytest.mark.parametrize(("size", "bold"), [(16, False), (24, True), (32, False)])
def test_headings_are_larger_than_the_body_not_only_bolder(size: int, bold: bool) -> None:
    code = the_code()
    headings = {s.title for s in code.sections}
    headings |= {f"Stage {s.number}: {s.title}" for s in code.stages}
    headings |= {code.contact(cid).label for s in code.sections for b in s.blocks
                 for cid in getattr(b, "contacts", ())}
    large, body = [], set()
    for lines in page_lines(code_pdf("large-print", size, bold))[1:]:
        for line in lines:
            sizes = {round(c["size"], 1) for c in line["chars"]}  # type: ignore[attr-defined]
            if min(sizes) >= HEADING_SCALE * size:
                large.append(str(line["text"]))
            else:
                body |= sizes
    assert body == {size}  # the rest, the contents too, at the body size
    text = re.sub(r"(?<=[-/]) ", "", " ".join(large))  # a line may break after - or /
    missing = [h for h in headings if h not in text]
    assert missing == [], missing


# --- the rule itself, on measurements made up for it -------------------------------

def _measure(used: list[float], kept: dict[str, tuple[int, int, float, float]],
             leads: dict[str, tuple[int, int]] | None = None) -> paging.Measure:
    m = paging.Measure(body_height=100.0, used=used)
    for name, (first, last, top, height) in kept.items():
        m.kept[name] = paging.Kept(first, top, last, height)
    for name, (first, last) in (leads or {}).items():
        m.leads[name] = paging.Kept(first, 90.0, last, 10.0)
    return m


def test_a_page_left_with_a_few_lines_relaxes_the_block_that_left_it() -> None:
    m = _measure([0.5, 0.9, 0.2, 0.9, 0.5], {"list": (3, 3, 0.0, 90.0),
                                              "later": (3, 3, 50.0, 20.0)})
    assert paging.relaxations(m) == {"list"}
    assert paging.relaxations(m, frozenset({"list"})) == {"later"}


def test_a_sentence_kept_with_a_block_that_went_on_is_relaxed_first() -> None:
    m = _measure([0.5, 0.9, 0.2, 0.9, 0.5], {"list": (3, 3, 0.0, 90.0)},
                 leads={"lead": (2, 2)})
    assert paging.relaxations(m) == {"lead"}


def test_the_contents_page_break_is_relaxed_only_for_their_last_few_entries() -> None:
    alone = _measure([0.5, 0.9, 0.4, 0.9, 0.5], {"contents": (1, 2, 0.0, 130.0)})
    assert paging.relaxations(alone) == {"contents"}
    own_page = _measure([0.5, 0.2, 0.9, 0.9, 0.5], {"contents": (1, 1, 0.0, 20.0)})
    assert paging.relaxations(own_page) == set()


def test_a_block_taller_than_a_page_is_relaxed_when_it_left_room_before_it() -> None:
    roomy = _measure([0.5, 0.6, 1.0, 1.0, 0.5], {"table": (2, 3, 0.0, 180.0)})
    assert paging.relaxations(roomy) == {"table"}
    full = _measure([0.5, 0.9, 1.0, 1.0, 0.5], {"table": (2, 3, 0.0, 180.0)})
    assert paging.relaxations(full) == set()


# --- pictures to look at ------------------------------------------------------------

COPIES = {"copy-16": {"size": 16}, "copy-24-bold": {"size": 24, "bold": True},
          "copy-32": {"size": 32}}
"""The copies (with their letters) the issue asks to look at as pictures."""


@pytest.mark.slow
@pytest.mark.parametrize("name", COPIES)
def test_copies_are_drawn_as_pictures_for_a_look(name: str, artifacts: Path,
                                                 tmp_path: Path) -> None:
    import subprocess

    from PIL import Image

    from tests.engines.pdf.renders import copy_pdf

    source = tmp_path / f"{name}.pdf"
    source.write_bytes(copy_pdf(**COPIES[name]))  # type: ignore[arg-type]
    folder = artifacts / "pdf"
    folder.mkdir(exist_ok=True)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", source, folder / name], check=True)
    pages = page_lines(source.read_bytes())
    pngs = sorted(folder.glob(f"{name}-*.png"))
    assert len(pngs) == len(pages)
    for png, lines in zip(pngs, pages, strict=True):  # drawn: ink where there is text
        ink = Image.open(png).convert("L").point(lambda v: 255 if v < 128 else 0).histogram()
        assert (ink[255] > 0) == bool(lines), png.name
