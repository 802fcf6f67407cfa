"""Typed errors. The library raises these; only the CLI and HTTP edge turn
them into messages, exit statuses and responses."""

from __future__ import annotations

from dataclasses import dataclass


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
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}:{field} {self.message}{hint}"


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


def problems_json(exc: SourceError) -> list[dict[str, object]]:
    """A source error's problems as JSON data, for tools and the HTTP edge."""
    return [{"path": p.path, "line": p.line, "col": p.col, "field": p.field,
             "message": p.message, "hint": p.hint} for p in exc.problems]
