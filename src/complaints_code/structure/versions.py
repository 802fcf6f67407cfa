"""Version numbers such as 1.0 or 2.1.3, compared numerically (1.10 > 1.9).
The one ordering of versions: the release command, the lint's check of the
change history and the archive of past versions' files all sort by it."""

from __future__ import annotations


def parse_version(text: str) -> tuple[int, int, int]:
    """``"1.2"`` to ``(1, 2, 0)``: missing parts count as 0, so 1.0 == 1.
    Raises ValueError for a part that is not a number."""
    parts = [int(p) for p in text.split(".")]
    return (parts + [0, 0, 0])[0], (parts + [0, 0, 0])[1], (parts + [0, 0, 0])[2]


def version_key(text: str) -> tuple[int, int, int]:
    """A sort key for any folder or file named by a version: ``parse_version``,
    with a name that is not a version sorting first."""
    try:
        return parse_version(text)
    except ValueError:
        return (-1, -1, -1)
