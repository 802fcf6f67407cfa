"""The environment's layer of the settings: ``COMPLAINTS_CODE_*`` variables.

``COMPLAINTS_CODE_OUT`` sets ``out``; two underscores go into a section,
``COMPLAINTS_CODE_BRAILLE__CELLS`` sets ``braille.cells``. A variable's text
is read as its setting's type (a whole number, a number, ``true`` or
``false``; a list or a table as JSON), and then checked like a value from
the config file. An empty variable is refused with its name, as it is
almost always a mistake (``COMPLAINTS_CODE_OUT=`` would otherwise mean the
working folder). A variable that names no setting is ignored with a
warning, and the nearest setting's variable is suggested.
"""

from __future__ import annotations

import difflib
import json
import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from ..errors import quoted

_WHOLE = re.compile(r"[+-]?\d{1,18}")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@dataclass
class EnvLayer:
    """What the environment sets, and what was wrong with it."""

    data: dict[str, Any] = field(default_factory=dict)
    """The values, nested as in the config file."""
    origins: dict[str, str] = field(default_factory=dict)
    """Each dotted key set, and the variable that set it."""
    warnings: list[str] = field(default_factory=list)
    """Variables that name no setting (ignored)."""
    problems: list[str] = field(default_factory=list)
    """Variables that cannot be used (empty, or not JSON where JSON is needed)."""


def read_env(environ: Mapping[str, str], model: type[BaseModel], prefix: str) -> EnvLayer:
    """The settings the ``prefix``ed variables of ``environ`` give ``model``."""
    layer = EnvLayer()
    ours = [(name, value) for name, value in environ.items()
            if name.upper().startswith(prefix)]
    # Shorter paths first, so COMPLAINTS_CODE_BRAILLE='{...}' is refined by
    # COMPLAINTS_CODE_BRAILLE__CELLS rather than replacing it.
    for name, raw in sorted(ours, key=lambda item: (item[0].count("__"), item[0])):
        found = _locate(model, name[len(prefix):].lower().split("__"))
        if found is None:
            layer.warnings.append(_unknown(name, model, prefix))
            continue
        keys, annotation = found
        if not raw.strip():
            layer.problems.append(f"{name} is empty; give it a value, or unset it "
                                  f"(unset {name})")
            continue
        try:
            value = parse(annotation, raw)
        except ValueError as exc:
            layer.problems.append(f"{name} = {quoted(raw)}: {exc}")
            continue
        _put(layer.data, keys, value)
        layer.origins[".".join(keys)] = f"environment {name}"
    layer.warnings.sort()
    layer.problems.sort()
    return layer


def _locate(model: type[BaseModel], parts: list[str]) -> tuple[list[str], Any] | None:
    """The keys and the type a variable's name leads to, or None."""
    annotation: Any = model
    keys: list[str] = []
    for part in parts:
        if not part:
            return None
        inner = _unoptional(annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            if part not in inner.model_fields:
                return None
            annotation = inner.model_fields[part].annotation
        elif get_origin(inner) in (dict, Mapping):
            annotation = (get_args(inner) + (Any, Any))[1]
        else:
            return None
        keys.append(part)
    return (keys, annotation) if keys else None


def parse(annotation: Any, raw: str) -> Any:
    """A variable's text as a value of ``annotation``'s type. Text that does
    not read as that type is returned as it is, for the settings' own check
    to refuse with the expected type; text that must be JSON and is not
    raises ValueError."""
    annotation = _unoptional(annotation)
    text = raw.strip()
    origin = get_origin(annotation)
    if annotation is bool:
        return {"true": True, "false": False}.get(text.lower(), raw)
    if annotation is int:
        return int(text) if _WHOLE.fullmatch(text) else raw
    if annotation is float:
        return float(text) if _NUMBER.fullmatch(text) else raw
    if origin is Literal:
        numbers = all(isinstance(c, int) and not isinstance(c, bool)
                      for c in get_args(annotation))
        return int(text) if numbers and _WHOLE.fullmatch(text) else raw
    if origin in (tuple, list, dict, Mapping) or (
            isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as exc:
            example = '["a", "b"]' if origin in (tuple, list) else '{"key": "value"}'
            raise ValueError(f"not JSON ({exc}); write it in JSON, e.g. {example}") from None
    return raw


def _unoptional(annotation: Any) -> Any:
    if get_origin(annotation) in (typing.Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return options[0]
    return annotation


def _put(data: dict[str, Any], keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        inner = data.get(key)
        if not isinstance(inner, dict):
            inner = data[key] = {}
        data = inner
    data[keys[-1]] = value


def _unknown(name: str, model: type[BaseModel], prefix: str) -> str:
    close = difflib.get_close_matches(name.upper(), _known(model, prefix), n=1, cutoff=0.6)
    hint = (f"did you mean {close[0]}?" if close
            else "complaints-code config lists every setting")
    shown = quoted(name)  # "NAME", or "NAME… (N characters) when it is very long
    shown = shown[1:-1] if shown.endswith('"') else shown[1:]
    return f"{shown} is not a setting, so it is ignored; {hint}"


def _known(model: type[BaseModel], prefix: str) -> list[str]:
    """Every setting's variable name (with the default tables' entries)."""
    try:
        sample: type[BaseModel] | BaseModel = model()
    except ValueError:  # a model without defaults for everything: its fields only
        sample = model
    return [prefix + "__".join(path).upper() for path in setting_paths(sample)]


def setting_paths(model: type[BaseModel] | BaseModel,
                  prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every setting's key path (sections and the entries of a table of
    sections, such as print.formats.large-print, included)."""
    instance = model if isinstance(model, BaseModel) else None
    cls: type[BaseModel] = type(model) if isinstance(model, BaseModel) else model
    for name, info in cls.model_fields.items():
        path = (*prefix, name)
        yield path
        inner = _unoptional(info.annotation)
        value = getattr(instance, name, None) if instance is not None else None
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from setting_paths(value if isinstance(value, BaseModel) else inner, path)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    yield (*path, str(key))
                    yield from setting_paths(item, (*path, str(key)))
