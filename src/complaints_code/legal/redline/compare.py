"""The section-aware comparison of two versions of a Code.

Structured values are compared by id and stated in words ("Timescale
acknowledge: 24 working hours → 2 working days"); sections are matched by id,
so a section that moves is reported as moved, not as removed and added; text
that changed gets a word-level difference.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...structure.model import (
    AddressBlock,
    Code,
    ContactKind,
    ContactMethod,
    ContactTable,
    Paragraph,
    Section,
    StageTable,
)
from .readings import Reading, readings
from .words import Piece, diff, markup_tokens, whole, words_tokens


@dataclass(frozen=True)
class Change:
    """One change between the versions, stated in words."""

    area: str
    """Which part of the Code: Details, Contact methods, Timescales, ..."""
    kind: str
    """added, removed, moved or changed."""
    summary: str
    words: tuple[Piece, ...] = ()
    """The word-level difference, for text that changed."""
    readings: tuple[Reading, ...] = ()
    """For a changed value: each sentence that shows it, before and after."""


AREAS = ("Details", "Working calendar", "Contact methods", "Timescales", "Stages",
         "Dispute resolution (ADR)", "Sections", "Version history")
"""The order areas are reported in."""

_META = {"provider": "Provider", "title": "Title", "version": "Version",
         "effective_date": "Effective date", "last_reviewed": "Last reviewed",
         "approved_by": "Approved by", "language": "Language",
         "published_url": "Published at"}
_CALENDAR = {"timezone": "Time zone", "working_days": "Working days", "opens": "Opens",
             "closes": "Closes", "bank_holidays": "Bank holidays"}


def compare(old: Code, new: Code) -> list[Change]:
    """Every change from ``old`` to ``new``, area by area."""
    changes = [*_fields("Details", old.metadata, new.metadata, _META),
               *_fields("Working calendar", old.calendar, new.calendar, _CALENDAR),
               *_contacts("Contact methods", "", old, new, old.contacts, new.contacts),
               *_timescales(old, new), *_stages(old, new), *_adr(old, new),
               *_sections(old, new), *_history(old, new)]
    return sorted(changes, key=lambda c: AREAS.index(c.area))


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return "(none)" if value is None else str(value)


def _fields(area: str, old: Any, new: Any, labels: dict[str, str]) -> Iterator[Change]:
    for name, label in labels.items():
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            yield Change(area, "changed", f"{label} changed: {_shown(a)} → {_shown(b)}")


def _by_id(items: tuple[Any, ...]) -> dict[str, Any]:
    return {item.id: item for item in items}


def _value_name(c: ContactMethod) -> str:
    if c.kind in (ContactKind.TELEPHONE, ContactKind.FAX, ContactKind.TEXT_RELAY):
        return f"{c.label} number"
    if c.kind == ContactKind.POST:
        return f"{c.label} address"
    return c.label if c.kind == ContactKind.ESCALATION else f"{c.label} address"


def _contacts(area: str, prefix: str, old: Code, new: Code, a: tuple[ContactMethod, ...],
              b: tuple[ContactMethod, ...]) -> Iterator[Change]:
    before, after = _by_id(a), _by_id(b)
    for cid, c in after.items():
        if cid not in before:
            yield Change(area, "added", f"{prefix}Contact method added: {c.label} "
                         f"({c.display or c.kind.value})")
    for cid, c in before.items():
        if cid not in after:
            yield Change(area, "removed", f"{prefix}Contact method removed: {c.label} "
                         f"({c.display or c.kind.value})")
        else:
            yield from _contact(area, prefix, old, new, c, after[cid])


def _contact(area: str, prefix: str, old: Code, new: Code, a: ContactMethod,
             b: ContactMethod) -> Iterator[Change]:
    kind = "adr" if prefix else "contact"
    if a.display != b.display or a.url != b.url:
        yield Change(area, "changed", f"{prefix}{_value_name(b)} changed: "
                     f"{a.display or a.url} → {b.display or b.url}",
                     readings=readings(old, new, {f"{kind}:{b.id}"}))
    if a.label != b.label or a.kind != b.kind:
        yield Change(area, "changed", f"{prefix}Contact method {b.id} changed: "
                     f"{a.label} ({a.kind.value}) → {b.label} ({b.kind.value})")
    hours_a, hours_b = a.hours.text if a.hours else "(none)", b.hours.text if b.hours else "(none)"
    if a.hours != b.hours:
        yield Change(area, "changed", f"{prefix}{b.label} opening hours changed: "
                     f"{hours_a} → {hours_b}",
                     readings=readings(old, new, {f"{kind}:{b.id}.hours"}))
    if a.text != b.text:
        yield Change(area, "changed", f"{prefix}{b.label} description changed",
                     diff(markup_tokens(old, a.text or "{contact:" + a.id + "}"),
                          markup_tokens(new, b.text or "{contact:" + b.id + "}")))


def _timescales(old: Code, new: Code) -> Iterator[Change]:
    before, after = _by_id(old.timescales), _by_id(new.timescales)
    for tid, t in after.items():
        if tid not in before:
            yield Change("Timescales", "added", f"Timescale added: {tid}: {t.text}")
    for tid, t in before.items():
        if tid not in after:
            yield Change("Timescales", "removed", f"Timescale removed: {tid}: {t.text}")
            continue
        u = after[tid]
        how = [f"now counted in {u.clock.value.replace('_', ' ')}, not "
               f"{t.clock.value.replace('_', ' ')}"] if t.clock != u.clock else []
        how += [f"amount {t.amount} → {u.amount}"] if t.amount != u.amount else []
        how += [f"counted from {u.starts} (was {t.starts})"] if t.starts != u.starts else []
        if t.text != u.text or how:
            words = f": {t.text} → {u.text}" if t.text != u.text else ""
            detail = f" ({'; '.join(how)})" if how else ""
            yield Change("Timescales", "changed", f"Timescale {tid}{words}{detail}",
                         readings=readings(old, new, {f"timescale:{tid}"}))


def _stages(old: Code, new: Code) -> Iterator[Change]:
    before, after = _by_id(old.stages), _by_id(new.stages)
    for sid, s in after.items():
        if sid not in before:
            yield Change("Stages", "added", f"Stage {s.number} added: “{s.title}”",
                         whole("insert", markup_tokens(new, s.description)))
    for sid, s in before.items():
        if sid not in after:
            yield Change("Stages", "removed", f"Stage {s.number} removed: “{s.title}”",
                         whole("delete", markup_tokens(old, s.description)))
            continue
        u = after[sid]
        if s.number != u.number:
            yield Change("Stages", "changed", f"Stage “{u.title}” renumbered: "
                         f"{s.number} → {u.number}")
        if s.title != u.title:
            yield Change("Stages", "changed", f"Stage {u.number} title changed",
                         diff(words_tokens(s.title), words_tokens(u.title)))
        if s.description != u.description:
            yield Change("Stages", "changed", f"Stage {u.number} (“{u.title}”) "
                         "description changed",
                         diff(markup_tokens(old, s.description),
                              markup_tokens(new, u.description)))


def _adr(old: Code, new: Code) -> Iterator[Change]:
    area = "Dispute resolution (ADR)"
    if old.adr.name != new.adr.name:
        yield Change(area, "changed", f"ADR body changed: {old.adr.name} → {new.adr.name}",
                     readings=readings(old, new, {"adr:name"}))
    yield from _contacts(area, "ADR: ", old, new, old.adr.contacts, new.adr.contacts)


def _sections(old: Code, new: Code) -> Iterator[Change]:
    before, after = _by_id(old.sections), _by_id(new.sections)
    for sid, s in after.items():
        if sid not in before:
            yield Change("Sections", "added", f"Section added: “{s.title}”",
                         whole("insert", _section_tokens(new, s)))
    for sid, s in before.items():
        if sid not in after:
            yield Change("Sections", "removed", f"Section removed: “{s.title}”",
                         whole("delete", _section_tokens(old, s)))
    yield from _moves(old, new)
    for sid, s in before.items():
        if sid in after:
            yield from _section(old, new, s, after[sid])


def _moves(old: Code, new: Code) -> Iterator[Change]:
    """Sections whose place among the sections both versions share changed."""
    new_ids = {s.id for s in new.sections}
    a = [s.id for s in old.sections if s.id in new_ids]
    b = [s.id for s in new.sections if s.id in set(a)]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    stayed = {sid for block in matcher.get_matching_blocks()
              for sid in a[block.a : block.a + block.size]}
    for i, sid in enumerate(b):
        if sid not in stayed:
            title = new.section(sid).title
            where = f"after “{new.section(b[i - 1]).title}”" if i else "first"
            yield Change("Sections", "moved", f"Section moved: “{title}” now comes {where}")


def _section_tokens(code: Code, section: Section) -> list[Any]:
    out = words_tokens(section.title)
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out += markup_tokens(code, block.paragraph)
    return out


def _block_key(block: Any) -> str:
    if isinstance(block, Paragraph):
        return "p:" + block.paragraph
    if isinstance(block, ContactTable):
        return "c:" + ",".join(block.contacts)
    if isinstance(block, StageTable):
        return "s:" + block.stages.model_dump_json()
    assert isinstance(block, AddressBlock)
    return "a:" + block.address


def _section(old: Code, new: Code, s: Section, u: Section) -> Iterator[Change]:
    if s.title != u.title:
        yield Change("Sections", "changed", f"Section heading changed (“{u.title}”)",
                     diff(words_tokens(s.title), words_tokens(u.title)))
    if s.level != u.level:
        yield Change("Sections", "changed", f"Section “{u.title}” is now a "
                     f"{'sub-heading' if u.level == 2 else 'main heading'}")
    a, b = [_block_key(x) for x in s.blocks], [_block_key(x) for x in u.blocks]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            yield from _blocks(old, new, u, list(s.blocks[i1:i2]), list(u.blocks[j1:j2]), j1)


def _blocks(old: Code, new: Code, section: Section, a: list[Any], b: list[Any],
            start: int) -> Iterator[Change]:
    """Blocks replaced in place are compared pairwise; the rest were added or removed."""
    for n in range(max(len(a), len(b))):
        x, y = (a[n] if n < len(a) else None), (b[n] if n < len(b) else None)
        where = f"“{section.title}”, {_block_name(y or x)} {start + min(n, len(b)) + 1}"
        if isinstance(x, Paragraph) and isinstance(y, Paragraph):
            yield Change("Sections", "changed", f"{where} changed",
                         diff(markup_tokens(old, x.paragraph), markup_tokens(new, y.paragraph)))
        elif y is None:
            yield Change("Sections", "removed", f"{where} removed", _block_words(old, x, "delete"))
        elif x is None:
            yield Change("Sections", "added", f"{where} added", _block_words(new, y, "insert"))
        else:
            yield Change("Sections", "changed", f"{where} changed{_block_detail(x, y)}")


_BLOCK_NAMES: dict[type, str] = {Paragraph: "paragraph", ContactTable: "contact table",
                                 StageTable: "stage table", AddressBlock: "address"}


def _block_name(block: Any) -> str:
    return _BLOCK_NAMES.get(type(block), "block")


def _block_detail(x: Any, y: Any) -> str:
    """What changed in a table or address block, in words."""
    if isinstance(x, ContactTable) and isinstance(y, ContactTable):
        return f": {', '.join(x.contacts)} → {', '.join(y.contacts)}"
    if isinstance(x, AddressBlock) and isinstance(y, AddressBlock):
        return f": {x.address} → {y.address}"
    return ""


def _block_words(code: Code, block: Any, op: Any) -> tuple[Piece, ...]:
    if isinstance(block, Paragraph):
        return whole(op, markup_tokens(code, block.paragraph))
    return ()


def _history(old: Code, new: Code) -> Iterator[Change]:
    before = {c.version: c for c in old.changes}
    after = {c.version: c for c in new.changes}
    for version, c in after.items():
        if version not in before:
            yield Change("Version history", "added", f"Version {version} added: {c.date}, "
                         f"“{c.summary}”, approved by {c.approved_by}")
        elif before[version] != c:
            yield Change("Version history", "changed", f"Entry for version {version} changed")
    for version in before.keys() - after.keys():
        yield Change("Version history", "removed", f"Version {version} removed from the history")
