"""The release of an approved draft, as the service's job calls it: the
source written with comments kept, committed and tagged in git naming the
author and the approver; on failure, everything as it was."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from complaints_code.legal.drafts import (
    Draft,
    DraftStateError,
    Edit,
    Published,
    approve,
    edit_fields,
    release_draft,
    start,
    submit,
    undo_release,
)
from complaints_code.legal.release import ReleaseError
from tests.legal.conftest import git, tagged_repo
from tests.legal.drafts.conftest import JANE, NOW, TOM

TODAY = NOW.date()


@pytest.fixture(scope="module")
def approved(published: Published) -> Draft:
    draft = edit_fields(start("1", JANE, published, NOW).draft, JANE,
                        [Edit("contacts.telephone.value", "020 8545 8299")], NOW).draft
    draft = submit(draft, JANE, "A new telephone number.", False, published, NOW).draft
    return approve(draft, TOM, published, NOW).draft


@pytest.fixture
def repo(tmp_path: Path, published_text: str) -> Path:
    """A repository holding the published source, committed and tagged v1.0."""
    return tagged_repo(tmp_path, published_text, ("Complaints service", "service@example.org"),
                       "Version 1.0")


def state(repo: Path) -> tuple[str, str, str, str]:
    """The source, the branch's commit, the tags and git status."""
    return ((repo / "code_source" / "code.yaml").read_text(encoding="utf-8"),
            git(repo, "rev-parse", "HEAD"), git(repo, "tag", "--list"),
            git(repo, "status", "--porcelain"))


def test_release_writes_the_draft_commits_and_tags_it(repo: Path, approved: Draft,
                                                      published_text: str) -> None:
    source = repo / "code_source" / "code.yaml"
    done = release_draft(approved, source, TODAY)
    assert (done.version, done.effective_date, done.tag, done.already) == ("1.1", TODAY,
                                                                           "v1.1", False)
    assert done.code.contact("telephone").value == "020 8545 8299"
    after = source.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(published_text.splitlines(),
                                                     after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        '-  version: "1.0"', '+  version: "1.1"',
        "-  effective_date: 2026-11-25", "+  effective_date: 2026-12-04",
        "-  approved_by: Opus Telecoms Legal Team", '+  approved_by: "Tom Jones"',
        "-    value: 020 8545 8200", "+    value: 020 8545 8299",
        '+  - version: "1.1"', "+    date: 2026-12-04",
        '+    summary: "A new telephone number."', '+    approved_by: "Tom Jones"']
    message = git(repo, "log", "-1", "--format=%B", "v1.1")
    assert message == ("Release version 1.1, effective 2026-12-04\n\nA new telephone number."
                       "\n\nDrafted by Jane Smith.\nApproved by Tom Jones.\n\n")
    assert git(repo, "show", "v1.1:code_source/code.yaml") == after
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.slow
def test_a_release_whose_publish_failed_is_undone_and_can_run_again(
        repo: Path, approved: Draft) -> None:
    source = repo / "code_source" / "code.yaml"
    before = state(repo)
    undo_release(release_draft(approved, source, TODAY))
    assert state(repo) == before
    assert release_draft(approved, source, TODAY).tag == "v1.1"


def test_a_draft_already_released_is_not_released_twice(repo: Path, approved: Draft) -> None:
    """The job stopped after releasing: running it again finds the release."""
    source = repo / "code_source" / "code.yaml"
    release_draft(approved, source, TODAY)
    before = state(repo)
    again = release_draft(approved, source, TODAY)
    assert (again.already, again.version, again.tag) == (True, "1.1", "v1.1")
    assert state(repo) == before


@pytest.mark.parametrize("hook", [
    ("pre-commit", "exit 1"),  # the commit fails, after the file was written
    # the tag fails, after the commit was made:
    ("reference-transaction", 'grep -q refs/tags/ && [ "$1" = prepared ] && exit 1; exit 0'),
])
@pytest.mark.slow
def test_a_failed_release_leaves_the_source_and_git_as_they_were(
        repo: Path, approved: Draft, hook: tuple[str, str]) -> None:
    script = repo / ".git" / "hooks" / hook[0]
    script.write_text(f"#!/bin/sh\n{hook[1]}\n", encoding="utf-8")
    script.chmod(0o755)
    before = state(repo)
    with pytest.raises(ReleaseError) as caught:
        release_draft(approved, repo / "code_source" / "code.yaml", TODAY)
    assert str(caught.value).startswith("recording version 1.1 in git failed (git ")
    assert str(caught.value).endswith("), so the release was undone. Nothing was changed.")
    assert state(repo) == before


@pytest.mark.slow
def test_a_refused_release_says_why_and_changes_nothing(repo: Path, approved: Draft) -> None:
    git(repo, "tag", "-a", "v1.1", "-m", "made by hand")
    before = state(repo)
    with pytest.raises(ReleaseError, match=r"^the git tag v1\.1 already exists, so this version "
                       r"was released before; choose a higher version number\. Nothing was "
                       r"changed\.$"):
        release_draft(approved, repo / "code_source" / "code.yaml", TODAY)
    assert state(repo) == before


def test_release_refuses_when_the_published_source_moved_on(repo: Path,
                                                            approved: Draft) -> None:
    source = repo / "code_source" / "code.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "# edited by hand\n",
                      encoding="utf-8")
    before = state(repo)
    with pytest.raises(DraftStateError) as caught:
        release_draft(approved, source, TODAY)
    assert caught.value.reason == "out_of_date"
    assert state(repo) == before


def test_release_outside_git_writes_the_source_only(tmp_path: Path, approved: Draft,
                                                    published_text: str) -> None:
    source = tmp_path / "code.yaml"
    source.write_text(published_text, encoding="utf-8")
    done = release_draft(approved, source, TODAY)
    assert done.tag is None and "020 8545 8299" in source.read_text(encoding="utf-8")
