"""Checks across the document that field types alone cannot express:
unique ids, and references that must name something that exists.

They run on the plain parsed data, not the model, so that they still report
when other parts of the file are invalid: the legal team sees every problem
in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import MarkupError, Problem
from .inline import Ref, Strong, parse_inline
from .positions import Loc, Positions, dotted

_ID_LISTS: dict[Loc, str] = {
    ("sections",): "section",
    ("stages",): "stage",
    ("timescales",): "timescale",
    ("contacts",): "contact method",
    ("adr", "contacts"): "ADR contact method",
}


class _Checker:
    def __init__(self, data: Any, positions: Positions, name: str):
        self.data = data if isinstance(data, dict) else {}
        self.positions = positions
        self.name = name
        self.problems: list[Problem] = []

    def add(self, loc: Loc, message: str, hint: str, needle: str = "") -> None:
        line, col = self.positions.find(loc, needle) if needle else self.positions.of(loc)
        self.problems.append(Problem(self.name, line, col, dotted(loc), message, hint))

    def items(self, loc: Loc) -> Iterator[tuple[Loc, dict[str, Any]]]:
        """The mappings in the list at ``loc``, with their locations."""
        here: Any = self.data
        for part in loc:
            if isinstance(here, dict):
                here = here.get(part)
            elif isinstance(here, list) and isinstance(part, int) and part < len(here):
                here = here[part]
            else:
                here = None
        for i, item in enumerate(here if isinstance(here, list) else []):
            if isinstance(item, dict):
                yield loc + (i,), item

    def ids(self, loc: Loc) -> dict[str, Any]:
        return {str(item.get("id")): item for _, item in self.items(loc) if "id" in item}

    def run(self) -> list[Problem]:
        for loc, what in _ID_LISTS.items():
            self.unique(loc, "id", what)
        self.unique(("stages",), "number", "stage")
        self.stage_numbers()
        self.stage_timescales()
        self.markup()
        self.blocks()
        return self.problems

    def unique(self, loc: Loc, key: str, what: str) -> None:
        first: dict[Any, int] = {}
        for item_loc, item in self.items(loc):
            value = item.get(key)
            if value is None:
                continue
            if value in first:
                line = self.positions.of(loc + (first[value], key))[0]
                self.add(item_loc + (key,), f"duplicate {what} {key} '{value}' "
                         f"(first used on line {line})", f"give each {what} its own {key}")
            else:
                first[value] = int(item_loc[-1])

    def stage_numbers(self) -> None:
        """Stages are numbered 1, 2, 3 ... in order: a gap or a jump (1, 3, 4)
        would print a procedure with a missing stage. One message, at the
        first stage out of sequence; a repeated number is already reported."""
        stages = list(self.items(("stages",)))
        numbers = [item.get("number") for _, item in stages]
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in numbers) \
                or len(set(numbers)) != len(numbers):
            return  # wrong types, numbers below 1 and duplicates have their own messages
        for expected, ((loc, _), number) in enumerate(zip(stages, numbers, strict=True),
                                                      start=1):
            if number != expected:
                after = f"after stage {expected - 1}" if expected > 1 else "first"
                self.add(loc + ("number",), f"stage number {number} comes {after}",
                         f"number the stages 1 to {len(stages)} in order, without gaps; "
                         f"this one is {expected}")
                return

    def stage_timescales(self) -> None:
        known = self.ids(("timescales",))
        for loc, stage in self.items(("stages",)):
            refs = stage.get("timescales")
            for i, ref in enumerate(refs if isinstance(refs, list) else []):
                if isinstance(ref, str) and ref not in known:
                    self.add(loc + ("timescales", i), f"no timescale has the id '{ref}'",
                             _choose("timescale ids", known))

    def markup(self) -> None:
        for loc, text in self.marked_up_texts():
            try:
                nodes = parse_inline(text)
            except MarkupError as exc:
                self.add(loc, exc.message, exc.hint, needle=text[exc.offset:exc.offset + 12])
                continue
            for ref in _refs(nodes):
                problem = self.resolve(ref)
                if problem:
                    self.add(loc, *problem, needle="{" + ref.key + "}")

    def marked_up_texts(self) -> Iterator[tuple[Loc, str]]:
        for loc, stage in self.items(("stages",)):
            yield from _text(loc + ("description",), stage.get("description"))
        for loc, contact in self.items(("contacts",)):
            yield from _text(loc + ("text",), contact.get("text"))
        for loc, contact in self.items(("adr", "contacts")):
            yield from _text(loc + ("text",), contact.get("text"))
        for loc, block in self.blocks_of_kind("paragraph"):
            yield from _text(loc + ("paragraph",), block.get("paragraph"))

    def blocks_of_kind(self, kind: str) -> Iterator[tuple[Loc, dict[str, Any]]]:
        for sec_loc, _ in self.items(("sections",)):
            for loc, block in self.items(sec_loc + ("blocks",)):
                if kind in block:
                    yield loc, block

    def resolve(self, ref: Ref) -> tuple[str, str] | None:
        if ref.kind == "timescale":
            known = self.ids(("timescales",))
            if ref.id not in known:
                return f"{{{ref.key}}} names no timescale", _choose("timescale ids", known)
            return None
        if ref.kind == "adr" and ref.id == "name" and not ref.hours:
            return None
        pool = self.ids(("contacts",) if ref.kind == "contact" else ("adr", "contacts"))
        if ref.id not in pool:
            where = "contacts" if ref.kind == "contact" else "adr.contacts"
            return f"{{{ref.key}}} names no contact method in {where}", _choose("ids", pool)
        if ref.hours and not isinstance(pool[ref.id].get("hours"), dict):
            return (f"{{{ref.key}}} asks for opening hours, but '{ref.id}' has none",
                    f"add 'hours:' to '{ref.id}', or remove '.hours'")
        return None

    def blocks(self) -> None:
        contacts = self.ids(("contacts",))
        for loc, block in self.blocks_of_kind("contacts"):
            names = block.get("contacts")
            for i, cid in enumerate(names if isinstance(names, list) else []):
                if isinstance(cid, str) and cid not in contacts:
                    self.add(loc + ("contacts", i), f"no contact method has the id '{cid}'",
                             _choose("contact ids", contacts))
        for loc, block in self.blocks_of_kind("address"):
            target = block.get("address")
            if not isinstance(target, str) or ":" not in target:
                continue
            kind, _, cid = target.partition(":")
            pool = self.ids(("contacts",) if kind == "contact" else ("adr", "contacts"))
            if cid not in pool:
                self.add(loc + ("address",), f"'{target}' names no contact method",
                         _choose("ids", pool))
            elif not isinstance(pool[cid].get("address"), dict):
                self.add(loc + ("address",), f"'{target}' has no postal address",
                         "name a contact method of kind post")


def _text(loc: Loc, value: Any) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value


def _refs(nodes: tuple[Any, ...]) -> Iterator[Ref]:
    for node in nodes:
        if isinstance(node, Ref):
            yield node
        elif isinstance(node, Strong):
            yield from _refs(node.children)


def _choose(what: str, known: dict[str, Any]) -> str:
    return f"use one of the {what}: {', '.join(known)}" if known else f"define the {what} first"


def check_references(data: Any, positions: Positions, name: str) -> list[Problem]:
    """Every cross-reference problem in the parsed source."""
    return _Checker(data, positions, name).run()
