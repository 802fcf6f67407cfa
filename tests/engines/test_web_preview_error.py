"""`make preview` (mkdocs serve) with a mistake in the source: the build does
not fail, so the browser is not left waiting; every page shows the mistake
with its file:line:col and how to fix it, and the Code comes back when the
mistake is fixed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("web")]


def _project(tmp_path: Path, source_text: str) -> Path:
    """A copy of the project's website inputs, with its own source to break."""
    for name in ("docs", "templates", "src"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copy(ROOT / "complaints-code.toml", tmp_path / "complaints-code.toml")
    (tmp_path / "code_source").mkdir()
    (tmp_path / "code_source" / "complaints-code.yaml").write_text(source_text, encoding="utf-8")
    return tmp_path


def _preview_build(project: Path) -> subprocess.CompletedProcess[str]:
    """What mkdocs serve runs on each save: a build of mkdocs.yml with its hooks."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    return subprocess.run([str(mkdocs), "build", "-q", "-f", str(project / "mkdocs.yml"),
                           "-d", str(project / "site")], cwd=project, capture_output=True,
                          text=True, check=False, timeout=300)


def test_a_yaml_mistake_is_shown_in_the_page_with_its_place_and_fix(
        tmp_path: Path, source_text: str) -> None:
    broken = source_text.replace('  version: "1.0"\n', '  version "1.0"\n', 1)
    line = broken.splitlines().index('  version "1.0"') + 1
    project = _project(tmp_path, broken)
    result = _preview_build(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"the-code-source-has-a-mistake\">The Code source has a mistake</h1>" in page
    assert f"<code>code_source/complaints-code.yaml:{line}:3</code>" in page
    assert "a field name is missing its colon" in page
    assert "<strong>How to fix it:</strong> put a colon and a space after the field name" in page
    assert 'role="alert"' in page
    accessibility = (project / "site" / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert "The Code source has a mistake" in accessibility


def test_a_model_mistake_is_shown_with_its_field(tmp_path: Path, source_text: str) -> None:
    project = _project(tmp_path, source_text.replace("    number: 3\n", "    number: three\n", 1))
    assert _preview_build(project).returncode == 0
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "stages[2].number" in page and "expected a whole number" in page


def test_the_fixed_source_shows_the_code_again(tmp_path: Path, source_text: str) -> None:
    project = _project(tmp_path, source_text)
    assert _preview_build(project).returncode == 0
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "The Code source has" not in page
    assert "Customer Complaints Code" in page
