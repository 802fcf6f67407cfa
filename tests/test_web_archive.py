"""The Changes page links each version's PDFs that the published site keeps:
the current ones from downloads/, past ones from downloads/archive/<version>/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from complaints_code.engines import web
from complaints_code.model import Change, Code
from complaints_code.renderers import RenderOptions

from .conftest import ROOT

pytestmark = pytest.mark.xdist_group("web")

OPTIONS = RenderOptions(source=ROOT / "code_source" / "complaints-code.yaml",
                        templates=ROOT / "templates")


def _released(code: Code) -> Code:
    """The Code as released as version 1.1, with 1.0 in its history."""
    entry = Change(version="1.1", date=dt.date(2026, 12, 1), summary="New ADR body.",
                   approved_by="Jane Smith")
    return code.model_copy(update={
        "metadata": code.metadata.model_copy(update={"version": "1.1",
                                                      "effective_date": dt.date(2026, 12, 1)}),
        "changes": (*code.changes, entry)})


@pytest.fixture(scope="module")
def site(code: Code, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("archive")
    downloads = out / "site" / "downloads"
    (downloads / "archive" / "1.0").mkdir(parents=True)
    (downloads / "complaints-code-large-print.pdf").write_bytes(b"%PDF" + b"n" * 3000)
    (downloads / "archive" / "1.0" / "complaints-code-large-print.pdf").write_bytes(b"%PDF-old")
    (downloads / "archive" / "1.0" / "complaints-code-print.pdf").write_bytes(b"%PDF-old2")
    (downloads / "archive" / "1.0" / "notes.txt").write_text("not a listed download")
    web.render(_released(code), OPTIONS, out)
    return out / "site"


def test_past_downloads_lists_only_listed_files_of_each_archived_version(site: Path) -> None:
    found = web.past_downloads(site, OPTIONS.templates)
    assert [(d.version, d.path, d.label, d.size) for d in found] == [
        ("1.0", "downloads/archive/1.0/complaints-code-large-print.pdf", "Large print", 8),
        ("1.0", "downloads/archive/1.0/complaints-code-print.pdf", "Standard print", 9)]


def test_past_downloads_of_a_site_without_an_archive_is_empty(tmp_path: Path) -> None:
    assert web.past_downloads(tmp_path, OPTIONS.templates) == []


def test_changes_page_links_each_versions_pdfs(site: Path) -> None:
    page = (site / "changes" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../downloads/archive/1.0/complaints-code-large-print.pdf">' \
        "Large print, version 1.0 (PDF, 8 bytes)</a>" in page
    assert '<a href="../downloads/archive/1.0/complaints-code-print.pdf">' \
        "Standard print, version 1.0 (PDF, 9 bytes)</a>" in page
    assert '<a href="../downloads/complaints-code-large-print.pdf">' \
        "Large print, version 1.1 (PDF, 3 KB)</a>" in page


def test_the_archive_is_kept_and_the_code_page_links_only_current_copies(site: Path) -> None:
    assert (site / "downloads/archive/1.0/complaints-code-print.pdf").read_bytes() == b"%PDF-old2"
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "archive/" not in page
    assert 'href="downloads/complaints-code-large-print.pdf"' in page
