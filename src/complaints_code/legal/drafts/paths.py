"""Field paths: the name of each editable value of a draft.

A path names a value the way the legal team knows it, by ids rather than by
position, so that it still names the same value after a contact is added
above it or the published version moved on:

    metadata.version
    contacts.telephone.value
    contacts.telephone.hours.days
    timescales.acknowledge.amount
    stages.receipt.description
    adr.contacts.email.value
    sections.complaint-handling.title
    sections.contact-us.blocks[0].paragraph
    changes[0].summary

Items of the lists that have ids (contacts, timescales, stages, sections, the
ADR body's contacts) are named by their id; items of other lists (a
section's blocks, the version history, days, address lines) by their index.
The loader's locations (``("contacts", 0, "value")``) and these paths turn
into each other against the parsed data (:func:`path_of`, :func:`loc_of`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ...errors import InputError
from ...structure.positions import Loc

ID_LISTS: frozenset[Loc] = frozenset({
    ("contacts",), ("timescales",), ("stages",), ("sections",), ("adr", "contacts")})
"""The lists whose items are named by their id in a path."""

_SEGMENT = re.compile(r"([a-z0-9_][a-z0-9_-]*)((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")


class FieldError(InputError):
    """A field path that names no value of the draft, or a value of the wrong
    kind for its field. ``field`` is the path as given."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


def parse(path: str) -> tuple[str | int, ...]:
    """A path's parts: names (keys or ids) and list indexes, in order.
    Raises FieldError if it is not written as a path."""
    parts: list[str | int] = []
    for segment in path.split("."):
        m = _SEGMENT.fullmatch(segment)
        if not m:
            raise FieldError(path, "is not a field path; write it as e.g. "
                             "contacts.telephone.value or sections.purpose.blocks[0].paragraph")
        parts.append(m.group(1))
        parts.extend(int(i) for i in _INDEX.findall(m.group(2)))
    return tuple(parts)


def generic(loc: Loc) -> Loc:
    """A location without its list indexes: ``("contacts", "value")``."""
    return tuple(p for p in loc if isinstance(p, str))


def path_of(loc: Loc, data: Any) -> str:
    """The path of a location in ``data`` (the plain parsed source)."""
    out, here = "", data
    keys: Loc = ()
    for part in loc:
        if isinstance(part, int):
            item = here[part] if isinstance(here, list) and part < len(here) else None
            ident = item.get("id") if isinstance(item, dict) else None
            if keys in ID_LISTS and isinstance(ident, str) and _SEGMENT.fullmatch(ident):
                out += f".{ident}"
            else:
                out += f"[{part}]"
            here = item
        else:
            out += f".{part}" if out else part
            keys = keys + (part,)
            here = here.get(part) if isinstance(here, dict) else None
    return out


def loc_of(path: str, data: Any) -> Loc:
    """The location in ``data`` of the value a path names. The last part may
    name a key the data does not have yet (a value to add), or the index
    just past a list's end (an item to append). Raises FieldError."""
    parts = parse(path)
    loc: list[str | int] = []
    here = data
    keys: Loc = ()
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if keys in ID_LISTS and isinstance(part, str) and isinstance(here, list):
            index = _index_of(here, part)
            if index is None and not last:
                raise FieldError(path, f"there is no {_what(keys)} with the id '{part}'")
            loc.append(len(here) if index is None else index)
            here = here[index] if index is not None else None
        elif isinstance(part, int):
            if not isinstance(here, list) or part > len(here) or (part == len(here) and not last):
                raise FieldError(path, f"there is no item [{part}] here")
            loc.append(part)
            here = here[part] if part < len(here) else None
        elif isinstance(here, dict):
            if part not in here and not last:
                raise FieldError(path, f"there is no '{part}' here")
            loc.append(part)
            keys = keys + (part,)
            here = here.get(part)
        else:
            raise FieldError(path, f"'{part}' is not part of a field here")
    return tuple(loc)


def _index_of(items: list[Any], ident: str) -> int | None:
    return next((i for i, item in enumerate(items)
                 if isinstance(item, dict) and item.get("id") == ident), None)


_WHAT: dict[Loc, str] = {("contacts",): "contact", ("timescales",): "timescale",
                         ("stages",): "stage", ("sections",): "section",
                         ("adr", "contacts"): "ADR contact"}


def _what(keys: Loc) -> str:
    return _WHAT.get(keys, "item")


def get(data: Any, loc: Loc) -> Any:
    """The value at ``loc`` in plain data; None where there is none."""
    here = data
    for part in loc:
        if isinstance(here, dict) and isinstance(part, str):
            here = here.get(part)
        elif isinstance(here, list) and isinstance(part, int) and part < len(here):
            here = here[part]
        else:
            return None
    return here


def tokens(items: list[Any]) -> list[str]:
    """List items as strings that are equal when the items are, for
    comparing lists of mappings item by item."""
    return [json.dumps(i, sort_keys=True, default=str) for i in items]


def html_id(path: str) -> str:
    """An HTML id for a field's input, so a finding can link to its field:
    ``contacts.telephone.value`` → ``field-contacts__telephone__value``."""
    return "field-" + re.sub(r"\[(\d+)\]", r"__\1", path).replace(".", "__")
