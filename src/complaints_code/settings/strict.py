"""Strict types for settings: a value is taken only in the type its field
declares. Pydantic, left to itself, reads ``true`` as 1 where a number is
meant, 1 as true where a flag is meant, and ``"40"`` as 40; a settings file
with such a value is almost always a mistake (a key set under the wrong
name, a value pasted into the wrong line), so each is refused with what was
expected.

Every settings model runs :func:`check` on each input value before pydantic
sees it (:func:`check_field`); the environment's text is turned into typed values first
(:mod:`.env`), so the same rules apply to every layer.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, SecretStr, ValidationInfo

from ..errors import quoted

MESSAGE_LIMIT = 80
"""At most this many characters of a value are quoted in a message."""


def check_field(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    """The before-validator of every field of every settings model: the value
    only in the type the field declares (no true for a number, no 1 for true)."""
    assert info.field_name is not None
    check(cls.model_fields[info.field_name].annotation, value)
    return value


def check(annotation: Any, value: Any, where: str = "") -> None:
    """Raise ValueError (its message says what was expected and what was
    given) unless ``value`` has the type ``annotation`` declares. ``where``
    names an element inside the value (``[2]``, ``.large-print``)."""
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if value is None and len(options) < len(get_args(annotation)):
            return
        errors = []
        for option in options:
            try:
                check(option, value, where)
                return
            except ValueError as exc:
                errors.append(exc)
        raise errors[0]
    if origin is Literal:
        _literal(get_args(annotation), value, where)
    elif annotation is bool:
        if not isinstance(value, bool):
            raise ValueError(_got(where, "true or false", value))
    elif annotation is int:
        _whole(value, where)
    elif annotation is float:
        _number(value, where)
    elif annotation in (str, SecretStr):
        if not isinstance(value, str | SecretStr):
            raise ValueError(_got(where, "text", value))
    elif annotation is Path:
        _path(value, where)
    elif origin in (tuple, list):
        _sequence(annotation, value, where)
    elif origin in (dict, Mapping):
        _mapping(annotation, value, where)
    elif (isinstance(annotation, type) and issubclass(annotation, BaseModel)
          and not isinstance(value, Mapping | BaseModel)):
        raise ValueError(_got(where, "a table of settings", value))


def _literal(choices: tuple[Any, ...], value: Any, where: str) -> None:
    listed = ", ".join(str(c) for c in choices)
    numbers = all(isinstance(c, int) and not isinstance(c, bool) for c in choices)
    if isinstance(value, bool) or (numbers and not isinstance(value, int)) or (
            not numbers and not isinstance(value, str)):
        raise ValueError(_got(where, f"one of {listed}", value))


def _whole(value: Any, where: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool):
        return
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        raise ValueError(f"{_at(where)}expected a whole number, got {value!r}; write it "
                         f"without a decimal point: {int(value)}")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        raise ValueError(f"{_at(where)}expected a whole number, got the text "
                         f"{quoted(value, MESSAGE_LIMIT)}; remove the quotes: {value.strip()}")
    raise ValueError(_got(where, "a whole number", value))


def _number(value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(_got(where, "a number", value))
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{_at(where)}expected a number, got {value!r}; write an ordinary "
                         "number, e.g. 1.5")


def _path(value: Any, where: str) -> None:
    if isinstance(value, Path):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(_got(where, "a path (text in quotes)", value))
    if not value.strip():
        raise ValueError(f"{_at(where)}the path is empty; give a file or folder name")
    bad = next((c for c in value if ord(c) < 0x20 or ord(c) == 0x7F), None)
    if bad is not None:
        raise ValueError(f"{_at(where)}the path {quoted(value, MESSAGE_LIMIT)} has a control "
                         "character in it; remove it")


def _sequence(annotation: Any, value: Any, where: str) -> None:
    if not isinstance(value, list | tuple):
        raise ValueError(_got(where, "a list, e.g. [1, 2]", value))
    args = get_args(annotation)
    if len(args) == 2 and args[1] is Ellipsis:
        items = [args[0]] * len(value)
    elif args and get_origin(annotation) is tuple:
        if len(value) != len(args):
            raise ValueError(f"{_at(where)}expected a list of {len(args)} items, got "
                             f"{len(value)}")
        items = list(args)
    else:
        items = [args[0] if args else Any] * len(value)
    for n, (item, element) in enumerate(zip(items, value, strict=True)):
        check(item, element, f"{where}[{n}]")


def _mapping(annotation: Any, value: Any, where: str) -> None:
    if not isinstance(value, Mapping):
        raise ValueError(_got(where, "a table, e.g. { key = value }", value))
    key_type, value_type = (get_args(annotation) + (Any, Any))[:2]
    for key, item in value.items():
        if key_type is int and (isinstance(key, bool) or not (
                isinstance(key, int) or (isinstance(key, str) and key.isdigit()))):
            raise ValueError(f"{_at(where)}expected whole numbers as keys, got "
                             f"{quoted(key, MESSAGE_LIMIT)}")
        check(value_type, item, f"{where}.{key}" if isinstance(key, str) else f"{where}[{key}]")


def describe(value: Any) -> str:
    """A value as a settings file writes it, shortened: true, 40, "text", [1, 2]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, SecretStr):
        return "(a secret)"
    return quoted(value, MESSAGE_LIMIT)


def _got(where: str, expected: str, value: Any) -> str:
    kind = ("true and false are not numbers" if isinstance(value, bool) and "number" in expected
            else _kind(value))
    return f"{_at(where)}expected {expected}, got {describe(value)} ({kind})"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a flag"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return type(value).__name__


def _at(where: str) -> str:
    return f"{where.lstrip('.')}: " if where else ""
