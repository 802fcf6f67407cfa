"""Change values in the source YAML and keep everything else byte for byte.

The text is read with ruamel.yaml's round-trip loader, which keeps comments,
quoting, folded paragraphs, flow lists and blank lines; the values that
differ between the old and the new data are changed in that tree, and the
tree is written out again. Only what changed is touched: a changed
paragraph keeps its folded style (re-wrapped), a quoted version stays
quoted, a list of days stays on one line, a contact that moves takes its
comments with it.

Before changing anything, the unchanged tree must write out as exactly the
text it was read from (with the file's own indentation, found by trying the
usual layouts); a file laid out in a way the round trip cannot keep is
refused with :class:`LayoutError` rather than silently re-laid out.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from ...errors import InputError
from ...structure.positions import Loc
from .kinds import kind_of
from .paths import ID_LISTS, generic, tokens

LINE_WIDTH = 80
"""Paragraphs written in folded style are wrapped to this many columns."""
_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0))
"""(mapping indent, sequence indent, dash offset) to try, commonest first."""
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class LayoutError(InputError):
    """The source is laid out in a way the round trip would change."""


def rewrite(text: str, old: Any, new: Any) -> str:
    """``text`` (whose plain data is ``old``) changed to hold ``new``,
    touching only the values that differ. Raises LayoutError."""
    if old == new:
        return text
    yaml, tree = _load(text)
    tree = _patch(tree, old, new, (), None)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def _load(text: str) -> tuple[YAML, Any]:
    """A YAML instance that writes ``text`` back exactly, and its tree."""
    for mapping, sequence, offset in _LAYOUTS:
        yaml = YAML(typ="rt", pure=True)
        yaml.preserve_quotes = True
        yaml.width = 4096  # never re-wrap a long line; paragraphs are wrapped here
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        tree = yaml.load(text)
        out = io.StringIO()
        yaml.dump(tree, out)
        if out.getvalue() == text:
            return yaml, tree
    raise LayoutError(f"the source is laid out in a way the form cannot keep "
                      f"({_first_change(text)}); make this change in the YAML view instead")


def _first_change(text: str) -> str:
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(yaml.load(text), out)
    for n, (a, b) in enumerate(zip(text.splitlines(), out.getvalue().splitlines(),
                                   strict=False), 1):
        if a != b:
            return f"line {n} would be rewritten"
    return "the end of the file would be rewritten"


def _patch(node: Any, old: Any, new: Any, loc: Loc, where: tuple[Any, Any] | None) -> Any:
    """The node for ``new`` in place of ``node`` (which holds ``old``):
    ``node`` itself, changed where it differs, when the shapes agree."""
    if old == new and node is not None:
        return node
    if isinstance(node, CommentedMap) and isinstance(old, dict) and isinstance(new, dict):
        tail = _detach_tail(node)
        _patch_map(node, old, new, loc)
        return _attach_tail(node, tail)
    if isinstance(node, CommentedSeq) and isinstance(old, list) and isinstance(new, list):
        tail = _detach_tail(node)
        if generic(loc) in ID_LISTS and _ids(old) is not None and _ids(new) is not None:
            _patch_items(node, old, new, loc)
        else:
            _patch_list(node, old, new, loc)
        if not node:
            node.fa.set_flow_style()  # an empty list is written []
        return _attach_tail(node, tail)
    return _value(new, loc, node, where)


# The blank lines and comments after a mapping or list are kept by ruamel on
# its last value, however deep. When the last value changes (an item is
# added at the end, removed or moved), they are moved to the new last value,
# so a blank line between two sections stays between them.

Tail = tuple[CommentToken, str] | None
"""A trailing comment token, and the text after its value's own line: the
blank lines and comment lines that follow (a comment at the end of the
value's own line stays with the value)."""


def _tail_spot(node: Any) -> tuple[Any, Any] | None:
    """The innermost last (container, key or index) of a block collection."""
    spot = None
    while isinstance(node, CommentedMap | CommentedSeq) and node and \
            not node.fa.flow_style():
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        spot, node = (node, key), node[key]
    return spot


def _slot(holder: Any) -> int:
    return 2 if isinstance(holder, CommentedMap) else 0


def _detach_tail(node: Any) -> Tail:
    spot = _tail_spot(node)
    if spot is None:
        return None
    holder, key = spot
    entry = holder.ca.items.get(key)
    token = entry[_slot(holder)] if entry else None
    if token is None:
        return None
    own, rest = _split(token.value, _is_block(holder[key]))
    if not rest:
        return None
    if own:
        token.value = own
    else:
        entry[_slot(holder)] = None
    return copy.copy(token), rest


def _split(value: str, after_block: bool) -> tuple[str, str]:
    """A comment token's value as (the end of its value's line, what follows).
    A block scalar (>- or |) ends its own line, so all of it follows."""
    if after_block:
        return "", value
    own, newline, rest = value.partition("\n")
    return (own + newline if own.strip() else ""), rest


def _attach_tail(node: Any, tail: Tail) -> Any:
    spot = _tail_spot(node)
    if tail is None or spot is None:
        return node
    token, rest = tail
    holder, key = spot
    size = 4 if isinstance(holder, CommentedMap) else 2
    entry = holder.ca.items.setdefault(key, [None] * size)
    existing = entry[_slot(holder)]
    own = existing.value if existing is not None else ""
    if not _is_block(holder[key]) and not own:
        own = "\n"
    token.value = own + rest
    entry[_slot(holder)] = token
    return node


def _is_block(value: Any) -> bool:
    return isinstance(value, FoldedScalarString | LiteralScalarString)


def _patch_map(node: CommentedMap, old: dict[str, Any], new: dict[str, Any], loc: Loc) -> None:
    for key in [k for k in node if k not in new]:
        del node[key]
    for position, (key, value) in enumerate(new.items()):
        if key in node:
            node[key] = _patch(node[key], old.get(key), value, loc + (key,), (node, key))
        else:
            node.insert(min(position, len(node)), key,
                        _value(value, loc + (key,), None, (node, key)))


def _ids(items: list[Any]) -> list[str] | None:
    """The items' ids, when every item has a distinct one."""
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    if all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids):
        return ids  # type: ignore[return-value]
    return None


def _patch_items(node: CommentedSeq, old: list[Any], new: list[Any], loc: Loc) -> None:
    """A list of items with ids: matched by id, so an item that moves keeps
    its comments and an item that stays is changed in place."""
    old_ids, new_ids = _ids(old) or [], _ids(new) or []
    for i in reversed(range(len(old_ids))):
        if old_ids[i] not in new_ids:
            del node[i]
    current = [i for i in old_ids if i in new_ids]
    before = {i: item for i, item in zip(old_ids, old, strict=True)}
    for target, ident in enumerate(new_ids):
        if ident in current:
            at = current.index(ident)
            if at != target:
                node.insert(target, node.pop(at))
                current.insert(target, current.pop(at))
            node[target] = _patch(node[target], before[ident], new[target], loc + (target,),
                                  None)
        else:
            node.insert(target, _value(new[target], loc + (target,), None, None))
            current.insert(target, ident)


def _patch_list(node: CommentedSeq, old: list[Any], new: list[Any], loc: Loc) -> None:
    """Any other list: items that stay are left alone, changed items are
    changed in place (pairwise), others deleted or inserted."""
    matcher = difflib.SequenceMatcher(None, tokens(old), tokens(new), autojunk=False)
    for op, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1)
        for k in range(pairs):
            node[i1 + k] = _patch(node[i1 + k], old[i1 + k], new[j1 + k], loc + (j1 + k,), None)
        for _ in range(i2 - i1 - pairs):
            del node[i1 + pairs]
        for k in range(pairs, j2 - j1):
            node.insert(i1 + k, _value(new[j1 + k], loc + (j1 + k,), None, None))


def _value(new: Any, loc: Loc, old: Any, where: tuple[Any, Any] | None) -> Any:
    """A new node for a plain value, in the style of the node it replaces."""
    if isinstance(new, dict):
        out = CommentedMap()
        for key, value in new.items():
            out[key] = _value(value, loc + (key,), None, (out, key))
        return out
    if isinstance(new, list):
        seq = CommentedSeq(_value(v, loc + (i,), None, None) for i, v in enumerate(new))
        if all(not isinstance(v, dict | list) for v in new):
            seq.fa.set_flow_style()
        return seq
    if not isinstance(new, str):
        return new
    return _text(new, loc, old, where)


def _text(new: str, loc: Loc, old: Any, where: tuple[Any, Any] | None) -> Any:
    kind = kind_of(loc)
    name = kind.name if kind else "text"
    if name == "date" and _DATE.fullmatch(new) and not isinstance(old, str):
        try:
            return dt.date.fromisoformat(new)
        except ValueError:
            pass  # not a real date: written as text, and validation says so
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(new)
    if isinstance(old, DoubleQuotedScalarString) or name in ("time", "version"):
        return DoubleQuotedScalarString(new)
    if isinstance(old, LiteralScalarString):
        return LiteralScalarString(new)
    long_markup = name == "markup" and len(new) > 60 and old is None
    if isinstance(old, FoldedScalarString) or long_markup:
        return _folded(new, where) if _foldable(new) else DoubleQuotedScalarString(new)
    return new


def _foldable(text: str) -> bool:
    """Whether folded style (``>-``) gives back exactly this text."""
    return bool(text) and text == text.strip() and "\n" not in text and "\t" not in text


def _folded(text: str, where: tuple[Any, Any] | None) -> FoldedScalarString:
    """Folded text wrapped at the spaces between words to fit LINE_WIDTH."""
    width = max(40, LINE_WIDTH - _content_indent(where))
    out: FoldedScalarString = FoldedScalarString(text)
    chosen: list[int] = []
    line_start, last = 0, -1
    for pos in [*(m.start() for m in re.finditer(r"(?<=\S) (?=\S)", text)), len(text)]:
        if pos - line_start > width and last > line_start:
            chosen.append(last)
            line_start = last + 1
        last = pos
    out.fold_pos = chosen  # type: ignore[attr-defined]
    return out


def _content_indent(where: tuple[Any, Any] | None) -> int:
    """The column a folded value's lines start at: its key's, plus two."""
    if where is None:
        return 8
    parent, key = where
    lc = getattr(parent, "lc", None)
    data = getattr(lc, "data", None) or {}
    if key in data:
        return int(data[key][1]) + 2
    cols = [int(v[1]) for v in data.values()]
    return (cols[0] if cols else 6) + 2
