"""What a check sees: the Code, where each value is in the file, the date the
rules are judged on, and every piece of text with its location."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ...structure.inline import Inline, Link, Ref, Strong, Text, parse_inline
from ...structure.model import Code, Paragraph
from ...structure.positions import Loc, Positions


@dataclass(frozen=True)
class Hit:
    """What a check found: the value concerned, the words to fill into the
    rule's message, and optionally the words to point at inside the value."""

    loc: Loc
    fields: dict[str, Any] = field(default_factory=dict)
    needle: str | None = None
    nth: int = 0
    """Which occurrence of ``needle`` in the value (0 for the first)."""
    at_key: bool = False
    """Point at the key rather than the value (for a whole list or mapping)."""


@dataclass(frozen=True)
class TextField:
    """One piece of the Code's text: a title, paragraph, description or label."""

    loc: Loc
    nodes: tuple[Inline, ...]
    plain: str
    """The words as a reader sees them, references resolved."""
    literal: str
    """Only the words written in this field; each reference becomes "…"."""

    def refs(self) -> list[Ref]:
        """The references in this text."""
        return [n for n in _flatten(self.nodes) if isinstance(n, Ref)]


def _flatten(nodes: tuple[Inline, ...]) -> Iterator[Inline]:
    for node in nodes:
        if isinstance(node, Strong):
            yield from _flatten(node.children)
        else:
            yield node


def _literal(nodes: tuple[Inline, ...]) -> str:
    out = []
    for node in _flatten(nodes):
        out.append(node.text if isinstance(node, Text | Link) else " … ")
    return "".join(out)


class Context:
    """Everything a check needs. ``text`` is the source file's text, used to
    point a finding at the exact line of the words concerned."""

    def __init__(self, code: Code, positions: Positions, text: str, as_of: dt.date):
        self.code = code
        self.positions = positions
        self.lines = text.splitlines()
        self.as_of = as_of
        self._starts = sorted({line for line, _ in positions.values.values()})

    def field(self, loc: Loc, markup: str, parse: bool = True) -> TextField:
        """A text field at ``loc``; ``parse`` is False for plain-words fields."""
        nodes: tuple[Inline, ...] = parse_inline(markup) if parse else (Text(markup),)
        return TextField(loc, nodes, self.code.plain(nodes), _literal(nodes))

    @cached_property
    def texts(self) -> list[TextField]:
        """Every title, paragraph, description and contact text, in file order."""
        c, out = self.code, []
        out.append(self.field(("metadata", "title"), c.metadata.title, parse=False))
        for i, contact in enumerate(c.contacts):
            if contact.text:
                out.append(self.field(("contacts", i, "text"), contact.text))
        for i, stage in enumerate(c.stages):
            out.append(self.field(("stages", i, "title"), stage.title, parse=False))
            out.append(self.field(("stages", i, "description"), stage.description))
        for i, section in enumerate(c.sections):
            out.append(self.field(("sections", i, "title"), section.title, parse=False))
            for j, block in enumerate(section.blocks):
                if isinstance(block, Paragraph):
                    out.append(self.field(("sections", i, "blocks", j, "paragraph"),
                                          block.paragraph))
        return out

    def all_plain(self) -> str:
        """The whole Code's words, references resolved, as one string."""
        return "\n".join(t.plain for t in self.texts)

    def locate(self, hit: Hit) -> tuple[int, int]:
        """The line and column of the hit's value, or of its ``needle`` inside
        the value when the words can be found there (a paragraph spans lines)."""
        line, col = self.positions.of(hit.loc, key=hit.at_key)
        if hit.at_key:
            return line, col
        end = min(self._next_start(line), len(self.lines) + 1)
        span = "\n".join(self.lines[line - 1 : end - 1])
        if not hit.needle:
            return _words_start(span, line, col)
        pattern = re.compile(r"\s+".join(map(re.escape, hit.needle.split())), re.IGNORECASE)
        matches = list(pattern.finditer(span, col - 1))
        if len(matches) <= hit.nth:
            return line, col
        m = matches[hit.nth]
        before = span[: m.start()]
        return line + before.count("\n"), m.start() - (before.rfind("\n") + 1) + 1

    def _next_start(self, line: int) -> int:
        """The first line after ``line`` where another value starts."""
        i = bisect.bisect_right(self._starts, line)
        return self._starts[i] if i < len(self._starts) else len(self.lines) + 1


def _words_start(span: str, line: int, col: int) -> tuple[int, int]:
    """For a block scalar (``>-`` or ``|``), where its words start, below it."""
    if span[col - 1 : col] not in (">", "|"):
        return line, col
    start = span.find("\n", col - 1) + 1
    if not start:
        return line, col
    rest = span[start:]
    return line + 1, len(rest) - len(rest.lstrip(" ")) + 1
