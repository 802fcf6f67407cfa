"""git, as the legal tools use it (issue 19 and 17): a revision never reaches
git as an option; an unknown revision is answered with the tags there are;
`release` refuses, writing nothing, while the repository is in the middle of
a merge, a rebase or a cherry-pick or on no branch, and refuses a text that
has not changed since the last release unless told it is meant."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from tests.legal.conftest import ARGS, NEW_WORDS, OLD_WORDS, edit, git

SOURCE = Path("code_source") / "code.yaml"


def state(repo: Path) -> tuple[str, str, str]:
    """What a refused release must leave alone: the source, HEAD and the tags."""
    return ((repo / SOURCE).read_text(encoding="utf-8"), git(repo, "rev-parse", "HEAD"),
            git(repo, "tag", "--list"))


def release(runner: CliRunner, repo: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(main, ["release", "--source", str(repo / SOURCE), *ARGS, *extra])
    return result.exit_code, result.output


@pytest.mark.parametrize("rev", ["--output=hacked.txt", "-p", "--exec=touch hacked.txt"])
def test_a_revision_that_looks_like_an_option_never_reaches_git(
        runner: CliRunner, repo: Path, rev: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = runner.invoke(main, ["diff", f"git:{rev}", "--source", str(repo / SOURCE)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "is not a revision" in result.stderr
    assert not list(repo.rglob("hacked*"))


def test_an_unknown_revision_is_answered_with_the_tags_there_are(runner: CliRunner,
                                                                  repo: Path) -> None:
    git(repo, "tag", "v0.9", "HEAD")
    result = runner.invoke(main, ["diff", "git:v1.0.0", "--source", str(repo / SOURCE)])
    assert (result.exit_code, result.stderr) == (
        2, f'error: "git:v1.0.0" is not a revision of {repo}; the tags there are: git:v1.0, '
           "git:v0.9\n")


def test_without_tags_the_answer_says_there_are_none_yet(runner: CliRunner,
                                                         repo: Path) -> None:
    git(repo, "tag", "-d", "v1.0")
    result = runner.invoke(main, ["diff", "git:v1.0", "--source", str(repo / SOURCE)])
    assert result.exit_code == 2
    assert result.stderr.endswith("there are no tags yet (each release makes one, v1.1 for "
                                  "version 1.1); compare with an earlier commit instead, e.g. "
                                  "git:HEAD~1\n")


def _merging(repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "other")
    (repo / "notes.txt").write_text("theirs\n", encoding="utf-8")
    git(repo, "commit", "-qam", "theirs")
    git(repo, "switch", "-q", "main")
    (repo / "notes.txt").write_text("ours\n", encoding="utf-8")
    git(repo, "commit", "-qam", "ours")
    subprocess.run(["git", "merge", "-q", "other"], cwd=repo, capture_output=True, check=False)


def _cherry_picking(repo: Path) -> None:
    _merging(repo)
    git(repo, "merge", "--abort")
    subprocess.run(["git", "cherry-pick", "other"], cwd=repo, capture_output=True, check=False)


def _rebasing(repo: Path) -> None:
    _merging(repo)
    git(repo, "merge", "--abort")
    subprocess.run(["git", "rebase", "other"], cwd=repo, capture_output=True, check=False)


def _detached(repo: Path) -> None:
    git(repo, "switch", "-q", "--detach", "HEAD")


@pytest.mark.parametrize(("make", "why"), [
    (_merging, "a merge is in progress; finish it (git commit) or abandon it (git merge "
     "--abort)"),
    (_rebasing, "a rebase is in progress; finish it (git rebase --continue) or abandon it "
     "(git rebase --abort)"),
    (_cherry_picking, "a cherry-pick is in progress; finish it (git cherry-pick --continue) or "
     "abandon it (git cherry-pick --abort)"),
    (_detached, "HEAD is detached (no branch is checked out), so the release's commit would "
     "belong to no branch; check out your branch (git switch main)"),
])
@pytest.mark.slow
def test_release_refuses_an_unfinished_repository_before_writing_anything(
        runner: CliRunner, repo: Path, make: object, why: str) -> None:
    edit(repo / SOURCE)
    assert callable(make)
    make(repo)
    before = state(repo)
    status, output = release(runner, repo)
    assert (status, output) == (1, f"error: not released: in the git repository {repo}, {why}; "
                                   "then release again. Nothing was written.\n")
    assert state(repo) == before


def test_release_refuses_a_text_that_has_not_changed_since_the_last_release(
        runner: CliRunner, repo: Path) -> None:
    before = state(repo)
    status, output = release(runner, repo)
    assert (status, output) == (1, "error: not released: the Code's text has not changed since "
                                   "v1.0, so there is nothing new to approve; edit the source "
                                   "first. Nothing was written. To release the same text on "
                                   "purpose, give --allow-unchanged.\n")
    assert state(repo) == before
    status, output = release(runner, repo, "--allow-unchanged")
    assert status == 0, output
    assert "Changes since v1.0: 0." in output
    assert git(repo, "tag", "--list") == "v1.0\nv1.1\n"


def test_release_counts_the_changes_since_the_last_release(runner: CliRunner,
                                                           repo: Path) -> None:
    edit(repo / SOURCE)
    status, output = release(runner, repo)
    assert status == 0, output
    assert "Changes since v1.0: 1." in output
    assert NEW_WORDS in git(repo, "show", "v1.1:code_source/code.yaml")
    assert OLD_WORDS in git(repo, "show", "v1.0:code_source/code.yaml")
