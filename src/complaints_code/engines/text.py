"""The Code as plain text: UTF-8, wrapped for email bodies and screen readers.

Headings are ruled as reStructuredText and Python's documentation rule
them: the title with ``*`` above and below, main headings with ``=`` under
them, sub-headings with ``-``, so each level looks different. Tables become
labelled lists ("Telephone: 020 ..."). Lines are wrapped at ``[text]
width`` characters (70 by default) and never inside a phone number, an
email or web address, a postcode, a timescale or an hour range
(:data:`complaints_code.engines.html.KEEP_TOGETHER`, the rule every format
follows). A value longer than a whole line stands on a line of its own
rather than being split.

:func:`code_text` is what the service puts in the body of an emailed copy.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator

from ..settings import Settings
from ..structure.inline import Inline, Link, Ref, Strong, Text
from ..structure.model import AddressBlock, Code, ContactTable, Paragraph, Section, StageTable
from .html import KEEP_TOGETHER

GLUE = "\ue000"
"""Stands for a space that must not break while a paragraph is wrapped (a
private-use character, never in the Code's text)."""
NOWRAP_KINDS = frozenset({"phone", "email", "url", "timescale"})
"""Kinds of resolved reference whose words stay on one line, as in print."""
TITLE_RULE = "*"
"""The character of the rules above and below the title."""
HANG = "  "
"""The indent of a list item's run-over lines."""


def code_text(code: Code, settings: Settings) -> str:
    """The whole Code as plain text, ready to be a file or an email body."""
    return "\n".join(lines(code, settings.text.width)) + "\n"


def lines(code: Code, width: int = 70) -> list[str]:
    """The Code's plain text, line by line, wrapped at ``width``."""
    meta = code.metadata
    out = [*title(meta.title, width), ""]
    out += wrap(f"{meta.provider}. Version {meta.version}, effective from "
                f"{long_date(meta.effective_date)}.", width)
    for section in code.sections:
        out.append("")
        out += section_text(code, section, width)
    return out


def section_text(code: Code, section: Section, width: int) -> list[str]:
    """One section: its underlined heading, then its blocks, a blank line between."""
    out = heading(section.title, "=" if section.level == 1 else "-", width)
    for block in section.blocks:
        out.append("")
        out += list(_block(code, block, width))
    return out


def _block(code: Code, block: object, width: int) -> Iterator[str]:
    if isinstance(block, Paragraph):
        yield from wrap(inline_text(code, block.inlines), width)
    elif isinstance(block, ContactTable):
        for cid in block.contacts:
            contact = code.contact(cid)
            yield from wrap(f"{contact.label}: {inline_text(code, contact.inlines)}", width,
                            hang=HANG)
    elif isinstance(block, StageTable):
        h = block.stages
        for n, stage in enumerate(code.stages):
            if n:
                yield ""
            number = f"{h.number} {stage.number}" if h.number else f"{stage.number}."
            yield from wrap(f"{number} {h.stage}: {stage.title}", width, hang=HANG)
            yield from wrap(f"{h.description}: {inline_text(code, stage.inlines)}", width,
                            indent=HANG, hang=HANG)
    elif isinstance(block, AddressBlock):
        address = code.address(block.address)
        yield from address.lines
        yield address.postcode


def heading(title: str, rule: str, width: int = 70) -> list[str]:
    """A heading (wrapped if longer than a line) and its underline, as long
    as the heading's longest line."""
    lines = wrap(title, width)
    return [*lines, rule * max(len(line) for line in lines)]


def title(text: str, width: int = 70) -> list[str]:
    """The document's title between two rules of ``*``, as long as its
    longest line: unlike any heading inside the document."""
    *lines, rule = heading(text, TITLE_RULE, width)
    return [rule, *lines, rule]


def inline_text(code: Code, nodes: tuple[Inline, ...]) -> str:
    """Inline nodes as plain words (no bold markers), with the spaces inside
    values that must stay whole glued; a link with its own words keeps its
    address in brackets after them."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Strong):
            parts.append(inline_text(code, node.children))
        elif isinstance(node, Link):
            parts.append(node.text if node.text == node.url else f"{node.text} ({node.url})")
        elif isinstance(node, Ref):
            value = code.resolve(node)
            parts.append(_glue(value.text) if value.kind in NOWRAP_KINDS else value.text)
    return "".join(parts)


def wrap(text: str, width: int, *, indent: str = "", hang: str = "") -> list[str]:
    """``text`` wrapped at ``width``, never inside a run that must stay
    together; run-over lines start with ``hang``."""
    glued = KEEP_TOGETHER.sub(lambda m: _glue(m.group(0)), " ".join(text.split()))
    wrapped = textwrap.wrap(glued, width, initial_indent=indent, subsequent_indent=hang,
                            break_long_words=False, break_on_hyphens=False)
    return [line.replace(GLUE, " ") for line in wrapped]


def long_date(day: dt.date) -> str:
    """A date as people write it: 25 November 2026."""
    return f"{day.day} {day:%B %Y}"


def _glue(text: str) -> str:
    return text.replace(" ", GLUE)
