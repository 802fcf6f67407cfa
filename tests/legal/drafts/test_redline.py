"""A draft's redline is the page `complaints-code diff --format html` makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from complaints_code.cli import main
from complaints_code.legal.drafts import Edit, apply_edits, draft_redline_page
from tests.conftest import TEMPLATES


@pytest.mark.slow
def test_the_drafts_redline_is_the_diff_commands(tmp_path: Path, published_text: str,
                                                 runner: CliRunner) -> None:
    draft = apply_edits(published_text, [Edit("adr.name", "the Communications Ombudsman")])
    page = draft_redline_page(published_text, draft, TEMPLATES / "redline")
    (tmp_path / "old.yaml").write_text(published_text, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(draft, encoding="utf-8")
    result = runner.invoke(main, ["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"),
                                  "--format", "html"])
    assert result.exit_code == 0, result.output
    shown = page.replace("published version 1.0", str(tmp_path / "old.yaml")) \
        .replace("this draft", str(tmp_path / "new.yaml"))
    assert shown == result.output
    assert "As customers will read it" in page and "The Communications Ombudsman is" in page
