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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import MarkupError

__all__ = ["REF_KINDS", "Inline", "Link", "Ref", "Strong", "Text", "parse_inline"]

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
    return tuple(nodes)


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
