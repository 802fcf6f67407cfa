"""Version numbers such as 1.0 or 2.1.3, compared numerically (1.10 > 1.9)."""

from __future__ import annotations


def parse_version(text: str) -> tuple[int, int, int]:
    """``"1.2"`` to ``(1, 2, 0)``: missing parts count as 0, so 1.0 == 1."""
    parts = [int(p) for p in text.split(".")]
    return (parts + [0, 0, 0])[0], (parts + [0, 0, 0])[1], (parts + [0, 0, 0])[2]
