"""Positions of values in a source file, and field paths for messages."""

from __future__ import annotations

Loc = tuple[str | int, ...]
"""A location in the parsed document: keys and list indexes from the root."""


class Positions:
    """Where each value and each key of the document starts (1-based)."""

    def __init__(self, text: str = "") -> None:
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}
        self.lines = text.splitlines()

    def of(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """The position of ``loc``, or of its nearest recorded ancestor."""
        table = self.keys if key else self.values
        while loc not in table and loc:
            loc = loc[:-1]
            table = self.values
        return table.get(loc, (1, 1))

    def find(self, loc: Loc, needle: str) -> tuple[int, int]:
        """Where ``needle`` first appears in the file at or after the value at
        ``loc`` (e.g. a bad reference inside a folded paragraph); the value's
        own position if it cannot be found."""
        line, col = self.of(loc)
        for i in range(line - 1, min(len(self.lines), line + 200)):
            at = self.lines[i].find(needle, col - 1 if i == line - 1 else 0)
            if at >= 0:
                return i + 1, at + 1
        return line, col


def dotted(loc: Loc) -> str:
    """A location as a field path: sections[3].blocks[0].paragraph."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
