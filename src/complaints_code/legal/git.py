"""Running git for the legal tools (``diff`` between revisions, ``release``):
one runner, so both say the same thing when git is missing or refuses.

A revision the user typed never reaches git as an option: it is checked
(:func:`check_revision`), then resolved to a commit with
``git rev-parse --verify --end-of-options``, and only the commit's hash is
used after that. git runs in a process group of its own
(:func:`complaints_code.processes.interrupts.run`), so Ctrl-C stops the tool, which
then stops git, rather than git alone.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import ComplaintsCodeError, quoted, visible
from ..processes.interrupts import run


class GitError(ComplaintsCodeError):
    """git could not be run, or it refused. Callers turn it into their own
    error, with the advice that fits what they were doing."""

    def __init__(self, why: str, *, ran: bool) -> None:
        super().__init__(why)
        self.why = why
        """git's last line of complaint, or why it could not start."""
        self.ran = ran
        """False when git could not be started (missing, or it hung)."""


class RevisionError(ComplaintsCodeError):
    """A revision is not one git could be asked about (it would be read as
    an option, or it names a path too)."""


def git(cwd: Path, *args: str) -> str:
    """``git ARGS`` in ``cwd``; its standard output. Raises GitError."""
    try:
        done = run(["git", *args], cwd=cwd, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(str(exc), ran=False) from None
    if done.returncode != 0:
        complaint = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError((complaint or ["git failed"])[-1], ran=True)
    return done.stdout.decode("utf-8", "replace")


def check_revision(rev: str) -> None:
    """Refuse a revision that git would read as an option, or that is not a
    revision alone. Raises RevisionError saying why and what to write."""
    shown = quoted(rev)
    if not rev.strip():
        raise RevisionError("the revision is empty; write one, e.g. git:HEAD~1 or git:v1.2")
    if rev.startswith("-"):
        raise RevisionError(f"{shown} is not a revision (a revision never begins with '-'); "
                            "write a tag, a branch or a commit, e.g. git:v1.2")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in rev):
        raise RevisionError(f"{visible(shown)} is not a revision: it has a space or a control "
                            "character in it; write a tag, a branch or a commit, e.g. git:v1.2")
    if ":" in rev:
        raise RevisionError(f"{shown} names a path as well as a revision; write the revision "
                            "alone (git:v1.2): the source's own path is used")


def commit_of(repo: Path, rev: str) -> str | None:
    """The commit a checked revision names, as a full hash; None if it
    names none. Raises GitError if git cannot be run."""
    check_revision(rev)
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options",
                   f"{rev}^{{commit}}").strip() or None
    except GitError as exc:
        if not exc.ran:
            raise
        return None


def tags(repo: Path) -> list[str]:
    """The repository's tags, newest version first."""
    return git(repo, "tag", "--list", "--sort=-version:refname").split()


def unfinished(repo: Path) -> str | None:
    """What the repository is in the middle of, as a sentence with the fix
    (a merge, a rebase, a cherry-pick, a revert, a bisection, or a detached
    HEAD), or None when it is on a branch with nothing in progress."""
    states = (
        ("MERGE_HEAD", "a merge is in progress; finish it (git commit) or abandon it "
         "(git merge --abort)"),
        ("rebase-merge", "a rebase is in progress; finish it (git rebase --continue) or "
         "abandon it (git rebase --abort)"),
        ("rebase-apply", "a rebase or patch is in progress; finish it (git rebase --continue "
         "or git am --continue) or abandon it (git rebase --abort or git am --abort)"),
        ("CHERRY_PICK_HEAD", "a cherry-pick is in progress; finish it (git cherry-pick "
         "--continue) or abandon it (git cherry-pick --abort)"),
        ("REVERT_HEAD", "a revert is in progress; finish it (git revert --continue) or "
         "abandon it (git revert --abort)"),
        ("BISECT_LOG", "a bisection is in progress; end it (git bisect reset)"),
        ("index.lock", "another git command is running (or one was killed and left "
         "index.lock behind); wait for it, or remove .git/index.lock if none is running"),
    )
    for name, why in states:
        where = git(repo, "rev-parse", "--git-path", name).strip()
        if (repo / where).exists():
            return why
    try:
        git(repo, "symbolic-ref", "--quiet", "HEAD")
    except GitError as exc:
        if not exc.ran:
            raise
        return ("HEAD is detached (no branch is checked out), so the release's commit would "
                "belong to no branch; check out your branch (git switch main)")
    return None
