"""One paged braille document written four ways.

- BRF: Braille ASCII (upper case, 0x20-0x5F), CRLF after every line, a form
  feed between pages; trailing blank lines of a page are left out (the form
  feed ends the page). For embossers.
- Unicode text: the same cells as braille patterns U+2800-U+283F (a blank cell
  is U+2800), LF after every line and a form feed between pages (a mandatory
  line break in Unicode). For braille displays and screen preview.
- PEF 2008-1: every page, every row, positional and unambiguous.
- The proofing preview: HTML, each page as dots beside its print words.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment

from ...model import Code
from ...resources import Resources, read_bytes
from ..html import jinja_env
from .document import BrailleDocument
from .layout import Page
from .translate import HARD_SPACE, to_unicode

PEF_NS = "http://www.daisy.org/ns/2008/pef"
DC_NS = "http://purl.org/dc/elements/1.1/"
PREVIEW_TEMPLATE = "braille/preview.html.j2"


def _rows(page: Page) -> list[str]:
    rows = [line.cells.replace(HARD_SPACE, " ").rstrip(" ") for line in page.rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def brf(doc: BrailleDocument) -> bytes:
    """The BRF file's bytes."""
    pages = ["".join(row + "\r\n" for row in _rows(page)) for page in doc.pages]
    return "\f".join(pages).encode("ascii")


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
                           rowgap="0", duplex="false")
    section = ET.SubElement(volume, f"{{{PEF_NS}}}section")
    for page in doc.pages:
        element = ET.SubElement(section, f"{{{PEF_NS}}}page")
        for row in _rows(page):
            ET.SubElement(element, f"{{{PEF_NS}}}row").text = to_unicode(row)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


@lru_cache(maxsize=8)
def _environment(templates: Path) -> Environment:
    # Compiling the template costs more than the whole layout; Jinja's loader
    # still notices an edited template (auto_reload checks its mtime).
    return jinja_env(templates)


def _identifier(code: Code, grade: int) -> str:
    meta = code.metadata
    base = meta.published_url or meta.provider.lower().replace(" ", "-")
    return f"{base}#braille-ueb-g{grade}-v{meta.version}"


def preview(doc: BrailleDocument, code: Code, res: Resources) -> str:
    """The proofing preview's HTML."""
    env = _environment(res.templates.resolve())
    css = read_bytes(res.template("braille", "preview.css")).decode("utf-8")
    pages = [{"number": page.number, "shown": i > 0, "rows": [
        {"dots": to_unicode(line.cells), "text": line.text, "role": line.role}
        for line in page.rows]} for i, page in enumerate(doc.pages)]
    return env.get_template(PREVIEW_TEMPLATE).render(
        code=code, settings=doc.settings, pages=pages, css=css,
        ueb=doc.settings.words["code"].format(grade=doc.settings.grade))
