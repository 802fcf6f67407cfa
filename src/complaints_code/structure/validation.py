"""From plain data (the parsed YAML) to the model: every problem found at
once, each at its line and column, explained in the legal team's words with
how to fix it (the field's own description, the values allowed, a likely
misspelling)."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import Problem, SourceError
from .model import BLOCK_KINDS, ID_PATTERN, POSTCODE_PATTERN, VERSION_PATTERN, Code
from .positions import Loc, Positions, dotted
from .semantics import check_references

DECIMAL = re.compile(r"[-+]?[0-9]+")
"""A whole number as the source may write it."""


def validate(data: Any, positions: Positions, name: str) -> Code:
    """Plain data to the model, with every problem reported at once."""
    problems: list[Problem] = []
    code: Code | None = None
    try:
        code = Code.model_validate(data)
    except ValidationError as exc:
        found = [_problem(err, positions, name, data) for err in exc.errors()]
        problems.extend(_without_typo_echoes(found))
    problems.extend(check_references(data, positions, name))
    if problems or code is None:
        raise SourceError(_dedupe(problems))
    return code


def _without_typo_echoes(problems: list[Problem]) -> list[Problem]:
    """Drop "'title' is missing" when the same mapping has a misspelt 'titel'
    whose suggestion already says so: one mistake, one message."""
    suggested = {(p.field.rpartition(".")[0], p.hint.split("'")[1])
                 for p in problems if p.hint.startswith("did you mean")}
    return [p for p in problems if not (p.message.endswith("is missing") and
            (p.field.rpartition(".")[0], p.field.rpartition(".")[2]) in suggested)]


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: dict[tuple[int, int, str], Problem] = {}
    for p in problems:
        seen.setdefault((p.line, p.col, p.message), p)
    return list(seen.values())


def _problem(err: ErrorDetails, positions: Positions, name: str, data: Any) -> Problem:
    loc = _data_loc(err["loc"], data)
    kind = err["type"]
    if kind == "missing":
        line, col = positions.of(loc[:-1], key=True)
        field = str(loc[-1])
        doc = _field_doc(loc)
        return Problem(name, line, col, dotted(loc), f"'{field}' is missing",
                       f"add '{field}:'" + (f" ({doc})" if doc else ""))
    if kind == "extra_forbidden":
        line, col = positions.of(loc, key=True)
        return Problem(name, line, col, dotted(loc), f"unknown key '{loc[-1]}'",
                       _did_you_mean(str(loc[-1]), _allowed_keys(loc[:-1])))
    line, col = positions.of(loc)
    message, hint = _explain(err, loc)
    return Problem(name, line, col, dotted(loc), message, hint)


_PATTERN_HINTS = {
    ID_PATTERN: "use lower-case letters, digits and hyphens, e.g. contact-us",
    VERSION_PATTERN: "write numbers separated by dots, in quotes, e.g. \"1.2\"",
    POSTCODE_PATTERN: "write a UK postcode in capitals, e.g. SW19 2TJ",
}


def _explain(err: ErrorDetails, loc: Loc) -> tuple[str, str]:
    kind, given = err["type"], err.get("input")
    doc = _field_doc(loc) or ""
    shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
    if given is None and kind.endswith("_type"):
        return "the value is empty", "write the value after the colon" + (
            f" ({doc})" if doc else "")
    if kind == "string_pattern_mismatch":
        pattern = str((err.get("ctx") or {}).get("pattern", ""))
        return f"{shown} is not in the expected form", _PATTERN_HINTS.get(pattern, doc)
    if kind in ("string_type", "str_type"):
        return f"expected text, got {shown}", "quote the value, e.g. \"1.0\""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {shown}", _whole_number_hint(given)
    if kind.startswith(("date_", "datetime_")):
        return f"expected a date, got {shown}", "write the date as YYYY-MM-DD"
    if kind.startswith("time_"):
        return f"expected a time, got {shown}", "write a 24-hour time in quotes, e.g. \"08:30\""
    if kind in ("enum", "literal_error"):
        return f"{shown} is not allowed", err["msg"].replace("Input should be", "use")
    if kind in ("too_short",) and isinstance(given, (list, tuple, str)):
        return "must not be empty", doc or "add at least one entry"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {shown}", "write the items as '- item' lines or [a, b]"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of keys, got {shown}", doc or "write 'key: value' lines"
    if kind == "bool_type" or kind == "bool_parsing":
        return f"expected true or false, got {shown}", "write true or false"
    if kind in _BOUNDS:
        limit = (err.get("ctx") or {}).get(_BOUNDS[kind][0])
        return f"{shown} is too {_BOUNDS[kind][1]}", f"use {_BOUNDS[kind][2]} {limit}"
    if kind == "value_error":
        message = err["msg"].removeprefix("Value error, ")
        what, _, how = message.partition("; ")
        return what, how or doc
    return err["msg"], doc


_BOUNDS = {
    "greater_than_equal": ("ge", "small", "a number from"),
    "greater_than": ("gt", "small", "a number above"),
    "less_than_equal": ("le", "large", "a number up to"),
    "less_than": ("lt", "large", "a number below"),
}


def _whole_number_hint(given: Any) -> str:
    if isinstance(given, bool):
        return "true and false are not numbers; write digits only, e.g. 3"
    if isinstance(given, str) and DECIMAL.fullmatch(given.strip()):
        return f"remove the quotes: {given.strip()}"
    if isinstance(given, float):
        return "write a whole number, without a decimal point, e.g. 3"
    return "write digits only, e.g. 3"


def _data_loc(loc: tuple[int | str, ...], data: Any) -> Loc:
    """Pydantic's loc without the union tags it inserts for blocks."""
    out: list[str | int] = []
    here = data
    for part in loc:
        in_dict = isinstance(here, dict) and part in here
        if in_dict or (isinstance(here, list) and isinstance(part, int) and part < len(here)):
            here = here[part]
        elif isinstance(part, str) and part in BLOCK_KINDS and isinstance(here, dict):
            continue  # the tag pydantic adds for the block's kind
        else:
            here = None
        out.append(part)
    return tuple(out)


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that the value at ``loc`` is validated as."""
    current: Any = Code
    for part in loc:
        model = _unwrap(current)
        if model is None:
            return None
        if isinstance(part, int):
            current = model
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        current = field.annotation
    return _unwrap(current)


def _unwrap(tp: Any) -> type[BaseModel] | None:
    """The single model inside Optional/tuple/Annotated, if there is one."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    args = [a for a in typing.get_args(tp) if a is not type(None) and a is not Ellipsis]
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) > 1:
        return None
    for arg in args:
        found = _unwrap(arg)
        if found is not None:
            return found
    return None


def _allowed_keys(loc: Loc) -> list[str]:
    model = _model_at(loc)
    if model is None and loc and isinstance(loc[-1], int) and loc[-2:-1] == ("blocks",):
        return list(BLOCK_KINDS)
    return list(model.model_fields) if model else []


def _field_doc(loc: Loc) -> str:
    if not loc or isinstance(loc[-1], int):
        return ""
    model = _model_at(loc[:-1])
    field = model.model_fields.get(str(loc[-1])) if model else None
    return (field.description or "") if field else ""


def _did_you_mean(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "remove it; allowed keys here: " + ", ".join(allowed) if allowed else "remove it"
