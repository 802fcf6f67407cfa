"""The project's own documentation: it cites only its own files, and every
pointer in the source and the rules leads to something that exists."""

from __future__ import annotations

import re
import subprocess

import yaml

from tests.conftest import ROOT, SOURCE


def test_nothing_we_publish_or_ship_cites_files_outside_the_repository() -> None:
    found = subprocess.run(["git", "grep", "-n", "shared/", "--", "README.md", "docs",
                            "code_source", "templates", "src"],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    assert found.stdout == ""


def test_the_source_header_points_to_the_manual_page_on_editing_it() -> None:
    header = SOURCE.read_text(encoding="utf-8").split("\nschema_version", 1)[0]
    pointer = re.search(r"See (docs/manual/\S+\.md)\.", header)
    assert pointer is not None
    page = (ROOT / pointer.group(1)).read_text(encoding="utf-8")
    assert page.startswith("# Editing the source\n")


def test_the_counting_time_page_is_in_the_navigation_and_cited() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "!!python", "#"))
    assert "counting-time.md" in config["nav"]
    page = (ROOT / "docs" / "counting-time.md").read_text(encoding="utf-8")
    for clock in ("### Working hours", "### Clock hours", "### Working days",
                  "### Calendar weeks", "08:30 to 17:30, Monday to Friday",
                  "**2 working days and 6 hours**"):
        assert clock in page
    legal = (ROOT / "docs" / "manual" / "legal" / "index.md").read_text(encoding="utf-8")
    rules_file = ROOT / "src" / "complaints_code" / "legal" / "lint" / "rules.yaml"
    rules = rules_file.read_text(encoding="utf-8")
    assert "docs/counting-time.md" in legal and "docs/counting-time.md" in rules
