"""The Code as a Word document (DOCX), for readers who magnify, restyle or
edit it: python-docx, with Word's own styles so that Word's navigation pane,
its Accessibility Checker and screen readers see the structure.

- A4, with the PDFs' margins (18 mm at the top, 20 mm at the sides, and room
  at the foot for "Page N of M" at the text size, as the PDFs have).
- The title in the built-in Title style (without the template's decorative
  rule), then the Code's headings in the built-in Heading 1 and Heading 2
  styles, in order.
- The stage table as a real table: columns sized to their content (a narrow
  number column), rows that never split over a page (``w:cantSplit``), the
  header row repeated on every page (``w:tblHeader``), a caption
  (``w:tblCaption``). The contact details as labelled paragraphs
  ("Telephone: 020 ...") kept together on one page.
- Emails, web addresses and phone numbers as real links (mailto:, https:,
  tel:).
- The document's title, author and language (en-GB) in its properties, and
  the language on the default run properties and every style (``w:lang``).
- Body text at ``[docx] size`` points (16 by default) with the PDFs' line
  spacing (``[docx] line_spacing``, 1.5), headings larger, all left aligned,
  black, no italics; no text boxes or images.
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
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..settings import Settings
from ..structure.inline import Inline, Link, Ref, Strong, Text
from ..structure.model import AddressBlock, Block, Code, ContactTable, Paragraph, StageTable
from .docx_table import (
    FOOT_EMS,
    KEEP_SHARE,
    MARGINS_MM,
    PAGE_MM,
    WHOLE_LINES,
    TextMeasure,
    stage_table,
)
from .html import KEEP_TOGETHER, block_groups

NBSP = "\u00a0"
NOWRAP_KINDS = frozenset({"phone", "email", "url", "timescale"})
"""Kinds of resolved reference whose spaces become no-break spaces."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The timestamp of every zip entry (the earliest a zip can hold), so that
the same Code makes the same bytes."""
SCALE = {"Title": 1.75, "Heading 1": 1.5, "Heading 2": 1.25, "Heading 3": 1.15}
"""Heading sizes as multiples of the body size."""


def code_docx(code: Code, settings: Settings, size: int | None = None) -> bytes:
    """The Code as DOCX bytes, with body text at ``size`` points (default:
    ``[docx] size``)."""
    cfg = settings.docx
    size = size or cfg.size
    meta = code.metadata
    doc: Any = Document()
    _page(doc, size)
    _styles(doc, cfg.font, size, meta.language, cfg.line_spacing)
    _properties(doc, code)
    doc.add_paragraph(meta.title, style="Title")
    doc.add_paragraph(f"{meta.provider}. Version {meta.version}, effective from "
                      f"{meta.effective_date.day} {meta.effective_date:%B %Y}.")
    measure = TextMeasure(settings, size)
    last: list[Any] = []
    for section in code.sections:
        doc.add_heading(section.title, level=section.level)
        for group in block_groups(code, section.blocks):
            paras: list[Any] = []
            for block in group:
                if isinstance(block, StageTable):
                    stage_table(doc, code, block, section.title, measure,
                                lambda para, nodes: _runs(para, code, nodes))
                else:
                    paras += _block(doc, code, block, measure)
            _keep(paras, measure, last[-1] if last else None)
            last = paras or last
    if last:  # the last page holds more than the last line or two of the Code
        last[-1].paragraph_format.keep_together = (
            measure.height(last[-1].text, measure.full) <= KEEP_SHARE * measure.body)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def _block(doc: Any, code: Code, block: Block, measure: TextMeasure) -> list[Any]:
    """The paragraphs of a paragraph, contact list or address."""
    if isinstance(block, Paragraph):
        para = doc.add_paragraph()
        _runs(para, code, block.inlines)
        text = code.plain(block.inlines)
        # A sentence introducing what follows ("… as follows:") stays with it.
        para.paragraph_format.keep_with_next = text.rstrip().endswith(":")
        # A short paragraph is not split, so a page never holds a line or two of it.
        para.paragraph_format.keep_together = measure.lines(text, measure.full) <= WHOLE_LINES
        return [para]
    if isinstance(block, ContactTable):
        paras = []
        for cid in block.contacts:
            contact = code.contact(cid)
            para = doc.add_paragraph()
            para.add_run(f"{contact.label}: ").bold = True
            _runs(para, code, contact.inlines)
            paras.append(para)
        return paras
    if isinstance(block, AddressBlock):
        address = code.address(block.address)
        para = doc.add_paragraph()
        para.paragraph_format.keep_together = True
        for n, line in enumerate((*address.lines, address.postcode)):
            if n:
                para.add_run().add_break()
            para.add_run(_keep_together(line))
        return [para]
    return []


def _keep(paras: list[Any], measure: TextMeasure, before: Any) -> None:
    """Keep a contact list, or an address and its contact lines, on one page
    when it takes at most KEEP_SHARE of one: a longer run kept whole could
    leave the page before it holding a line or two. The sentence introducing
    it (``before``, if it is kept with what follows) stays with it only while
    the two together take no more."""
    share = KEEP_SHARE * measure.body
    heights = [measure.height(p.text, measure.full) for p in paras]
    whole = len(paras) > 1 and sum(heights) <= share
    if whole:
        for n, para in enumerate(paras, start=1):
            para.paragraph_format.keep_together = True
            para.paragraph_format.keep_with_next = n < len(paras)
    if before is not None and before.paragraph_format.keep_with_next and heights:
        follows = sum(heights) if whole else heights[0]
        before.paragraph_format.keep_with_next = (
            measure.height(before.text, measure.full) + follows <= share)


def _page(doc: Any, size: int) -> None:
    """A4 with the PDFs' margins, and "Page N of M" at the foot."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    top, side = MARGINS_MM
    section.top_margin, section.left_margin, section.right_margin = Mm(top), Mm(side), Mm(side)
    section.bottom_margin = Pt(round(size * FOOT_EMS, 1))
    section.footer_distance = Mm(10)
    foot = section.footer.paragraphs[0]
    foot.style = doc.styles["Normal"]
    foot.paragraph_format.space_after = Pt(0)
    foot.add_run("Page ")
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")


def _field(para: Any, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)


def _styles(doc: Any, font: str, size: int, language: str, line_spacing: float) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    _set_lang(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), language)
    _set_theme_lang(doc, language)
    normal = styles["Normal"]
    _font(normal, font, size, bold=False, language=language)
    normal.paragraph_format.space_after = Pt(round(size * 0.6))
    normal.paragraph_format.line_spacing = line_spacing
    for name, scale in SCALE.items():
        style = styles[name]
        _font(style, font, round(size * scale), bold=True, language=language)
        style.paragraph_format.space_before = Pt(round(size * (0.4 if name == "Title" else 1)))
        style.paragraph_format.space_after = Pt(round(size * 0.5))
        style.paragraph_format.line_spacing = 1.2  # as the PDFs' headings
        style.paragraph_format.keep_with_next = True
    _plain_title(styles["Title"])
    _link_style(styles, language)


def _plain_title(title: Any) -> None:
    """The Title style without the template's rule beneath it and its letter spacing."""
    ppr = title.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for found in ppr.findall(qn(tag)):
            ppr.remove(found)
    for found in title.element.get_or_add_rPr().findall(qn("w:spacing")):
        found.getparent().remove(found)


def _link_style(styles: Any, language: str) -> None:
    """Links as the text around them, underlined (the only underlined text)."""
    style = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.underline = True
    _set_lang(style.element.get_or_add_rPr(), language)


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
            _hyperlink(para, node.url, node.text, bold)
            if node.text != node.url:
                para.add_run(f" ({node.url})").bold = bold or None
        elif isinstance(node, Ref):
            value = code.resolve(node)
            words = (value.text.replace(" ", NBSP) if value.kind in NOWRAP_KINDS
                     else _keep_together(value.text))
            if value.href:
                _hyperlink(para, value.href, words, bold)
            else:
                para.add_run(words).bold = bold or None


def _hyperlink(para: Any, url: str, words: str, bold: bool) -> None:
    """A real link (mailto:, https:, tel:) showing ``words``."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), para.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK,
                                             is_external=True))
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    if bold:
        props.append(OxmlElement("w:b"))
    text = OxmlElement("w:t")
    text.text = words
    text.set(qn("xml:space"), "preserve")
    run.extend([props, text])
    link.append(run)
    para._p.append(link)


def _keep_together(text: str) -> str:
    return KEEP_TOGETHER.sub(lambda m: m.group(0).replace(" ", NBSP), text)


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
