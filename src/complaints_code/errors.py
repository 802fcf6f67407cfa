"""Typed errors. The library raises these; only the CLI and HTTP edge turn
them into messages, exit statuses and responses."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

_INVISIBLE = frozenset(("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"))


def visible(text: str) -> str:
    """``text`` with every invisible or control character (and every space
    other than the plain one) written out by its code point and name, so a
    message never shows 'title' where the file has 'title' plus a zero-width
    space."""
    return "".join(_shown(ch) for ch in text)


def _shown(ch: str) -> str:
    category = unicodedata.category(ch)
    if ch == " " or (category not in _INVISIBLE and category != "Zs"):
        return ch
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "")
    return f"<U+{ord(ch):04X}{' ' + name if name else ''}>"


def quoted(value: object, limit: int = 80) -> str:
    """A value for a message: text in quotes, anything else as JSON would
    write it; at most about ``limit`` characters of it (a longer one is cut,
    with its length said), every invisible character named."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 100:
        text = "a number of more than 100 digits"
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):  # a number too long for str(), deep inside
            text = f"(a {type(value).__name__} too large to show)"
    if len(text) > limit:
        text = f"{text[: limit - 1]}… ({len(text):,} characters)"
    return visible(text)


# unicodedata has no names for the C0 controls; these are their Unicode aliases.
_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE",
}


class ComplaintsCodeError(Exception):
    """Base class of every error this package raises on purpose. It says what
    is wrong, where (a file position or a field) and how to fix it; it knows
    nothing of exit statuses or HTTP responses, which the edges decide."""


class InputError(ComplaintsCodeError):
    """Base of the errors that mean the input (a source, an option, a
    setting, a request) is wrong, as opposed to the work failing."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source file, at a place in it."""

    path: str
    line: int
    col: int
    field: str
    message: str
    hint: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        field = f" {self.field}:" if self.field else ""
        hint = f"; {visible(self.hint)}" if self.hint else ""
        return f"{where}:{visible(field)} {visible(self.message)}{hint}"


class SourceError(InputError):
    """The Code source is invalid. Carries every problem found, in order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        super().__init__("\n".join(str(p) for p in self.problems))


class MarkupError(ValueError):
    """Bad inline markup; ``offset`` is the character offset in the text."""

    def __init__(self, offset: int, message: str, hint: str):
        self.offset = offset
        self.message = message
        self.hint = hint
        super().__init__(f"{message}; {hint}")


class UsageError(InputError):
    """A command was asked for something it cannot do (bad option value)."""


class OutputError(InputError):
    """An output location cannot be written: it names the path and the fix."""

    def __init__(self, path: object, reason: str, hint: str):
        self.path, self.reason, self.hint = path, reason, hint
        super().__init__(f"{path}: {reason}; {hint}")

    def problem(self) -> dict[str, str]:
        """The error as JSON data."""
        return {"path": str(self.path), "message": self.reason, "hint": self.hint}


class RenderError(ComplaintsCodeError):
    """A renderer could not produce its output."""


class BusyError(ComplaintsCodeError):
    """Another process holds what the command needs (another build publishing
    into the same folder): nothing is wrong with the input, but the command
    cannot run now. The command line exits 2, as for bad input."""


def problems_json(exc: SourceError) -> list[dict[str, object]]:
    """A source error's problems as JSON data, for tools and the HTTP edge."""
    return [{"path": p.path, "line": p.line, "col": p.col, "field": p.field,
             "message": p.message, "hint": p.hint} for p in exc.problems]
