"""One paged braille document written four ways.

- BRF: Braille ASCII (upper case, 0x20-0x5F), CRLF after every line, a form
  feed between pages; trailing blank lines of a page are left out (the form
  feed ends the page). For embossers.
- Unicode text: the same cells as braille patterns U+2800-U+283F (a blank cell
  is U+2800), LF after every line and a form feed between pages (a mandatory
  line break in Unicode). For braille displays and screen preview.
- PEF 2008-1: every page, every row, positional and unambiguous.
- The proofing preview: HTML, each line as dots, BRF characters (blank cells
  shown) under a cell ruler, liblouis's back-translation and the print words,
  lines whose back-translation differs from the print marked in words.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from ...resources import Resources, caches, read_bytes
from ...structure.model import Code
from ..html import jinja_env
from .document import BrailleDocument
from .layout import Page
from .translate import HARD_SPACE, back_translate, to_unicode

PEF_NS = "http://www.daisy.org/ns/2008/pef"
DC_NS = "http://purl.org/dc/elements/1.1/"
PREVIEW_TEMPLATE = "braille/preview.html.j2"
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
"""The declaration ElementTree writes for UTF-8."""


def _rows(page: Page) -> list[str]:
    rows = [line.cells.replace(HARD_SPACE, " ").rstrip(" ") for line in page.rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def brf(doc: BrailleDocument) -> bytes:
    """The BRF file's bytes (with ``final_form_feed``, a form feed after the
    last page too)."""
    pages = ["".join(row + "\r\n" for row in _rows(page)) for page in doc.pages]
    end = "\f" if doc.settings.final_form_feed else ""
    return ("\f".join(pages) + end).encode("ascii")


def unicode_text(doc: BrailleDocument) -> str:
    """The Unicode braille text."""
    pages = ["".join(to_unicode(row) + "\n" for row in _rows(page)) for page in doc.pages]
    return "\f".join(pages)


def pef(doc: BrailleDocument, code: Code) -> bytes:
    """The PEF 2008-1 document's bytes (UTF-8 XML)."""
    ET.register_namespace("", PEF_NS)
    ET.register_namespace("dc", DC_NS)
    root = ET.Element(f"{{{PEF_NS}}}pef", version="2008-1")
    meta = ET.SubElement(ET.SubElement(root, f"{{{PEF_NS}}}head"), f"{{{PEF_NS}}}meta")
    settings, metadata = doc.settings, code.metadata
    duplex = "true" if settings.duplex else "false"  # interpoint: both sides embossed
    for name, value in (
        ("format", "application/x-pef+xml"),
        ("identifier", _identifier(code, settings.grade)),
        ("title", metadata.title),
        ("creator", metadata.provider),
        ("description", f"{settings.words['code'].format(grade=settings.grade)}, "
                        f"{settings.cells} cells by {settings.lines} lines"),
        ("date", metadata.effective_date.isoformat()),
        ("language", metadata.language),
    ):
        ET.SubElement(meta, f"{{{DC_NS}}}{name}").text = value
    volume = ET.SubElement(ET.SubElement(root, f"{{{PEF_NS}}}body"), f"{{{PEF_NS}}}volume",
                           cols=str(settings.cells), rows=str(settings.lines),
                           rowgap="0", duplex=duplex)
    section = ET.SubElement(volume, f"{{{PEF_NS}}}section", duplex=duplex)
    for page in doc.pages:
        element = ET.SubElement(section, f"{{{PEF_NS}}}page")
        for row in _rows(page):
            ET.SubElement(element, f"{{{PEF_NS}}}row").text = to_unicode(row)
    ET.indent(root)
    # Serialised as text and encoded once: ElementTree writing UTF-8 itself
    # resets its encoder at each of its tens of thousands of writes.
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


@caches.memo(8)
def _environment(templates: Path) -> Environment:
    # Compiling the template costs more than the whole layout; Jinja's loader
    # still notices an edited template (auto_reload checks its mtime).
    return jinja_env(templates)


def _identifier(code: Code, grade: int) -> str:
    meta = code.metadata
    base = meta.published_url or meta.provider.lower().replace(" ", "-")
    return f"{base}#braille-ueb-g{grade}-v{meta.version}"


def preview(doc: BrailleDocument, code: Code, res: Resources) -> str:
    """The proofing preview's HTML: per line, the dots, the BRF characters
    (blank cells shown), liblouis's back-translation and the print words,
    with lines whose back-translation differs from the print marked."""
    env = _environment(res.templates.resolve())
    css = read_bytes(res.template("braille", "preview.css")).decode("utf-8")
    pages: list[dict[str, Any]] = [{"number": page.number, "index": i + 1, "shown": i > 0,
                                    "rows": _proof_rows(page, i + 1, doc.settings.brf_tables)}
                                   for i, page in enumerate(doc.pages)]
    differing = [(page["index"], row) for page in pages for row in page["rows"]
                 if row.differs]
    return env.get_template(PREVIEW_TEMPLATE).render(
        code=code, settings=doc.settings, pages=pages, css=css, differing=differing,
        ruler=ruler(doc.settings.cells),
        ueb=doc.settings.words["code"].format(grade=doc.settings.grade))


BLANK_CELL_SHOWN = "\u00b7"
"""How a blank cell shows in the preview's BRF line: a middle dot, so
indents and centring can be counted against the ruler."""

_PAGE_REF = re.compile(r" … page (\d+)$")
_GUIDE_DOTS = re.compile(r' "{2,} ')
_WORD = re.compile(r"\w+")
_SCHEME_COLON = re.compile(r"cc(?=//)")
_RUN = re.compile("\u2800+|[^\u2800]+")
_BLANK_RUN = re.compile("\u2800+")

_NO_DOTS = Markup("")


def ruler(cells: int) -> tuple[str, str]:
    """A cell ruler: the tens line (1 under cell 10, 2 under 20 ...) and the
    units line (1234567890...), one character per cell."""
    tens = "".join(str(c // 10 % 10) if c % 10 == 0 else " " for c in range(1, cells + 1))
    units = "".join(str(c % 10) for c in range(1, cells + 1))
    return tens, units


@dataclass(slots=True)
class ProofRow:
    """One line of the preview, as the template shows it."""

    id: str
    line: int
    role: str
    text: str
    dots: Markup
    """The dots' HTML (see :func:`_dots`)."""
    brf: str
    back: str
    differs: bool = False


def _proof_rows(page: Page, index: int, tables: tuple[str, ...]) -> list[ProofRow]:
    rows: list[ProofRow] = []
    for n, line in enumerate(page.rows, start=1):
        cells = line.cells.replace(HARD_SPACE, " ").rstrip(" ")
        if not cells:  # a blank line: nothing to show or translate back
            rows.append(ProofRow(f"p{index}-l{n}", n, line.role, line.text, _NO_DOTS, "", ""))
            continue
        rows.append(ProofRow(f"p{index}-l{n}", n, line.role, line.text,
                             _dots(to_unicode(cells), every=not line.text),
                             cells.replace(" ", BLANK_CELL_SHOWN),
                             _back(cells, line.role, tables) if cells.strip() else ""))
    # A word divided with the line continuation indicator is compared whole,
    # joined with the next line's first word.
    i = 0
    while i < len(rows):
        group = [i]
        while _continues(rows[group[-1]].brf) and group[-1] + 1 < len(rows):
            group.append(group[-1] + 1)
        if len(group) > 1:
            joined = "".join(rows[j].brf.replace(BLANK_CELL_SHOWN, " ").strip()[:-1]
                             if j != group[-1] else
                             rows[j].brf.replace(BLANK_CELL_SHOWN, " ").strip()
                             for j in group)
            back = back_translate(joined, tables)
            text = " ".join(rows[j].text for j in group)
        else:
            back, text = rows[i].back, rows[i].text
        if " … page " in text:
            text = _PAGE_REF.sub(r" \1", text)
        differs = bool(back or text) and _words(back) != _words(text)
        for j in group:
            rows[j].differs = differs
        i = group[-1] + 1
    return rows


def _continues(brf: str) -> bool:
    # Dot 5 ending a line after a braille character: the UEB line
    # continuation indicator (guide dots are runs of two or more).
    return brf.endswith('"') and not brf.endswith('""')


def _back(cells: str, role: str, tables: tuple[str, ...]) -> str:
    if role == "contents":
        cells = _GUIDE_DOTS.sub(" ", cells)  # guide dots are layout, not words
    return back_translate(cells.strip(), tables)


def _words(text: str) -> list[str]:
    # Compared as words: case, spacing and punctuation ignored. liblouis 3.24
    # reads the colon of "https://" (dots 25) back as the "cc" groupsign.
    if "cc//" in text:
        text = _SCHEME_COLON.sub(":", text)
    return _WORD.findall(text.casefold())


def _dots(dots: str, every: bool) -> Markup:
    """The dots' HTML: each run of blank cells (U+2800; each run of any
    cells, if ``every``: a line without print words) in ``<span
    class="blank">``, so blank cells can be counted. Made here by one regular
    expression rather than by a loop in the template: a preview has thousands
    of runs. Braille patterns need no escaping."""
    return Markup((_RUN if every else _BLANK_RUN).sub(_outlined, dots))


def _outlined(run: re.Match[str]) -> str:
    return '<span class="blank">' + run[0] + "</span>"
