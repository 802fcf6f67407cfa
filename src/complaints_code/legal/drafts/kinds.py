"""What kind of value each field holds, read from the Code's model, so the
form knows how to show it and the YAML writer how to write it (a date as a
date, a time and a version in quotes, a list of days on one line)."""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ...structure.model import BLOCK_KINDS, Code
from ...structure.positions import Loc

MARKUP: frozenset[Loc] = frozenset({
    ("contacts", "text"), ("stages", "description"), ("sections", "blocks", "paragraph")})
"""The fields written in the inline markup ({contact:…}, {timescale:…}, **bold**)."""

KINDS = ("text", "markup", "number", "date", "time", "version", "choice", "flag", "list",
         "group")
"""Every kind of value: ``list`` is a list of plain values (days, address
lines, ids); ``group`` a mapping of fields or a list of mappings."""

_LABELS = {"id": "Id", "url": "Link address", "text": "Words", "value": "Value",
           "published_url": "Published at", "approved_by": "Approved by",
           "closed_on_bank_holidays": "Closed on bank holidays"}


@dataclass(frozen=True)
class Kind:
    """The kind of one field, with what a form needs to show it."""

    name: str
    """One of :data:`KINDS`."""
    label: str
    """A short label, e.g. "Effective date"."""
    help: str
    """What the field is, from the model's own description."""
    choices: tuple[str | int, ...] = ()
    """For ``choice`` (and lists of choices, such as days): the allowed values."""
    required: bool = False
    """Whether the source must give it (no default)."""


def kind_of(loc: Loc) -> Kind | None:
    """The kind of the value at ``loc`` (list indexes may be left in), or
    None where the model has no such field."""
    found = _field_at(tuple(p for p in loc if isinstance(p, str)))
    if found is None:
        return None
    name, info, tp = found
    element = loc[-1] if loc and isinstance(loc[-1], int) else None
    label = _LABELS.get(name, name.replace("_", " ").capitalize())
    help_text = info.description or "" if info is not None else ""
    required = info.is_required() if info is not None else False
    base = _unwrap(tp)
    if element is not None and typing.get_origin(base) is tuple:
        base = _unwrap(typing.get_args(base)[0])
        label, required = f"{label} [{element}]", True
    kind, choices = _classify(name, base, tuple(p for p in loc if isinstance(p, str)))
    return Kind(kind, label, help_text, choices, required)


def _field_at(keys: Loc) -> tuple[str, FieldInfo | None, Any] | None:
    """The field's name, its pydantic info and its annotation."""
    model: type[BaseModel] = Code
    info: FieldInfo | None = None
    tp: Any = Code
    name = ""
    for n, key in enumerate(keys):
        assert isinstance(key, str)
        current = _model(tp)
        if current is None and _is_block_list(tp) and key in BLOCK_KINDS:
            current = BLOCK_KINDS[key]
        if current is None:
            return None
        model = current
        info = model.model_fields.get(key)
        if info is None:
            return None
        name, tp = key, info.annotation
        if n == len(keys) - 1:
            return name, info, tp
    return (name, info, tp) if keys else None


def _is_block_list(tp: Any) -> bool:
    """The annotation of a section's blocks (a tuple of the block union)."""
    args = typing.get_args(_unwrap(tp))
    return bool(args) and typing.get_origin(_unwrap(tp)) is tuple and _model(args[0]) is None


def _unwrap(tp: Any) -> Any:
    """Without Annotated and Optional."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def _model(tp: Any) -> type[BaseModel] | None:
    """The one model an annotation holds (through tuples and Optional)."""
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    if typing.get_origin(tp) is tuple:
        return _model(typing.get_args(tp)[0])
    return None


def _classify(name: str, tp: Any, keys: Loc) -> tuple[str, tuple[str | int, ...]]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return "group", ()  # a block: one of the block kinds
    if typing.get_origin(tp) is tuple:
        inner = _unwrap(typing.get_args(tp)[0])
        if _model(inner) is not None or typing.get_origin(inner) in (typing.Union,
                                                                    types.UnionType):
            return "group", ()
        return "list", _classify(name, inner, keys)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "group", ()
    if typing.get_origin(tp) is typing.Literal:
        return "choice", tuple(typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "choice", tuple(str(m.value) for m in tp)
    if tp is bool:
        return "flag", ()
    if tp is int:
        return "number", ()
    if tp is dt.date:
        return "date", ()
    if tp is dt.time:
        return "time", ()
    if name == "version":
        return "version", ()
    return ("markup" if keys in MARKUP else "text"), ()


def field_names(loc: Loc) -> tuple[str, ...]:
    """The names of the fields of the mapping at ``loc``, in the model's order
    (a block's fields are those of its kind, named by the block's key)."""
    keys = tuple(p for p in loc if isinstance(p, str))
    if not keys:
        return tuple(Code.model_fields)
    found = _field_at(keys)
    if found is None:
        return ()
    model = _model(found[2])
    if model is not None:
        return tuple(model.model_fields)
    return ()


def block_fields(kind: str) -> tuple[str, ...]:
    """The fields of one kind of block (paragraph, contacts, stages, address)."""
    model = BLOCK_KINDS.get(kind)
    return tuple(model.model_fields) if model else ()
