"""Typed errors. The library raises these; only the CLI and HTTP edge turn
them into messages, exit statuses and responses."""

from __future__ import annotations

from dataclasses import dataclass


class ComplaintsCodeError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_status = 1


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


class SourceError(ComplaintsCodeError):
    """The Code source is invalid. Carries every problem found, in order."""

    exit_status = 2

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


class UsageError(ComplaintsCodeError):
    """A command was asked for something it cannot do (bad option value)."""

    exit_status = 2


class RenderError(ComplaintsCodeError):
    """A renderer could not produce its output."""
