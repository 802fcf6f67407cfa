"""Positions of values in a source file, and field paths for messages."""

from __future__ import annotations

Loc = tuple[str | int, ...]
"""A location in the parsed document: keys and list indexes from the root."""


class Positions:
    """Where each value and each key of the document starts (1-based)."""

    def __init__(self) -> None:
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}

    def of(self, loc: Loc, key: bool = False) -> tuple[int, int]:
        """The position of ``loc``, or of its nearest recorded ancestor."""
        table = self.keys if key else self.values
        while loc not in table and loc:
            loc = loc[:-1]
            table = self.values
        return table.get(loc, (1, 1))


def dotted(loc: Loc) -> str:
    """A location as a field path: sections[3].blocks[0].paragraph."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
