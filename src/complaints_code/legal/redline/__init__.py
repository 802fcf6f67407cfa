"""The redline: what changed between two versions of the Code, for the legal
team to approve.

    from complaints_code.legal.redline import redline, read_version
    old = read_version("git:HEAD~1", Path("code_source/complaints-code.yaml"))
    new = read_version("code_source/complaints-code.yaml", ...)
    print(render(redline(old, new), "text"))

Versions are files or git revisions (``git:REV``) of the source; both are
validated before comparing, so the comparison sees two well-formed Codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import UsageError
from ...structure.model import Code
from ...structure.source import load, loads
from ..git import GitError, git
from .compare import AREAS, Change, compare
from .words import Piece

__all__ = ["AREAS", "Change", "Piece", "Redline", "Version", "read_version", "redline"]


@dataclass(frozen=True)
class Version:
    """One side of the comparison: the Code and where it came from."""

    code: Code
    label: str
    """The file, or git:REV, as given."""


@dataclass(frozen=True)
class Redline:
    """Two versions and every change between them."""

    old: Version
    new: Version
    changes: tuple[Change, ...]

    def by_area(self) -> list[tuple[str, list[Change]]]:
        """The changes grouped by area, in the Code's order; empty areas left out."""
        return [(area, [c for c in self.changes if c.area == area]) for area in AREAS
                if any(c.area == area for c in self.changes)]


def redline(old: Version, new: Version) -> Redline:
    """Compare two versions."""
    return Redline(old, new, tuple(compare(old.code, new.code)))


def read_version(spec: str, source: Path) -> Version:
    """A version from a file path, or from ``git:REV`` (the source file as it
    was at that revision). Raises SourceError or UsageError."""
    if not spec.startswith("git:"):
        return Version(load(spec), spec)
    rev = spec.removeprefix("git:")
    if not rev:
        raise UsageError("'git:' needs a revision, e.g. git:HEAD~1 or git:v1.2")
    root, rel = _in_repo(source)
    shown = _git(root, "show", f"{rev}:{rel}")
    return Version(loads(shown, f"{spec}:{rel}"), spec)


def _in_repo(source: Path) -> tuple[Path, str]:
    """The repository holding ``source``, and its path inside it."""
    folder = source.resolve().parent
    root = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    return root, source.resolve().relative_to(root).as_posix()


def _git(cwd: Path, *args: str) -> str:
    try:
        return git(cwd, *args)
    except GitError as exc:
        if not exc.ran:
            raise UsageError(f"cannot run git ({exc.why}); is git installed?") from None
        raise UsageError(f"git {' '.join(args)}: {exc.why}; check the revision with "
                         "'git log --oneline'") from None
