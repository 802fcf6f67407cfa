"""Resources are found through the settings, and caches follow the files'
content: a long-running process (the service) sees an edited template."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pytest

from complaints_code.resources import ResourceError, resources
from complaints_code.structure.model import Code
from tests.conftest import TEMPLATES, project_settings, render


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return " ".join(page.extract_text() or "" for page in doc.pages)


@pytest.mark.slow
def test_an_edited_template_is_seen_by_the_same_process(code: Code, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    settings = project_settings(templates=templates)
    (before,) = render("print", code, settings)
    page = templates / "print" / "code.html.j2"
    page.write_text(page.read_text(encoding="utf-8").replace(
        '<h2 id="contents">Contents</h2>', '<h2 id="contents">What is in this Code</h2>'),
        encoding="utf-8")
    (after,) = render("print", code, settings)
    assert "What is in this Code" not in _text(before.data())
    assert "What is in this Code" in _text(after.data())


@pytest.mark.slow
def test_an_edited_stylesheet_is_seen_by_the_same_process(code: Code, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    settings = project_settings(templates=templates)
    (before,) = render("print", code, settings)
    css = templates / "print" / "code.css.j2"
    css.write_text(css.read_text(encoding="utf-8") + "\nh2 { font-size: 40pt; }\n",
                   encoding="utf-8")
    (after,) = render("print", code, settings)
    with pdfplumber.open(io.BytesIO(after.data())) as doc:
        assert max(c["size"] for page in doc.pages for c in page.chars) >= 39.9
    assert before.data() != after.data()


def test_a_missing_font_is_named_with_the_fix(tmp_path: Path) -> None:
    res = resources(project_settings(templates=tmp_path))
    with pytest.raises(ResourceError) as caught:
        res.font("AtkinsonHyperlegible-Regular.ttf")
    assert str(caught.value) == (
        f"{tmp_path / 'fonts' / 'AtkinsonHyperlegible-Regular.ttf'}: the font is missing; "
        "restore it from the repository or check the templates setting "
        "(complaints-code config)")


def test_the_docs_folder_is_the_mkdocs_docs_dir_beside_its_config(tmp_path: Path) -> None:
    config = tmp_path / "site.yml"
    config.write_text("site_name: x\ndocs_dir: pages  # hand-written\n", encoding="utf-8")
    assert resources(project_settings(mkdocs_config=config)).docs == tmp_path / "pages"
