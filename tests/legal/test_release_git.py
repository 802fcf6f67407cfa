"""`release` records the version in git when the source is in a repository:
it commits the source and tags that commit v<version>, so `diff git:v1.1`
works; it refuses, writing nothing, when the tag exists."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from complaints_code.cli import main
from tests.legal.conftest import ARGS, edit, git
from tests.legal.test_lint_rules import fixed


def test_release_commits_the_source_and_tags_it(runner: CliRunner, repo: Path) -> None:
    source = repo / "code_source" / "code.yaml"
    edit(source)
    (repo / "notes.txt").write_text("unrelated edit\n", encoding="utf-8")
    result = runner.invoke(main, ["release", "--source", str(source), *ARGS])
    assert result.exit_code == 0, result.output
    assert (f"Recorded in git: committed {source} and tagged it v1.1; compare with it "
            "using: complaints-code diff git:v1.1") in result.output
    assert git(repo, "tag", "--list") == "v1.0\nv1.1\n"
    assert git(repo, "cat-file", "-t", "v1.1").strip() == "tag"  # annotated
    assert git(repo, "show", "-s", "--format=%s", "v1.1^{commit}").strip() == \
        "Release version 1.1, effective 2026-12-01"
    assert git(repo, "show", "v1.1:code_source/code.yaml") == source.read_text(encoding="utf-8")
    assert git(repo, "status", "--porcelain").strip() == "M notes.txt"  # left alone


def test_diff_between_two_tagged_releases_works(runner: CliRunner, repo: Path) -> None:
    source = repo / "code_source" / "code.yaml"
    edit(source)
    assert runner.invoke(main, ["release", "--source", str(source), *ARGS]).exit_code == 0
    result = runner.invoke(main, ["diff", "git:v1.0", "git:v1.1", "--source", str(source)])
    assert result.exit_code == 0, result.output
    assert "  from version 1.0, effective 2026-11-25 (git:v1.0)\n" in result.output
    assert "  to   version 1.1, effective 2026-12-01 (git:v1.1)\n" in result.output


def test_release_refuses_when_the_tag_exists_and_writes_nothing(runner: CliRunner,
                                                                  repo: Path) -> None:
    source = repo / "code_source" / "code.yaml"
    git(repo, "tag", "-a", "v1.1", "-m", "made by hand")
    before = source.read_text(encoding="utf-8")
    result = runner.invoke(main, ["release", "--source", str(source), *ARGS])
    assert result.exit_code == 1
    assert result.output == ("error: the git tag v1.1 already exists, so this version was "
                             "released before; choose a higher version number. Nothing was "
                             "written.\n")
    assert source.read_text(encoding="utf-8") == before


def test_release_outside_git_says_it_did_not_tag(runner: CliRunner, tmp_path: Path,
                                                 source_text: str) -> None:
    source = tmp_path / "code.yaml"
    source.write_text(fixed(source_text), encoding="utf-8")
    result = runner.invoke(main, ["release", "--source", str(source), *ARGS])
    assert result.exit_code == 0, result.output
    assert f"Not tagged in git: {source} is not in a git repository.\n" in result.output
