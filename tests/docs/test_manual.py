"""The manual: its rule for examples, its generated
pages, and that it builds (strict) without reaching the public site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from complaints_code.legal.lint import rule_ids
from tests.conftest import ROOT
from tests.docs.examples import BadExample, examples, pages, unknown_command

sys.path.insert(0, str(ROOT / "docs"))
import manual_hooks  # MkDocs loads it by path; so do the tests

MANUAL = ROOT / "docs" / "manual"


def test_the_readme_is_a_front_door_of_at_most_150_lines() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for part in ("staff", "legal", "operations", "developers"):
        assert f"(docs/manual/{part}/index.md)" in readme


def test_only_sh_blocks_are_examples_and_markers_set_how_they_run() -> None:
    page = ("```sh\ncomplaints-code check\n```\n\n```text\nnot an example\n```\n\n"
            "1. A step:\n\n    ```sh\n    # exits 1: the Code has errors\n"
            "    complaints-code check\n    ```\n\n"
            "```sh\n# needs: server\ncurl -s http://127.0.0.1:8000/healthz\n```\n\n"
            "```sh\n# not run: serves until Ctrl+C\ncomplaints-code serve\n```\n")
    found = examples(page, "p.md")
    assert [(e.line, e.mode, e.status) for e in found] == [
        (1, "run", 0), (11, "run", 1), (16, "server", 0), (21, "not run", 0)]
    assert found[1].script == "# exits 1: the Code has errors\ncomplaints-code check\n"


@pytest.mark.parametrize("first", ["# not run", "# exits one: why", "# needs: postgres"])
def test_a_marker_without_its_reason_or_value_is_refused(first: str) -> None:
    with pytest.raises(BadExample, match=r"p\.md:1: "):
        examples(f"```sh\n{first}\ncomplaints-code check\n```\n", "p.md")


@pytest.mark.parametrize(("words", "why"), [
    (["serv", "--port", "8000"], "complaints-code has no command 'serv'"),
    (["service", "purge", "--purge-after-days", "0"],
     "complaints-code service purge has no option '--purge-after-days'"),
    (["staff", "add", "Sam Jones", "--role", "staff"], None),
    (["--config", "x.toml", "build", "--only=web"], None),
])
def test_commands_in_examples_that_are_not_run_must_exist(words: list[str],
                                                           why: str | None) -> None:
    assert unknown_command(words) == why


def test_every_example_is_written_as_users_type_it() -> None:
    for page in pages():
        for example in examples(page.read_text(encoding="utf-8"), page.name):
            assert ".venv/bin/complaints-code" not in example.script, example.where


def test_the_rules_page_gives_every_rule_its_severity_dates_and_source() -> None:
    page = manual_hooks.rules_markdown()
    assert [r for r in rule_ids() if f"## {r}" not in page] == []
    assert "## ADR-THRESHOLD (until 7 April 2026)" in page
    assert "## ADR-THRESHOLD (from 8 April 2026)" in page
    assert "**error**: The Code names \\[name\\] as the dispute-resolution" in page


def test_the_decision_records_are_listed_in_number_order_under_developers() -> None:
    names = [p.name for p in manual_hooks.records()]
    assert names[:2] == ["0001-liblouis-not-pybraille.md", "0002-yaml-source-with-a-schema.md"]
    assert names == sorted(names)
    for path in manual_hooks.records():
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# {path.name[:4]}. ")
        assert all(f"\n## {part}\n" in text for part in ("Context", "Decision", "Consequences"))


@pytest.mark.slow
def test_the_manual_builds_strict_with_its_generated_pages(tmp_path: Path) -> None:
    site = tmp_path / "manual"
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--strict",
                           "--config-file", str(ROOT / "docs" / "manual.yml"),
                           "--site-dir", str(site)], capture_output=True, text=True,
                          check=False, env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    reference = (site / "operations" / "settings-reference.html").read_text(encoding="utf-8")
    assert "COMPLAINTS_CODE_BRAILLE__CELLS" in reference
    assert "Worker processes that render formats at once" in reference  # a docstring
    decision = site / "decisions" / "0001-liblouis-not-pybraille.html"
    assert "liblouis" in decision.read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="decisions/0001-liblouis-not-pybraille.html"' in index  # in the navigation
