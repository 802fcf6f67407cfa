"""Bringing a draft up to date with a newer published version: a three-way
merge, field by field.

The draft began from a published version (the base); since then the draft
changed some fields (mine) and a newer version was published (theirs). A
field changed on one side only takes that side's value; a field changed on
both sides to different values is a :class:`Conflict`, left as the draft has
it until the author resolves it (keep mine, take theirs, or write a new
value). Nothing is overwritten silently.

Items with ids (contacts, timescales, stages, sections, the ADR body's
contacts) are matched by id, so an item added on one side, or moved, is
kept. Other lists (a section's blocks, address lines, the contact table) are
merged as sequences: a paragraph added on one side and another paragraph
changed on the other both survive; two different changes to the same
paragraph are a conflict on that paragraph; changes that overlap in a way
that cannot be paired are one conflict on the whole list.

The merged draft is written as the published text with the merged values,
so the published version's comments and layout are kept.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from typing import Any, Literal

from ...structure.positions import Loc
from ...structure.source import parse_yaml
from . import yamltree
from .paths import ID_LISTS, FieldError, get, loc_of, tokens


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""A value a side does not have (a key deleted, an item not yet added)."""


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed, to different values. None: not there."""

    field: str
    base: Any
    mine: Any
    """The draft's value (what the draft keeps until resolved)."""
    theirs: Any
    """The newer published version's value."""

    def as_json(self) -> dict[str, Any]:
        """field, base, mine and theirs."""
        return {"field": self.field, "base": self.base, "mine": self.mine,
                "theirs": self.theirs}


@dataclass(frozen=True)
class Merged:
    """A draft brought up to date: its new text, and what is left to resolve."""

    text: str
    conflicts: tuple[Conflict, ...]


def merge(base: Any, mine: Any, theirs: Any) -> tuple[Any, tuple[Conflict, ...]]:
    """The three-way merge of plain data; conflicts keep mine's value."""
    conflicts: list[Conflict] = []
    merged = _merge(base, mine, theirs, (), "", conflicts)
    return merged, tuple(conflicts)


def bring_up_to_date(draft: str, base: str, published: str) -> Merged:
    """The draft's text merged onto the published text. ``base`` is the
    published text the draft last started from. Raises SourceError if one
    of the three is not YAML, LayoutError if the published text cannot be
    rewritten keeping its layout."""
    data = [parse_yaml(text, name)[0] for text, name in
            ((base, "base"), (draft, "draft"), (published, "published"))]
    merged, conflicts = merge(*data)
    return Merged(yamltree.rewrite(published, data[2], merged), conflicts)


Choice = Literal["mine", "theirs", "value"]


def resolve(text: str, conflict: Conflict, choice: Choice, value: Any = None) -> str:
    """The draft's text with one conflict resolved: ``mine`` keeps the
    draft's value, ``theirs`` takes the published one, ``value`` sets
    ``value``. Raises FieldError if the field is no longer in the draft."""
    if choice == "mine":
        return text
    if choice not in ("theirs", "value"):
        raise FieldError(conflict.field, f"'{choice}' is not a choice; choose mine, theirs "
                         "or value")
    data = parse_yaml(text, "draft")[0]
    new = copy.deepcopy(data)
    chosen = conflict.theirs if choice == "theirs" else value
    _set(new, loc_of(conflict.field, data), chosen)
    return yamltree.rewrite(text, data, new)


def _set(data: Any, loc: Loc, value: Any) -> None:
    parent, last = get(data, loc[:-1]), loc[-1]
    if isinstance(parent, dict) and isinstance(last, str):
        if value is None:
            parent.pop(last, None)
        else:
            parent[last] = value
    elif isinstance(parent, list) and isinstance(last, int):
        if value is None:
            if last < len(parent):
                del parent[last]
        elif last == len(parent):
            parent.append(value)
        else:
            parent[last] = value
    else:
        raise FieldError("", "the conflict's field is no longer in the draft")


def _merge(base: Any, mine: Any, theirs: Any, keys: Loc, path: str,
           conflicts: list[Conflict]) -> Any:
    if mine == theirs:
        return mine
    if mine == base:
        return theirs
    if theirs == base:
        return mine
    if _all(dict, mine, theirs) and (base is MISSING or isinstance(base, dict)):
        return _merge_maps({} if base is MISSING else base, mine, theirs, keys, path, conflicts)
    if _all(list, base, mine, theirs):
        if keys in ID_LISTS and all(_ids(x) is not None for x in (base, mine, theirs)):
            return _merge_items(base, mine, theirs, keys, path, conflicts)
        return _merge_seq(base, mine, theirs, keys, path, conflicts)
    conflicts.append(Conflict(path, _shown(base), _shown(mine), _shown(theirs)))
    return mine


def _all(kind: type, *values: Any) -> bool:
    return all(isinstance(v, kind) for v in values)


def _shown(value: Any) -> Any:
    return None if value is MISSING else value


def _merge_maps(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any],
                keys: Loc, path: str, conflicts: list[Conflict]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in [*theirs, *(k for k in mine if k not in theirs)]:
        value = _merge(base.get(key, MISSING), mine.get(key, MISSING),
                       theirs.get(key, MISSING), keys + (key,),
                       f"{path}.{key}" if path else key, conflicts)
        if value is not MISSING:
            out[key] = value
    return out


def _ids(items: list[Any]) -> list[str] | None:
    ids = [i.get("id") if isinstance(i, dict) else None for i in items]
    if all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids):
        return ids  # type: ignore[return-value]
    return None


def _merge_items(base: list[Any], mine: list[Any], theirs: list[Any], keys: Loc, path: str,
                 conflicts: list[Conflict]) -> list[Any]:
    """Items with ids, matched by id."""
    b, m, t = ({item["id"]: item for item in x} for x in (base, mine, theirs))
    merged = {}
    for ident in dict.fromkeys([*t, *m, *b]):
        value = _merge(b.get(ident, MISSING), m.get(ident, MISSING), t.get(ident, MISSING),
                       keys, f"{path}.{ident}", conflicts)
        if value is not MISSING:
            merged[ident] = value
    order = _order(list(b), list(m), list(t), set(merged))
    if order is None:  # both sides moved items, differently
        conflicts.append(Conflict(path, base, mine, theirs))
        return mine
    return [merged[i] for i in order]


def _order(base: list[str], mine: list[str], theirs: list[str], present: set[str]) -> \
        list[str] | None:
    """The merged order of ids: one side's order, with the ids only the
    other side added placed after the id they follow there."""
    common = [i for i in base if i in mine and i in theirs]
    def rel(seq: list[str]) -> list[str]:
        return [i for i in seq if i in common]
    if rel(mine) == rel(base):
        skeleton, other = theirs, mine
    elif rel(theirs) in (rel(base), rel(mine)):
        skeleton, other = mine, theirs
    else:
        return None
    out = [i for i in skeleton if i in present]
    for n, ident in enumerate(other):
        if ident in present and ident not in out:
            before = next((out.index(p) + 1 for p in reversed(other[:n]) if p in out), 0)
            out.insert(before, ident)
    return out


def _merge_seq(base: list[Any], mine: list[Any], theirs: list[Any], keys: Loc, path: str,
               conflicts: list[Conflict]) -> list[Any]:
    """Any other list, item by item against the base: each base item is kept,
    changed or deleted on each side, and new items go in the gaps between
    them. Two sides adding different items in the same gap, or one deleting
    an item the other changed, is one conflict on the whole list."""
    m_items, m_gaps = _script(base, mine)
    t_items, t_gaps = _script(base, theirs)
    out: list[Any] = []
    inner: list[Conflict] = []
    for i in range(len(base) + 1):
        gap_m, gap_t = m_gaps.get(i, []), t_gaps.get(i, [])
        if gap_m and gap_t and gap_m != gap_t:
            return _whole(path, base, mine, theirs, conflicts)
        out += gap_m or gap_t
        if i == len(base):
            break
        mi, ti = m_items[i], t_items[i]
        if (mi is MISSING) != (ti is MISSING) and (ti if mi is MISSING else mi) != base[i]:
            return _whole(path, base, mine, theirs, conflicts)  # deleted, and changed
        value = _merge(base[i], mi, ti, keys, f"{path}[{len(out)}]", inner)
        if value is not MISSING:
            out.append(value)
    conflicts.extend(inner)
    return out


def _whole(path: str, base: list[Any], mine: list[Any], theirs: list[Any],
           conflicts: list[Conflict]) -> list[Any]:
    conflicts.append(Conflict(path, base, mine, theirs))
    return mine


def _script(base: list[Any], side: list[Any]) -> tuple[list[Any], dict[int, list[Any]]]:
    """What one side did to each base item (its new value, or MISSING when
    deleted) and the items it inserted before each base index."""
    items: list[Any] = list(base)
    gaps: dict[int, list[Any]] = {}
    matcher = difflib.SequenceMatcher(None, tokens(base), tokens(side), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1)
        for k in range(pairs):
            items[i1 + k] = side[j1 + k]
        for k in range(i1 + pairs, i2):
            items[k] = MISSING
        if j2 - j1 > pairs:
            gaps.setdefault(i1 + pairs, []).extend(side[j1 + pairs : j2])
    return items, gaps
