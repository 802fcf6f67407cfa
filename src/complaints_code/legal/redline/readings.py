"""The sentences a changed value changes, as customers read them.

A value written once (a phone number, a timescale, the ADR body's name) is
shown in every sentence that refers to it. Changing it changes those
sentences although their markup is untouched, and can make a wrong one
("the Communications Ombudsman is an independent regulator"). For each
changed value, :func:`readings` finds every sentence of the Code's text that
refers to it and gives it before and after, references resolved, as the
website, the PDFs and the braille print it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...errors import MarkupError
from ...structure.inline import Inline, Ref, Strong, parse_inline, starts_sentence
from ...structure.model import Code, Paragraph


@dataclass(frozen=True)
class Reading:
    """One sentence before and after a change of value, as customers read it."""

    where: str
    """Where the sentence is, e.g. "“Alternative Dispute Resolution”, paragraph 2"."""
    before: str
    after: str


_STOP = re.compile(r"[.!?][\"”’')\]*]*\s+")


def sentences(markup: str) -> list[str]:
    """A text in the inline markup, split into its sentences (still markup);
    the whole text if a split would break the markup (bold across sentences)."""
    out, start = [], 0
    for m in _STOP.finditer(markup):
        if starts_sentence(markup[: m.end()].rstrip().rstrip("*")):
            out.append(markup[start : m.end()].strip())
            start = m.end()
    out.append(markup[start:].strip())
    try:
        for piece in out:
            parse_inline(piece)
    except MarkupError:
        return [markup]
    return [s for s in out if s]


def _texts(code: Code) -> Iterator[tuple[str, str]]:
    """Every text of the Code that can refer to a value: (where, markup)."""
    for contact in code.contacts:
        if contact.text:
            yield f"Contact method “{contact.label}”", contact.text
    for stage in code.stages:
        yield f"Stage {stage.number} (“{stage.title}”)", stage.description
    for section in code.sections:
        n = 0
        for block in section.blocks:
            if isinstance(block, Paragraph):
                n += 1
                yield f"“{section.title}”, paragraph {n}", block.paragraph


def _refs(nodes: tuple[Inline, ...]) -> Iterator[Ref]:
    for node in nodes:
        if isinstance(node, Strong):
            yield from _refs(node.children)
        elif isinstance(node, Ref):
            yield node


def readings(old: Code, new: Code, keys: set[str]) -> tuple[Reading, ...]:
    """Every sentence of ``new`` that refers to one of ``keys`` (references as
    written, e.g. "adr:name", "contact:telephone.hours") and reads differently
    with the old values, before and after."""
    out = []
    for where, markup in _texts(new):
        for sentence in sentences(markup):
            nodes = parse_inline(sentence)
            if not any(r.key in keys for r in _refs(nodes)):
                continue
            try:
                before = old.plain(nodes)
            except StopIteration:  # refers to a value the old version did not have
                continue
            after = new.plain(nodes)
            if before != after:
                out.append(Reading(where, " ".join(before.split()), " ".join(after.split())))
    return tuple(out)
