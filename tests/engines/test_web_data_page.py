"""The website's "Data" page: every data file, and the braille as PEF and
Unicode text, each with what it is for."""

from __future__ import annotations

from pathlib import Path

import pytest

from complaints_code.engines.web import data_page
from complaints_code.engines.web.site import data_page_markdown
from complaints_code.errors import RenderError
from complaints_code.structure.model import Code
from tests.conftest import project_settings, render


@pytest.fixture
def site(code: Code, tmp_path: Path) -> Path:
    """A site folder with the data format's files and the two braille reading files."""
    for item in render("data", code):
        item.write_into(tmp_path)
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "complaints-code.pef").write_text("<pef/>", encoding="utf-8")
    (tmp_path / "downloads" / "complaints-code-braille.txt").write_text("⠁", encoding="utf-8")
    (tmp_path / "downloads" / "complaints-code.brf").write_text("A", encoding="utf-8")
    return tmp_path


def test_the_page_lists_every_data_file_and_the_pef_and_braille_text(site: Path) -> None:
    listed = [f.path for f in data_page.data_files(site)]
    data = sorted(p.relative_to(site).as_posix() for p in (site / "data").iterdir())
    assert sorted(p for p in listed if p.startswith("data/")) == data
    assert listed[-2:] == ["downloads/complaints-code.pef",
                           "downloads/complaints-code-braille.txt"]


def test_each_file_is_linked_with_its_type_size_and_purpose(code: Code, site: Path) -> None:
    page = data_page_markdown(code, project_settings(), site)
    assert ("- [Timescales](data/complaints-code-timescales.csv) "
            '<span class="cc-filemeta">(CSV, ') in page
    assert "whether only working time counts" in page
    assert "separated by a semicolon" in page


def test_a_data_file_the_page_cannot_describe_stops_the_build(site: Path) -> None:
    (site / "data" / "complaints-code.xml").write_text("<x/>", encoding="utf-8")
    with pytest.raises(RenderError, match=r"data/complaints-code\.xml is published but the "
                                          r"Data page does not say what it is for"):
        data_page.data_files(site)
