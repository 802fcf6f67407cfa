"""Checks on what the Code's words promise: free copies, accessible formats,
compensation, consistent terms, and its version history."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...structure.versions import parse_version
from .context import Context, Hit
from .registry import check
from .rules import Rule

_FORMATS = re.compile(r"\b(braille|large print|audio|accessible formats?|easy read)\b",
                      re.IGNORECASE)
_CONDITIONAL = re.compile(r"case[\s-]+by[\s-]+case(?:\s+basis)?|where possible|"
                          r"at our discretion|may be able to|subject to", re.IGNORECASE)
_DISPUTE = re.compile(r"\bdisputes?\b(?![\s-]+resolution)", re.IGNORECASE)


@check("FREE-COPY")
def free_copy(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """A free copy is offered, and the Code says where it is published."""
    offered = any(re.search(r"\bcop(y|ies)\b", t.plain, re.I) and
                  re.search(r"\bfree\b", t.plain, re.I) for t in ctx.texts)
    missing = [] if offered else ["offer a free copy"]
    if not ctx.code.metadata.published_url:
        missing.append("say where it is published (metadata.published_url)")
    if missing:
        yield Hit(("sections",) if not offered else ("metadata",),
                  {"missing": " or ".join(missing)}, at_key=True)


@check("ACCESSIBLE-FORMATS")
def accessible_formats(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """Accessible formats are offered free and without conditions."""
    mentions = [t for t in ctx.texts if _FORMATS.search(t.plain)]
    if not mentions:
        yield Hit(("sections",), {"why": "The Code does not offer them."}, at_key=True)
    for text in mentions:
        condition = _CONDITIONAL.search(text.plain)
        reasons = []
        if condition:
            reasons.append(f'makes them conditional ("{condition.group(0)}")')
        if not re.search(r"\bfree\b", text.plain, re.IGNORECASE):
            reasons.append("does not say they are free")
        if reasons:
            needle = condition.group(0) if condition else _FORMATS.search(text.plain)
            yield Hit(text.loc, {"why": f"This text {' and '.join(reasons)}."},
                      needle=needle if isinstance(needle, str) else None)


@check("COMPENSATION")
def compensation(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """The Code says something about compensation."""
    if not re.search(r"\bcompensat", ctx.all_plain(), re.IGNORECASE):
        yield Hit(("sections",), at_key=True)


@check("CONSISTENT-TERMS")
def consistent_terms(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """"Complaint", not "dispute" (except in "dispute resolution")."""
    for text in ctx.texts:
        seen: dict[str, int] = {}
        for m in _DISPUTE.finditer(text.literal):
            word = m.group(0)
            seen[word.lower()] = seen.get(word.lower(), -1) + 1
            yield Hit(text.loc, {"word": word}, needle=word, nth=seen[word.lower()])


@check("VERSION-DATE")
def version_date(ctx: Context, rule: Rule) -> Iterator[Hit]:
    """The latest entry of the version history is this version and date."""
    meta, changes = ctx.code.metadata, ctx.code.changes
    if not changes:
        yield Hit(("metadata", "version"), {"why": "The Code has no version history."})
        return
    last = len(changes) - 1
    for i in range(1, len(changes)):
        if parse_version(changes[i].version) <= parse_version(changes[i - 1].version):
            yield Hit(("changes", i, "version"), {"why": (
                f"The version history is out of order: version {changes[i].version} comes "
                f"after version {changes[i - 1].version}.")})
    if changes[last].version != meta.version:
        yield Hit(("metadata", "version"), {"why": (
            f"The Code says version {meta.version}, but the latest entry of the version "
            f"history is version {changes[last].version}.")})
    elif changes[last].date != meta.effective_date:
        yield Hit(("metadata", "effective_date"), {"why": (
            f"The effective date is {meta.effective_date}, but the version history says "
            f"version {meta.version} took effect on {changes[last].date}.")})
