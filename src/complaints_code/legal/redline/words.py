"""Word-level differences between two versions of a piece of text.

Text is compared as the words the legal team wrote: a reference such as
{contact:telephone} is one token, compared by what it refers to, not by the
number it currently stands for. So a new telephone number is reported once,
as "Telephone number changed", not again in every paragraph that shows it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from ...structure.inline import Inline, Link, Ref, Strong, parse_inline
from ...structure.model import Code

Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class Piece:
    """A run of words that are unchanged, inserted or deleted."""

    op: Op
    text: str
    gap: str = " "
    """The space before this run ("" when it follows the previous run directly)."""


@dataclass(frozen=True)
class _Token:
    key: str
    """What is compared: the word, or the reference as written."""
    shown: str
    """What a reader sees: the word, or the reference's value."""
    gap: str = " "
    """" " if a space comes before it in the text, "" if it follows directly."""


def tokens(code: Code, nodes: tuple[Inline, ...]) -> list[_Token]:
    """Inline nodes as word tokens; a reference is one token. Each token knows
    whether a space comes before it, so "within {timescale:x}." stays "x."."""
    out: list[_Token] = []
    _walk(code, nodes, out, bold=False, space=[True])
    return out


def _walk(code: Code, nodes: tuple[Inline, ...], out: list[_Token], bold: bool,
          space: list[bool]) -> None:
    """Append tokens; ``space[0]`` says whether whitespace is pending."""
    for node in nodes:
        if isinstance(node, Strong):
            _walk(code, node.children, out, True, space)
        elif isinstance(node, Ref):
            out.append(_Token("{" + node.key + "}", code.resolve(node).text, _gap(space)))
        else:
            words = node.text
            key = "[{}](" + node.url + ")" if isinstance(node, Link) else \
                ("**{}**" if bold else "{}")
            for m in re.finditer(r"(\s*)(\S+)", words):
                space[0] = space[0] or bool(m.group(1))
                out.append(_Token(key.format(m.group(2)), m.group(2), _gap(space)))
            space[0] = space[0] or (words[-1:].isspace())


def _gap(space: list[bool]) -> str:
    gap = " " if space[0] else ""
    space[0] = False
    return gap


def markup_tokens(code: Code, markup: str) -> list[_Token]:
    """Tokens of a text in the inline markup."""
    return tokens(code, parse_inline(markup))


def words_tokens(text: str) -> list[_Token]:
    """Tokens of plain words (a title)."""
    return [_Token(w, w) for w in text.split()]


def diff(old: list[_Token], new: list[_Token]) -> tuple[Piece, ...]:
    """The word-level difference, as unchanged, deleted and inserted runs."""
    matcher = difflib.SequenceMatcher(None, [t.key for t in old], [t.key for t in new],
                                      autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            _add(pieces, "delete", old[i1:i2])
        if tag in ("insert", "replace"):
            # A replacement's new words follow its deleted words directly.
            _add(pieces, "insert", new[j1:j2], joined=tag == "replace")
        if tag == "equal":
            _add(pieces, "equal", new[j1:j2])
    return tuple(pieces)


def _add(pieces: list[Piece], op: Op, run: list[_Token], joined: bool = False) -> None:
    text = "".join(t.gap + t.shown for t in run)[len(run[0].gap):]
    gap = "" if joined or not pieces else run[0].gap
    pieces.append(Piece(op, text, gap))


def whole(op: Op, run: list[_Token]) -> tuple[Piece, ...]:
    """A text that was added or removed as a whole."""
    return (Piece(op, "".join(t.gap + t.shown for t in run).strip(), ""),) if run else ()
