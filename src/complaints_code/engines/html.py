"""Helpers shared by renderers. Renderers never import each other; what two
of them need lives here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..structure.inline import Inline, Link, Ref, Strong, Text
from ..structure.model import AddressBlock, Block, Code, Paragraph, Section

PHONE_NUMBER = r"(?<!\d)(?:\+44 ?|0)\d{2,4} \d{3,4}(?: \d{3,4})?(?!\d)"
"""A UK telephone number as printed, its digit groups separated by spaces:
one number, whose spaces braille writes as the numeric space."""

KEEP_TOGETHER = re.compile(
    r"\b[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}\b"
    rf"|{PHONE_NUMBER}"
    r"|\S+@\S+\.\w+"
    r"|\b\d+ (?:working )?(?:hours?|days?|weeks?|months?)\b"
    r"|\b\d{4} – \d{4}\b"
)
"""What a reader must never see split across lines, in running text too (RNIB
Clear Print): UK postcodes, UK phone numbers, emails, quantities such as
"24 working hours", and hour ranges such as "0830 – 1730". One rule for every
format: print and web wrap matches in a nowrap span, braille keeps them on one
braille line."""


BREAK_AFTER = re.compile(r"(?<=[@./\-])(?=.)")
"""Where a long email, web address or reference may break when it is wider
than a whole line: after @ . / and -, never inside a name or a number."""


def breakable(text: str) -> Markup:
    """Escape ``text`` with a <wbr> at each sensible break point. A nowrap
    span ignores them; a ``.breakable`` one (display: inline-block in print)
    is kept whole when it fits a line and breaks only where it cannot."""
    return Markup("<wbr>").join(escape(part) for part in BREAK_AFTER.split(text))


def keep_together(text: str, breaks: bool = False) -> Markup:
    """Escape ``text``, wrapping postcodes and quantities in a nowrap span;
    with ``breaks`` (print), emails are marked breakable, for lines too
    narrow to hold them."""
    out: list[str] = []
    last = 0
    for m in KEEP_TOGETHER.finditer(text):
        out.append(str(escape(text[last : m.start()])))
        found = m.group(0)
        if breaks and "@" in found:
            out.append(f'<span class="nowrap breakable">{breakable(found)}</span>')
        else:
            out.append(f'<span class="nowrap">{escape(found)}</span>')
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


_NOWRAP = frozenset({"phone", "email", "url", "timescale"})
_BREAKABLE = frozenset({"email", "url"})


def inline_html(code: Code, nodes: tuple[Inline, ...], links: bool = True,
                breaks: bool = False) -> Markup:
    """Inline nodes as HTML. References become spans with a class naming their
    kind (phone, email, url, address, timescale, hours, name, text) and, with
    ``links``, real links (tel:, mailto:, https:). Values never wrap; with
    ``breaks`` (print), emails and web addresses wider than a line may
    break after @ . / -."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(keep_together(node.text, breaks))
        elif isinstance(node, Strong):
            parts.append(f"<strong>{inline_html(code, node.children, links, breaks)}</strong>")
        elif isinstance(node, Link):
            text = escape(node.text)
            parts.append(f'<a href="{escape(node.url)}">{text}</a>' if links else str(text))
        elif isinstance(node, Ref):
            parts.append(ref_html(code, node, links, breaks))
    return Markup("".join(parts))


def ref_html(code: Code, ref: Ref, links: bool = True, breaks: bool = False) -> str:
    """One resolved reference as HTML (``breaks``: as in :func:`inline_html`)."""
    value = code.resolve(ref)
    breaking = breaks and value.kind in _BREAKABLE
    cls = f"ref ref-{value.kind}" + (" nowrap" if value.kind in _NOWRAP else "") + (
        " breakable" if breaking else "")
    if value.kind in ("hours", "text", "name", "address"):
        inner: str = keep_together(value.text, breaks)
    elif breaking:
        inner = breakable(value.text)
    else:
        inner = str(escape(value.text))
    if links and value.href:
        return f'<a class="{cls}" href="{escape(value.href)}">{inner}</a>'
    return f'<span class="{cls}">{inner}</span>'


def jinja_env(folder: Path, breaks: bool = False) -> Environment:
    """A Jinja2 environment over a template folder, autoescaping HTML/XML and
    failing loudly on an undefined name (a typo must not print nothing).
    ``breaks``: keep_together marks emails breakable (print)."""
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html", "xml", "j2", "md"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["keep_together"] = lambda text: keep_together(text, breaks)
    env.filters["breakable"] = breakable
    return env


CONTACT_LINE_CHARS = 80
"""A paragraph this short that gives a contact value ("Email: …") belongs to
the contact details around it and is kept on their page."""


def block_groups(code: Code, blocks: Sequence[Block]) -> list[list[Block]]:
    """A section's blocks, in order, with an address and the short contact
    lines after it ("Email: …", "Tel: …") grouped, so one set of contact
    details is never split over two pages."""
    groups: list[list[Block]] = []
    for block in blocks:
        previous = groups[-1] if groups else None
        if (previous and isinstance(previous[0], AddressBlock)
                and isinstance(block, Paragraph) and _contact_line(code, block)):
            previous.append(block)
        else:
            groups.append([block])
    return groups


def _contact_line(code: Code, block: Paragraph) -> bool:
    refs = [n for n in block.inlines if isinstance(n, Ref) and n.kind in ("contact", "adr")]
    return bool(refs) and len(code.plain(block.inlines)) <= CONTACT_LINE_CHARS


def contents(code: Code) -> list[tuple[Section, list[Section]]]:
    """The sections as a two-level contents list: each main heading with the
    sub-headings under it (the web page's and the EPUB's contents alike)."""
    tree: list[tuple[Section, list[Section]]] = []
    for section in code.sections:
        if section.level == 2 and tree:
            tree[-1][1].append(section)
        else:
            tree.append((section, []))
    return tree
