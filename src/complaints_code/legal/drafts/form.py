"""A draft as a form of the Code's parts, and edits to it by field.

The form is read from the draft's YAML every time, and an edit to a field
is written back into that YAML (keeping its comments and layout), so the
form and the whole-YAML view are one draft: there is nothing else to keep
in step.

    f = form(text)
    f.field("timescales.acknowledge.amount").value      # 24
    text = apply_edits(text, [Edit("contacts.telephone.value", "020 8545 8299")])

An HTML form's strings become typed values with :func:`value_from_form`;
each field's input can carry the id :func:`~.paths.html_id` gives its path,
so a finding links to its field.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from ...structure.model import Code
from ...structure.source import loads_document
from ...timescales import WorkingCalendar
from . import yamltree
from .kinds import block_fields, field_names, kind_of
from .paths import FieldError, get, loc_of, path_of

READ_ONLY = {("metadata", "approved_by"): "set to the approver's name when the draft is released",
             ("changes",): "the release adds this version's entry"}
"""Fields the form shows but does not edit, and why."""
_ID_HELP = "the id never changes once published: web links and references use it"


@dataclass(frozen=True)
class FormField:
    """One editable value, as a form shows it."""

    path: str
    """The field path, e.g. contacts.telephone.value."""
    label: str
    kind: str
    """text, markup, number, date, time, version, choice, flag or list."""
    value: Any
    """The value as the source has it (None where it is not given)."""
    help: str = ""
    choices: tuple[str | int, ...] = ()
    required: bool = False
    editable: bool = True

    def as_json(self) -> dict[str, Any]:
        """The field as JSON data."""
        return {**asdict(self), "choices": list(self.choices)}


@dataclass(frozen=True)
class Part:
    """A part of the Code (a contact, a timescale, a section, a block) and
    its fields; parts nest (a contact's hours, a section's blocks)."""

    path: str
    title: str
    fields: tuple[FormField, ...] = ()
    parts: tuple[Part, ...] = ()
    reading: str | None = None
    """For a timescale: how the tools count it, in words."""

    def as_json(self) -> dict[str, Any]:
        """The part as JSON data."""
        return {"path": self.path, "title": self.title, "reading": self.reading,
                "fields": [f.as_json() for f in self.fields],
                "parts": [p.as_json() for p in self.parts]}


@dataclass(frozen=True)
class Reference:
    """A reference the text may use, for the help panel that inserts them."""

    markup: str
    """What to insert, e.g. {contact:telephone}."""
    label: str
    """What it is, e.g. "Telephone"."""
    shows: str
    """What readers see in its place, e.g. 020 8545 8200."""


@dataclass(frozen=True)
class Form:
    """The whole draft as parts and fields, and the references it can use."""

    parts: tuple[Part, ...]
    references: tuple[Reference, ...] = field(default=())

    def fields(self) -> Iterator[FormField]:
        """Every field, in the order of the form."""
        def walk(parts: tuple[Part, ...]) -> Iterator[FormField]:
            for part in parts:
                yield from part.fields
                yield from walk(part.parts)
        return walk(self.parts)

    def field(self, path: str) -> FormField:
        """The field with this path. Raises FieldError."""
        found = next((f for f in self.fields() if f.path == path), None)
        if found is None:
            raise FieldError(path, "the form has no such field")
        return found

    def as_json(self) -> dict[str, Any]:
        """The form as JSON data."""
        return {"parts": [p.as_json() for p in self.parts],
                "references": [asdict(r) for r in self.references]}


_PARTS = (("metadata", "Details"), ("calendar", "Working calendar"),
          ("contacts", "Contact methods"), ("timescales", "Timescales"), ("stages", "Stages"),
          ("adr", "Dispute resolution (ADR)"), ("sections", "Sections"),
          ("changes", "Version history"))


def form(text: str, name: str = "draft") -> Form:
    """The form of a draft's source. Raises SourceError if it is invalid."""
    doc = loads_document(text, name)
    builder = _Builder(doc.data, doc.code)
    parts = tuple(builder.part((key,), title) for key, title in _PARTS)
    return Form(parts, references(doc.code))


class _Builder:
    def __init__(self, data: Any, code: Code) -> None:
        self.data = data
        self.calendar = WorkingCalendar(code.calendar)
        self.code = code

    def part(self, loc: tuple[str | int, ...], title: str) -> Part:
        value = get(self.data, loc)
        if isinstance(value, list):
            items = tuple(self.part(loc + (i,), _item_title(item, i))
                          for i, item in enumerate(value))
            return Part(path_of(loc, self.data), title, (), items)
        names = (block_fields(next(iter(value), "")) if _is_block(loc, value)
                 else field_names(loc))
        fields, parts = [], []
        for name in names:
            here = loc + (name,)
            kind = kind_of(here)
            if kind is None:
                continue
            if kind.name == "group":
                if get(self.data, here) is not None:
                    parts.append(self.part(here, kind.label))
                continue
            fields.append(self.leaf(here))
        return Part(path_of(loc, self.data), title, tuple(fields), tuple(parts),
                    self.reading(loc))

    def leaf(self, loc: tuple[str | int, ...]) -> FormField:
        kind = kind_of(loc)
        assert kind is not None
        keys = tuple(p for p in loc if isinstance(p, str))
        why = next((w for k, w in READ_ONLY.items() if keys[: len(k)] == k), None)
        if keys[-1] == "id" and len(keys) > 1:
            why = _ID_HELP
        help_text = kind.help + (f" (Not edited here: {why}.)" if why else "")
        return FormField(path_of(loc, self.data), kind.label, kind.name, get(self.data, loc),
                         help_text, kind.choices, kind.required, why is None)

    def reading(self, loc: tuple[str | int, ...]) -> str | None:
        if len(loc) == 2 and loc[0] == "timescales" and isinstance(loc[1], int):
            return self.calendar.reading(self.code.timescales[loc[1]])
        return None


def _is_block(loc: tuple[str | int, ...], value: Any) -> bool:
    return len(loc) >= 2 and loc[-2] == "blocks" and isinstance(value, dict)


def _item_title(item: Any, index: int) -> str:
    if not isinstance(item, dict):
        return f"Item {index + 1}"
    if "number" in item and "title" in item:
        return f"Stage {item['number']}: {item['title']}"
    if "label" in item:
        return f"{item['label']} ({item.get('id', index + 1)})"
    if "title" in item:
        return str(item["title"])
    if "version" in item:
        return f"Version {item['version']}, {item.get('date', '')}"
    if "text" in item and "id" in item:
        return f"{item['id']}: {item['text']}"
    kind = next(iter(item), "")
    return {"paragraph": f"Paragraph (block {index + 1})",
            "contacts": f"Table of contact methods (block {index + 1})",
            "stages": f"Table of stages (block {index + 1})",
            "address": f"Postal address (block {index + 1})"}.get(kind, f"Item {index + 1}")


def references(code: Code) -> tuple[Reference, ...]:
    """Every reference the Code's text can use, with what it shows."""
    out: list[Reference] = []
    for kind, pool in (("contact", code.contacts), ("adr", code.adr.contacts)):
        if kind == "adr":
            out.append(Reference("{adr:name}", "Dispute-resolution body's name", code.adr.name))
        for c in pool:
            owner = "" if kind == "contact" else f"{code.adr.name}: "
            out.append(Reference(f"{{{kind}:{c.id}}}", owner + c.label, c.display or c.label))
            if c.hours is not None:
                out.append(Reference(f"{{{kind}:{c.id}.hours}}", f"{owner}{c.label}: hours",
                                     c.hours.text))
    out += [Reference(f"{{timescale:{t.id}}}", f"Timescale {t.id}", t.text)
            for t in code.timescales]
    return tuple(out)


@dataclass(frozen=True)
class Edit:
    """A change to one field. ``value`` None removes an optional value or a
    list item; ``insert`` puts a new list item before the one named."""

    field: str
    value: Any
    insert: bool = False


_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0", "")


def value_from_form(field: FormField, raw: str) -> Any:
    """A value typed into an HTML form, as the field's kind holds it: a
    whole number for a number, true or false for a flag, a list for a list
    (one item a line, or separated by commas), None for an empty optional
    field (which removes it). Raises FieldError."""
    text = raw.strip()
    if field.kind == "number":
        if not re.fullmatch(r"\d{1,9}", text):
            raise FieldError(field.path, f"'{text}' is not a whole number; write digits "
                             "only, e.g. 3")
        return int(text)
    if field.kind == "flag":
        if text.lower() not in _TRUE + _FALSE:
            raise FieldError(field.path, f"'{text}' is not yes or no")
        return text.lower() in _TRUE
    if field.kind == "list":
        return [item.strip() for item in re.split(r"[\n,]", raw) if item.strip()]
    if field.kind == "choice" and any(isinstance(c, int) for c in field.choices):
        return next((c for c in field.choices if str(c) == text), text)
    if not text and not field.required:
        return None
    return text if field.kind != "markup" else " ".join(raw.split())


def apply_edits(text: str, edits: Iterable[Edit], name: str = "draft") -> str:
    """The draft's source with the edits made, comments and layout kept.
    Raises FieldError (no such field, or one the form does not edit),
    SourceError (the result is not a valid Code: each problem at its line)
    or LayoutError."""
    doc = loads_document(text, name)
    data = copy.deepcopy(doc.data)
    for edit in edits:
        _apply(data, edit)
    new = yamltree.rewrite(text, doc.data, data)
    loads_document(new, name)
    return new


def _apply(data: Any, edit: Edit) -> None:
    loc = loc_of(edit.field, data)
    keys = tuple(p for p in loc if isinstance(p, str))
    if kind_of(loc) is None and not (loc and isinstance(loc[-1], int)):
        raise FieldError(edit.field, "the Code has no such field")
    why = next((w for k, w in READ_ONLY.items() if keys[: len(k)] == k), None)
    if why or (keys and keys[-1] == "id" and isinstance(get(data, loc), str)):
        raise FieldError(edit.field, f"is not edited in a draft: {why or _ID_HELP}")
    parent, last = get(data, loc[:-1]), loc[-1]
    if isinstance(parent, dict) and isinstance(last, str):
        if edit.value is None:
            parent.pop(last, None)
        else:
            parent[last] = edit.value
        return
    if not isinstance(parent, list) or not isinstance(last, int):
        raise FieldError(edit.field, "is not a value that can be set here")
    value = _with_id(edit, last, parent)
    if edit.value is None:
        if last < len(parent):
            del parent[last]
    elif edit.insert or last == len(parent):
        parent.insert(last, value)
    else:
        parent[last] = value


def _with_id(edit: Edit, index: int, items: list[Any]) -> Any:
    """A new item of a list named by ids gets the id its path gives."""
    ident = edit.field.rpartition(".")[2]
    if index == len(items) and isinstance(edit.value, dict) and "[" not in ident:
        given = edit.value.get("id", ident)
        if given != ident:
            raise FieldError(edit.field, f"the new item's id '{given}' is not '{ident}'")
        return {"id": ident, **{k: v for k, v in edit.value.items() if k != "id"}}
    return edit.value
