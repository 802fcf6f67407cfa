"""Read a Code source file once, validate it, and return the immutable model.

Every problem is collected and reported at once, each as
``path:line:col: field.path: what is wrong; how to fix``. The YAML is read
with ruamel.yaml's composer, which keeps the position of every node, so each
problem points at the line the legal team must edit.

Safety: YAML 1.2 (so ``no`` stays the word "no"), no tags, no anchors or
aliases (which also rules out alias bombs), a size limit and a node limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import Problem, SourceError, visible
from .model import Code
from .positions import Loc, Positions, dotted
from .validation import DECIMAL, validate
from .yaml_words import at_context, explain

MAX_BYTES = 1_000_000
"""Largest source file accepted. The Opus Code is about 12 kB."""
MAX_NODES = 50_000
"""Most YAML nodes accepted; a Code has a few hundred."""
MAX_DEPTH = 20
"""Deepest nesting of lists and mappings accepted; the Code needs about 6."""
MAX_DIGITS = 18
"""Longest whole number accepted (Python refuses to read ints of 4,300 digits)."""

# The characters YAML does not allow in a file (ruamel.yaml's reader refuses
# them, but only with a character offset): C0 and C1 controls other than tab
# and line ends, DEL, surrogates, U+FFFE and U+FFFF.
_NOT_ALLOWED = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD"
                          "\U00010000-\U0010FFFF]")
# YAML's line breaks, for counting lines as the YAML reader does.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_INT_FORMS = {"0x": "hexadecimal", "0o": "octal", "0b": "binary"}

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
    data: Any = None
    """The parsed YAML as plain data (what the positions point into)."""


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
                                   "check the path: is the file there, and may you read "
                                   "it?")]) from None
    return loads_document(raw, name)


def loads(raw: bytes | str, name: str = "<source>") -> Code:
    """Validate source text; ``name`` is used in messages."""
    return loads_document(raw, name).code


def loads_document(raw: bytes | str, name: str = "<source>") -> SourceDocument:
    """Validate source text, keeping positions."""
    data, positions = parse_yaml(raw, name)
    return SourceDocument(validate(data, positions, name), positions, name, data)


def parse_yaml(raw: bytes | str, name: str) -> tuple[Any, Positions]:
    """YAML text to plain Python data plus the position of every value."""
    if len(raw) > MAX_BYTES:
        raise SourceError([Problem(name, 1, 1, "", f"the file is {len(raw):,} bytes, over the "
                                   f"limit of {MAX_BYTES:,}", "check this is the Code source")])
    text = _decode(raw, name) if isinstance(raw, bytes) else raw
    not_allowed = _not_allowed(text, name)
    if not_allowed:
        raise SourceError(not_allowed)
    too_deep = _flow_too_deep(text, name)
    if too_deep:
        raise SourceError([too_deep])
    try:
        node = YAML(typ="safe", pure=True).compose(text)
    except RecursionError:
        raise SourceError([_too_deep(text, name)]) from None
    except MarkedYAMLError as exc:
        mark = (exc.context_mark if at_context(exc.problem or "") else None) or \
            exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what, fix = explain(exc.problem or "a syntax error", exc.context or "")
        raise SourceError([Problem(name, line, col, "", what, fix)]) from None
    except YAMLError as exc:
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


def _not_allowed(text: str, name: str) -> list[Problem]:
    """Every character YAML forbids, at its own line and column."""
    problems = []
    for match in _NOT_ALLOWED.finditer(text):
        line, col = _line_col(text, match.start())
        problems.append(Problem(name, line, col, "",
                                f"the character {visible(match.group())} is not allowed "
                                "in the file", "delete it (most editors do not show it)"))
    return problems


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, counting lines as YAML does."""
    before = text[:offset]
    breaks = list(_LINE_BREAK.finditer(before))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


_FLOW = re.compile(r"[\[\]{}\n]|(?:^|(?<=\s))#")


def _flow_too_deep(text: str, name: str) -> Problem | None:
    """Brackets nested more than MAX_DEPTH deep, found by counting them: the
    YAML scanner slows down quadratically with flow depth (3,000 brackets take
    half a minute), so this is checked before YAML reads the file. Brackets
    in comments are skipped; text with twenty nested brackets is no Code."""
    depth = 0
    comment = False
    for match in _FLOW.finditer(text):
        char = match.group()
        if char == "\n":
            comment = False
        elif comment:
            continue
        elif char == "#":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _line_col(text, match.start())
                return _depth_problem(name, line, col, "")
        else:
            depth = max(0, depth - 1)
    return None


def _too_deep(text: str, name: str) -> Problem:
    """Where nesting first goes deeper than MAX_DEPTH (the composer recursed
    too deep to say). The parser's events are read without recursion."""
    depth = 0  # collections around the event, as the builder's len(loc)
    line, col = 1, 1
    try:
        for event in YAML(typ="safe", pure=True).parse(text):
            if isinstance(event, (CollectionStartEvent, ScalarEvent)) and depth > MAX_DEPTH:
                line, col = event.start_mark.line + 1, event.start_mark.column + 1
                break
            if isinstance(event, CollectionStartEvent):
                depth += 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        pass  # the position of the deepest point found so far is the best we have
    return _depth_problem(name, line, col, "")


def _depth_problem(name: str, line: int, col: int, field: str) -> Problem:
    return Problem(name, line, col, field, f"the lists and mappings are nested more than "
                   f"{MAX_DEPTH} levels deep", "check the indentation and the brackets here; "
                   "the Code needs only a few levels")


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
        if len(loc) > MAX_DEPTH:
            mark = node.start_mark
            raise SourceError([_depth_problem(self.name, mark.line + 1, mark.column + 1,
                                              dotted(loc))])
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
            if _is_empty(value_node):
                # An empty value's node starts at the next token, often the
                # next key's line: point just after this key's colon instead.
                end = key_node.end_mark
                self.positions.values[here] = (end.line + 1, end.column + 2)
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
            return self.integer(node, loc, value)
        if tag.endswith(":float"):
            return self.real(node, loc, value)
        if tag.endswith(":bool"):
            return value.lower() == "true"
        if tag.endswith(":null"):
            return None
        return value


    def integer(self, node: ScalarNode, loc: Loc, value: str) -> int | None:
        """Plain decimal digits only: YAML's other integer forms are surely a
        slip in a document the legal team edits, and a huge one would not
        even convert."""
        form = _INT_FORMS.get(value.lstrip("+-")[:2].lower())
        if form:
            self.problem(node, loc, f"'{value}' is written in {form}",
                         "write the number in ordinary digits, or in quotes if it is text")
        elif not DECIMAL.fullmatch(value):
            self.problem(node, loc, f"'{value}' is not written in plain digits",
                         "write digits only, without '_', or quote the value if it is text")
        elif len(value.lstrip("+-")) > MAX_DIGITS:
            self.problem(node, loc, f"a number of {len(value.lstrip('+-')):,} digits is too "
                         "long", f"write at most {MAX_DIGITS} digits")
        else:
            return int(value)
        return None

    def real(self, node: ScalarNode, loc: Loc, value: str) -> float | None:
        """A decimal number; YAML's infinities and not-a-number are refused."""
        if "inf" in value.lower() or "nan" in value.lower():
            self.problem(node, loc, f"'{value}' is YAML's special number "
                         f"{'not-a-number' if 'nan' in value.lower() else 'infinity'}",
                         "write an ordinary number, or quote the value if it is text")
            return None
        return float(value.replace("_", ""))


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.value == "" and not node.style
