"""Read a Code source file once, validate it, and return the immutable model.

Every problem is collected and reported at once, each as
``path:line:col: field.path: what is wrong; how to fix``. The YAML is read
with ruamel.yaml's composer, which keeps the position of every node, so each
problem points at the line the legal team must edit.

Safety: YAML 1.2 (so ``no`` stays the word "no"), no tags, no anchors or
aliases (which also rules out alias bombs), a size limit and a node limit.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem, SourceError
from .model import BLOCK_KINDS, ID_PATTERN, POSTCODE_PATTERN, VERSION_PATTERN, Code
from .positions import Loc, Positions, dotted
from .semantics import check_references
from .yaml_words import at_context, explain

MAX_BYTES = 1_000_000
"""Largest source file accepted. The Opus Code is about 12 kB."""
MAX_NODES = 50_000
"""Most YAML nodes accepted; a Code has a few hundred."""

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True)
class SourceDocument:
    """A validated Code with the position of every value in its file, for
    tools that report on the text (the compliance lint)."""

    code: Code
    positions: Positions
    path: str


def load(path: str | Path) -> Code:
    """Read and validate a source file. Raises :class:`SourceError`."""
    return load_document(path).code


def load_document(path: str | Path) -> SourceDocument:
    """Read and validate a source file, keeping positions."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError([Problem(name, 1, 1, "", f"cannot read the file ({exc.strerror})",
                                   "check the path given with --source")]) from None
    return loads_document(raw, name)


def loads(raw: bytes | str, name: str = "<source>") -> Code:
    """Validate source text; ``name`` is used in messages."""
    return loads_document(raw, name).code


def loads_document(raw: bytes | str, name: str = "<source>") -> SourceDocument:
    """Validate source text, keeping positions."""
    data, positions = parse_yaml(raw, name)
    return SourceDocument(validate(data, positions, name), positions, name)


def parse_yaml(raw: bytes | str, name: str) -> tuple[Any, Positions]:
    """YAML text to plain Python data plus the position of every value."""
    if len(raw) > MAX_BYTES:
        raise SourceError([Problem(name, 1, 1, "", f"the file is {len(raw):,} bytes, over the "
                                   f"limit of {MAX_BYTES:,}", "check this is the Code source")])
    text = _decode(raw, name) if isinstance(raw, bytes) else raw
    try:
        node = YAML(typ="safe", pure=True).compose(text)
    except MarkedYAMLError as exc:
        mark = (exc.context_mark if at_context(exc.problem or "") else None) or \
            exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what, fix = explain(exc.problem or "a syntax error", exc.context or "")
        raise SourceError([Problem(name, line, col, "", what, fix)]) from None
    except (YAMLError, RecursionError) as exc:
        raise SourceError([Problem(name, 1, 1, "", f"cannot read the YAML ({exc})",
                                   "check the file is a Code source")]) from None
    if node is None:
        raise SourceError([Problem(name, 1, 1, "", "the file is empty",
                                   "start from code_source/complaints-code.yaml")])
    builder = _Builder(name, text)
    data = builder.build(node, ())
    if builder.problems:
        raise SourceError(builder.problems)
    return data, builder.positions


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError([Problem(name, line, 1, "", "the file is not valid UTF-8",
                                   "save it as UTF-8")]) from None


class _Builder:
    """Turns composed YAML nodes into plain data, noting positions and problems."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.positions = Positions(text)
        self.problems: list[Problem] = []
        self.seen: set[int] = set()

    def problem(self, node: Node, loc: Loc, message: str, hint: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.name, mark.line + 1, mark.column + 1,
                                     dotted(loc), message, hint))

    def build(self, node: Node, loc: Loc) -> Any:
        if id(node) in self.seen or getattr(node, "anchor", None):
            self.problem(node, loc, "anchors and aliases (&name, *name) are not allowed",
                         "write the value out in full")
            return None
        self.seen.add(id(node))
        if len(self.seen) > MAX_NODES:
            raise SourceError([Problem(self.name, node.start_mark.line + 1, 1, dotted(loc),
                                       f"the document has over {MAX_NODES:,} values",
                                       "check this is the Code source")])
        self.positions.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.scalar(node, loc)

    def mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            merge = str(key_node.tag) == "tag:yaml.org,2002:merge"
            if not isinstance(key_node, ScalarNode) or merge:
                self.problem(key_node, loc, "keys must be plain words",
                             "write a simple key such as 'title:'")
                continue
            key = str(key_node.value)
            here = loc + (key,)
            if key in out:
                first = self.positions.keys[here][0]
                self.problem(key_node, here, f"duplicate key '{key}' (first given on line {first})",
                             "YAML would silently keep only the last one; merge the two or "
                             "remove one")
                continue
            self.positions.keys[here] = (key_node.start_mark.line + 1,
                                         key_node.start_mark.column + 1)
            out[key] = self.build(value_node, here)
        return out

    def scalar(self, node: ScalarNode, loc: Loc) -> Any:
        tag, value = str(node.tag), str(node.value)
        if tag not in _SCALAR_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(node, loc, f"the tag '{shown}' is not allowed",
                         "remove the '!' tag; plain values are enough")
            return None
        if node.style in ("'", '"', "|", ">"):
            return value
        if tag.endswith(":int"):
            return int(value.replace("_", ""), 0) if value.lstrip("+-")[:2] in ("0x", "0o") \
                else int(value.replace("_", ""))
        if tag.endswith(":float"):
            return float(value.replace("_", ""))
        if tag.endswith(":bool"):
            return value.lower() == "true"
        if tag.endswith(":null"):
            return None
        return value


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
    if kind == "string_pattern_mismatch":
        pattern = str((err.get("ctx") or {}).get("pattern", ""))
        return f"{shown} is not in the expected form", _PATTERN_HINTS.get(pattern, doc)
    if kind in ("string_type", "str_type"):
        return f"expected text, got {shown}", "quote the value, e.g. \"1.0\""
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {shown}", "write digits only, e.g. 3"
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
    if kind == "value_error":
        message = err["msg"].removeprefix("Value error, ")
        what, _, how = message.partition("; ")
        return what, how or doc
    return err["msg"], doc


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
