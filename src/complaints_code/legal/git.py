"""Running git for the legal tools (``diff`` between revisions, ``release``):
one runner, so both say the same thing when git is missing or refuses."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import ComplaintsCodeError


class GitError(ComplaintsCodeError):
    """git could not be run, or it refused. Callers turn it into their own
    error, with the advice that fits what they were doing."""

    def __init__(self, why: str, *, ran: bool) -> None:
        super().__init__(why)
        self.why = why
        """git's last line of complaint, or why it could not start."""
        self.ran = ran
        """False when git could not be started (missing, or it hung)."""


def git(cwd: Path, *args: str) -> str:
    """``git ARGS`` in ``cwd``; its standard output. Raises GitError."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(str(exc), ran=False) from None
    if done.returncode != 0:
        raise GitError((done.stderr.strip().splitlines() or ["git failed"])[-1], ran=True)
    return done.stdout
