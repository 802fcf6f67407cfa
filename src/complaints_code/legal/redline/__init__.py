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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ...errors import UsageError, quoted
from ...structure.model import Code
from ...structure.source import load, loads
from ..git import GitError, RevisionError, check_revision, commit_of, git, tags
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
    if not spec.strip():  # not the working folder
        raise UsageError("a version is empty; give a source file or a git revision, "
                         "e.g. git:HEAD~1")
    if not spec.startswith("git:"):
        return Version(load(spec), spec)
    rev = spec.removeprefix("git:")
    try:
        check_revision(rev)
    except RevisionError as exc:
        raise UsageError(str(exc)) from None
    root, rel = _in_repo(source)
    commit = _git(root, lambda: commit_of(root, rev))
    if commit is None:
        raise UsageError(f"{quoted(spec)} is not a revision of {root}; "
                         f"{_known_tags(root)}")
    try:
        shown = git(root, "show", f"{commit}:{rel}")
    except GitError:
        raise UsageError(f"{quoted(spec)}: {rel} is not in that revision (it was added "
                         "later, or had another name); choose a later revision") from None
    return Version(loads(shown, f"{spec}:{rel}"), spec)


def _known_tags(root: Path) -> str:
    found = _git(root, lambda: tags(root))
    if not found:
        return ("there are no tags yet (each release makes one, v1.1 for version 1.1); "
                "compare with an earlier commit instead, e.g. git:HEAD~1")
    listed = ", ".join(f"git:{t}" for t in found[:12])
    more = f" and {len(found) - 12} more (git tag --list)" if len(found) > 12 else ""
    return f"the tags there are: {listed}{more}"


def _in_repo(source: Path) -> tuple[Path, str]:
    """The repository holding ``source``, and its path inside it."""
    folder = source.resolve().parent
    if not folder.is_dir():
        raise UsageError(f"{folder}: the source's folder does not exist; check the source path")
    root = Path(_git(folder, lambda: git(folder, "rev-parse", "--show-toplevel")).strip())
    try:
        return root, source.resolve().relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{source} is not inside the git repository {root}") from None


_T = TypeVar("_T")


def _git(where: Path, call: Callable[[], _T]) -> _T:
    try:
        return call()
    except GitError as exc:
        if not exc.ran:
            raise UsageError(f"cannot run git ({exc.why}); is git installed?") from None
        if "not a git repository" in exc.why:
            raise UsageError(f"{where} is not in a git repository, so git: revisions cannot "
                             "be read; compare two files instead") from None
        raise UsageError(f"git: {exc.why}") from None
