"""Shared by the legal tests: a git repository holding a releasable Code."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.legal.test_lint_rules import fixed

ARGS = ["--version", "1.1", "--date", "2026-12-01", "--summary",
        "Disputes now go to the Communications Ombudsman, after 6 weeks.",
        "--approved-by", "Jane Smith, General Counsel"]
OLD_WORDS, NEW_WORDS = "for further information.", "for more information."


def edit(source: Path) -> None:
    """A change of the Code's words, as the legal team makes before a release."""
    text = source.read_text(encoding="utf-8")
    assert text.count(OLD_WORDS) == 1
    source.write_text(text.replace(OLD_WORDS, NEW_WORDS), encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


def tagged_repo(folder: Path, code_text: str, committer: tuple[str, str],
                message: str) -> Path:
    """``folder`` made a git repository holding ``code_text`` as
    code_source/code.yaml (and whatever else is in the folder), committed
    by ``committer`` (name, email) and tagged v1.0."""
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.name", committer[0])
    git(folder, "config", "user.email", committer[1])
    (folder / "code_source").mkdir()
    (folder / "code_source" / "code.yaml").write_text(code_text, encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", message)
    git(folder, "tag", "-a", "v1.0", "-m", "Version 1.0")
    return folder


@pytest.fixture
def repo(tmp_path: Path, source_text: str) -> Path:
    """A git repository holding a corrected Code, committed and tagged v1.0."""
    (tmp_path / "notes.txt").write_text("draft\n", encoding="utf-8")
    return tagged_repo(tmp_path, fixed(source_text), ("Jane Smith", "jane@example.org"),
                       "First version")
