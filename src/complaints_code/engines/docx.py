"""The Code as a Word document (DOCX), for readers who magnify, restyle or
edit it: python-docx, with Word's own styles so that Word's navigation pane,
its Accessibility Checker and screen readers see the structure.

- The title in the built-in Title style, then the Code's headings in the
  built-in Heading 1 and Heading 2 styles, in order.
- The stage table as a real table whose header row repeats on every page
  (``w:tblHeader``), with a caption (``w:tblCaption``); the contact details as
  labelled paragraphs ("Telephone: 020 ...").
- The document's title, author and language (en-GB) in its properties, and
  the language on the default run properties and every style (``w:lang``).
- Body text at ``[docx] size`` points (16 by default), headings larger, all
  left aligned, black, no italics; no text boxes or images.
- Phone numbers, postcodes, timescales and the like are joined by no-break
  spaces, so Word never splits them over lines.

The file is deterministic: fixed document dates (the Code's effective date)
and zip entries with fixed timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ..settings import Settings
from ..structure.inline import Inline, Link, Ref, Strong, Text
from ..structure.model import AddressBlock, Code, ContactTable, Paragraph, StageTable
from .html import KEEP_TOGETHER

NBSP = "\u00a0"
NOWRAP_KINDS = frozenset({"phone", "email", "url", "timescale"})
"""Kinds of resolved reference whose spaces become no-break spaces."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The timestamp of every zip entry (the earliest a zip can hold), so that
the same Code makes the same bytes."""
SCALE = {"Title": 1.75, "Heading 1": 1.5, "Heading 2": 1.25}
"""Heading sizes as multiples of the body size."""
NUMBER_HEADING = "Number"
"""The stage-number column's heading where the Code leaves it blank: a
header cell needs words for a screen reader to announce."""


def code_docx(code: Code, settings: Settings, size: int | None = None) -> bytes:
    """The Code as DOCX bytes, with body text at ``size`` points (default:
    ``[docx] size``)."""
    cfg = settings.docx
    size = size or cfg.size
    meta = code.metadata
    doc: Any = Document()
    _styles(doc, cfg.font, size, meta.language)
    _properties(doc, code)
    doc.add_paragraph(meta.title, style="Title")
    doc.add_paragraph(f"{meta.provider}. Version {meta.version}, effective from "
                      f"{meta.effective_date.day} {meta.effective_date:%B %Y}.")
    for section in code.sections:
        doc.add_heading(section.title, level=section.level)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _runs(doc.add_paragraph(), code, block.inlines)
            elif isinstance(block, ContactTable):
                for cid in block.contacts:
                    contact = code.contact(cid)
                    para = doc.add_paragraph()
                    para.add_run(f"{contact.label}: ").bold = True
                    _runs(para, code, contact.inlines)
            elif isinstance(block, StageTable):
                _stage_table(doc, code, block, section.title)
            elif isinstance(block, AddressBlock):
                address = code.address(block.address)
                para = doc.add_paragraph()
                for n, line in enumerate((*address.lines, address.postcode)):
                    if n:
                        para.add_run().add_break()
                    para.add_run(_keep_together(line))
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def _styles(doc: Any, font: str, size: int, language: str) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    _set_lang(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), language)
    _set_theme_lang(doc, language)
    normal = styles["Normal"]
    _font(normal, font, size, bold=False, language=language)
    normal.paragraph_format.space_after = Pt(round(size * 0.6))
    normal.paragraph_format.line_spacing = 1.2
    for name, scale in SCALE.items():
        style = styles[name]
        _font(style, font, round(size * scale), bold=True, language=language)
        style.paragraph_format.space_before = Pt(round(size * (0.4 if name == "Title" else 1)))
        style.paragraph_format.space_after = Pt(round(size * 0.5))
        style.paragraph_format.keep_with_next = True


def _font(style: Any, font: str, size: int, *, bold: bool, language: str) -> None:
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    _set_lang(rpr, language)


def _set_lang(rpr: Any, language: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), language)


def _set_theme_lang(doc: Any, language: str) -> None:
    settings = doc.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        settings.append(theme)
    theme.set(qn("w:val"), language)


def _properties(doc: Any, code: Code) -> None:
    meta = code.metadata
    when = dt.datetime.combine(meta.effective_date, dt.time(), tzinfo=dt.UTC)
    props = doc.core_properties
    props.title = meta.title
    props.subject = f"{meta.provider} {meta.title}, version {meta.version}"
    props.author = meta.provider
    props.last_modified_by = meta.provider
    props.language = meta.language
    props.keywords = "complaints; accessible; large print"
    props.comments = ""
    props.created = when
    props.modified = when
    props.revision = 1


def _runs(para: Any, code: Code, nodes: tuple[Inline, ...], bold: bool = False) -> None:
    for node in nodes:
        if isinstance(node, Text):
            para.add_run(_keep_together(node.text)).bold = bold or None
        elif isinstance(node, Strong):
            _runs(para, code, node.children, bold=True)
        elif isinstance(node, Link):
            words = node.text if node.text == node.url else f"{node.text} ({node.url})"
            para.add_run(words).bold = bold or None
        elif isinstance(node, Ref):
            value = code.resolve(node)
            words = (value.text.replace(" ", NBSP) if value.kind in NOWRAP_KINDS
                     else _keep_together(value.text))
            para.add_run(words).bold = bold or None


def _keep_together(text: str) -> str:
    return KEEP_TOGETHER.sub(lambda m: m.group(0).replace(" ", NBSP), text)


def _stage_table(doc: Any, code: Code, block: StageTable, caption: str) -> None:
    h = block.stages
    table = doc.add_table(rows=1, cols=3)
    table.style = doc.styles["Table Grid"]
    heads = (h.number or NUMBER_HEADING, h.stage, h.description)
    for cell, words in zip(table.rows[0].cells, heads, strict=True):
        cell.paragraphs[0].add_run(words).bold = True
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for stage in code.stages:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(str(stage.number))
        cells[1].paragraphs[0].add_run(stage.title).bold = True
        _runs(cells[2].paragraphs[0], code, stage.inlines)
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), caption)
    table._tbl.tblPr.append(title)


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with its entries in their order and fixed timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
