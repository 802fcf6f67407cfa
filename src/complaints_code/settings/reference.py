"""The settings reference: every setting with its default, its environment
variable and its meaning, read from the settings model and its docstrings.

The manual's build (``docs/manual_hooks.py``) turns :func:`markdown` into
the page "Settings reference", so the page cannot drift from the code: a new
setting, or a changed default or docstring, shows there at the next build.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo

from . import CONFIG_NAME, ENV_PREFIX, Settings
from .print import Box

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Entry:
    """One setting."""

    key: str
    """Its dotted name, as ``complaints-code config`` shows it: ``braille.cells``."""
    section: str
    """The config file's ``[section]`` it is written in; "" for the top level."""
    type: str
    """Its type in words a config file's author reads: ``whole number``."""
    default: str
    """Its default, as it would be written in the config file (TOML)."""
    env: str | None
    """The environment variable that sets it; None where the key cannot be
    one (a key with a hyphen)."""
    doc: str
    """Its meaning, from the model's docstring."""


@dataclass(frozen=True)
class Section:
    """A ``[section]`` of the config file (or the top level) and its settings."""

    name: str
    """``print.letter``; "" for the top level."""
    doc: str
    entries: tuple[Entry, ...]


def sections() -> list[Section]:
    """Every setting, grouped by the config file's sections, in the model's order."""
    found: dict[str, list[Entry]] = {}
    docs: dict[str, str] = {"": _doc(Settings.__doc__)}
    for entry, section_doc in _walk(Settings(), "", ""):
        found.setdefault(entry.section, []).append(entry)
        docs.setdefault(entry.section, section_doc)
    return [Section(name, docs.get(name, ""), tuple(entries))
            for name, entries in found.items()]


def _walk(model: BaseModel, prefix: str, section_doc: str) -> Iterator[tuple[Entry, str]]:
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        key = prefix + name
        if isinstance(value, BaseModel) and not _is_leaf(field):
            yield from _walk(value, key + ".", _doc(field.description))
        elif isinstance(value, dict) and value and all(
                isinstance(v, BaseModel) for v in value.values()):
            for sub, item in value.items():
                yield from _walk(item, f"{key}.{sub}.", _doc(field.description))
        else:
            yield _entry(key, field, value), section_doc


def _is_leaf(field: FieldInfo) -> bool:
    # A model used as one value (a window's position) rather than as a section.
    return field.annotation is Box


def _entry(key: str, field: FieldInfo, value: Any) -> Entry:
    section, _, _ = key.rpartition(".")
    env = ENV_PREFIX + key.replace(".", "__").upper()
    return Entry(key=key, section=section, type=_type_words(field.annotation),
                 default=_default(key, value), env=env if _ENV_NAME.match(env) else None,
                 doc=_doc(field.description))


def _doc(text: str | None) -> str:
    # Docstrings quote code as reStructuredText does (``x``); Markdown uses `x`.
    return " ".join((text or "").split()).replace("``", "`")


def _default(key: str, value: Any) -> str:
    if key == "project":
        return f"the folder of {CONFIG_NAME} (else the checkout)"
    if value is None or isinstance(value, SecretStr):
        return "unset"
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return _toml(value)


def _toml(value: Any) -> str:
    """A value as it is written in the config file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Path):
        return json.dumps(value.as_posix())
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, int | float | str):
        return json.dumps(value)
    return json.dumps(str(value))


_TYPE_WORDS = {int: "whole number", float: "number", str: "text", bool: "true or false",
               Path: "path", SecretStr: "text (secret)"}


def _type_words(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation in _TYPE_WORDS:
        return _TYPE_WORDS[annotation]
    if origin in (types.UnionType, typing.Union):
        kinds = [_type_words(a) for a in args if a is not type(None)]
        return " or ".join(kinds) + (", or unset" if type(None) in args else "")
    if origin is typing.Literal:
        return "one of " + ", ".join(json.dumps(a) for a in args)
    if origin in (tuple, list):
        inner = [a for a in args if a is not Ellipsis]
        return "list of " + (_type_words(inner[0]) if inner else "values")
    if origin is dict:
        return "table"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table (" + ", ".join(annotation.model_fields) + ")"
    return str(annotation).replace("typing.", "")


def markdown() -> str:
    """The reference as one Markdown page."""
    lines = [
        "# Settings reference",
        "",
        "Every setting, generated from the settings model when the manual is built, "
        "so it is always the program's own list. Set a key in the config file "
        f"(`{CONFIG_NAME}`, under its `[section]`), in its environment variable, "
        "or, for some, with a command-line flag; `complaints-code config` shows "
        "the value in force and where it came from. A section's key goes in its "
        "table: `cells` of `braille` is written `[braille]`, then `cells = 32`.",
        "",
    ]
    for section in sections():
        title = f"`[{section.name}]`" if section.name else "Top level"
        lines += [f"## {title}", ""]
        if section.doc:
            lines += [section.doc, ""]
        lines += ["| key | default | meaning |", "|---|---|---|"]
        for e in section.entries:
            name = e.key.rpartition(".")[2]
            env = f"<br>`{e.env}`" if e.env else ""
            lines.append(f"| `{name}`{env} | `{_cell(e.default)}` | {_cell(e.doc)} "
                         f"({_cell(e.type)}) |")
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
