"""The small inline markup the legal team may use inside Code text.

The subset is deliberately tiny, so that the words stay readable in the YAML:

``**strong**``
    Strong emphasis (rendered bold; never italic, per RNIB Clear Print).
``[words](https://example.org/)``
    A link with its own words.
``{contact:ID}``, ``{contact:ID.hours}``
    The value (phone number, email, web address, postal address) or the
    opening-hours words of a contact method in ``contacts``.
``{adr:ID}``, ``{adr:ID.hours}``, ``{adr:name}``
    The same for a contact method of the ADR body, or its name.
``{timescale:ID}``
    The words of a timescale, such as "8 weeks".
``\\{``, ``\\*``, ``\\[``, ``\\\\``
    A literal brace, asterisk, bracket or backslash.

References keep each value in one place: change the phone number once and
every paragraph, table and format that mentions it changes too.

A reference that starts a sentence is marked (``Ref.capital``) when the text
is parsed, and :meth:`complaints_code.structure.model.Code.resolve` capitalises its
words: "{adr:name} is free" with the name "the Communications Ombudsman" reads
"The Communications Ombudsman is free" in every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..errors import MarkupError

__all__ = ["REF_KINDS", "Inline", "Link", "Ref", "Strong", "Text", "parse_inline",
           "starts_sentence"]

REF_KINDS = ("contact", "adr", "timescale")
_REF = re.compile(r"\{(contact|adr|timescale):([a-z0-9][a-z0-9-]*)(\.hours)?\}")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_ESCAPABLE = "{}*[]\\"


@dataclass(frozen=True)
class Text:
    """Plain words."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Strong emphasis around plain words."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    """A link with its own words."""

    text: str
    url: str


@dataclass(frozen=True)
class Ref:
    """A reference to a structured value, resolved by the model."""

    kind: str
    id: str
    hours: bool = False
    capital: bool = field(default=False, compare=False)
    """Whether the reference starts a sentence, so its words start with a capital."""

    @property
    def key(self) -> str:
        """The reference as written, without braces."""
        return f"{self.kind}:{self.id}{'.hours' if self.hours else ''}"


Inline = Text | Strong | Link | Ref


def parse_inline(source: str) -> tuple[Inline, ...]:
    """Parse ``source`` into inline nodes; raise MarkupError on bad markup."""
    nodes, pos = _parse(source, 0, inside_strong=False)
    if pos != len(source):  # pragma: no cover - _parse consumes everything
        raise MarkupError(pos, "unexpected text", "check the markup")
    return _mark_sentence_starts(tuple(nodes), [True])


_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*$")
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:e\.g|i\.e|cf|vs|incl|approx|Mr|Mrs|Ms|Dr)\.$",
                           re.IGNORECASE)
"""Abbreviations whose full stop does not end a sentence."""
_OPENERS = "\"“‘'([ \t\n"


def starts_sentence(before: str) -> bool:
    """Whether words that follow ``before`` (the text before them in the same
    paragraph) start a sentence: nothing before, or a full stop, question or
    exclamation mark (not one ending "e.g." or "Mr."), maybe with an opening
    quote or bracket after it."""
    words = before.rstrip(_OPENERS)
    if not words:
        return True
    return bool(_SENTENCE_END.search(words)) and not _ABBREVIATION.search(words)


def _mark_sentence_starts(nodes: tuple[Inline, ...], at_start: list[bool]) -> tuple[Inline, ...]:
    """Mark each reference that starts a sentence; ``at_start[0]`` carries the
    state from node to node (and into and out of bold text)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Ref):
            out.append(replace(node, capital=True) if at_start[0] else node)
            at_start[0] = False
        elif isinstance(node, Strong):
            out.append(Strong(_mark_sentence_starts(node.children, at_start)))
        else:
            out.append(node)
            if node.text.strip(_OPENERS):
                at_start[0] = starts_sentence(node.text)
    return tuple(out)


def _parse(s: str, pos: int, inside_strong: bool) -> tuple[list[Inline], int]:
    out: list[Inline] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append(Text("".join(buf)))
            buf.clear()

    while pos < len(s):
        ch = s[pos]
        if ch == "\\" and pos + 1 < len(s) and s[pos + 1] in _ESCAPABLE:
            buf.append(s[pos + 1])
            pos += 2
        elif s.startswith("**", pos):
            if inside_strong:
                flush()
                return out, pos
            flush()
            children, end = _parse(s, pos + 2, inside_strong=True)
            if end >= len(s):
                raise MarkupError(pos, "'**' opens bold text that is never closed",
                                  "add the closing '**', or write '\\*\\*' for literal asterisks")
            if not children:
                raise MarkupError(pos, "'****' is empty bold text", "remove it")
            out.append(Strong(tuple(children)))
            pos = end + 2
        elif ch == "{":
            m = _REF.match(s, pos)
            if not m:
                raise MarkupError(pos, f"'{_snippet(s, pos)}' is not a reference",
                                  "write {contact:ID}, {adr:ID}, {timescale:ID} "
                                  "or '\\{' for a literal brace")
            flush()
            out.append(Ref(m.group(1), m.group(2), hours=bool(m.group(3))))
            pos = m.end()
        elif ch == "}":
            raise MarkupError(pos, "'}' closes no reference", "write '\\}' for a literal brace")
        elif ch == "[":
            m = _LINK.match(s, pos)
            if not m:
                raise MarkupError(pos, f"'{_snippet(s, pos)}' is not a link",
                                  "write [words](https://address) or '\\[' for a literal bracket")
            flush()
            out.append(Link(m.group(1), m.group(2)))
            pos = m.end()
        else:
            buf.append(ch)
            pos += 1
    flush()
    return out, pos


def _snippet(s: str, pos: int) -> str:
    end = s.find("}", pos)
    return s[pos : end + 1] if 0 <= end - pos < 40 else s[pos : pos + 20]
