"""The Changes page links each version's PDFs: the current ones, the past
ones the published site keeps under downloads/archive/<version>/, and, when a
release changes the version, the PDFs the publish step is about to archive."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from complaints_code.engines.web import site as web
from complaints_code.publish import build as publish
from complaints_code.renderers import artifact
from complaints_code.structure.model import Change, Code
from tests.conftest import build_web, project_settings

pytestmark = pytest.mark.xdist_group("web")

LISTED = [
    {"path": "downloads/complaints-code-large-print.pdf", "label": "Large print",
     "type": "PDF", "mime": "application/pdf"},
    {"path": "downloads/complaints-code-print.pdf", "label": "Standard print", "type": "PDF",
     "mime": "application/pdf"},
    {"path": "downloads/complaints-code.brf", "label": "Braille", "type": "BRF",
     "mime": "application/octet-stream"},
]


def _released(code: Code) -> Code:
    """The Code as released as version 1.1, with 1.0 in its history."""
    entry = Change(version="1.1", date=dt.date(2026, 12, 1), summary="New ADR body.",
                   approved_by="Jane Smith")
    meta = code.metadata.model_copy(update={"version": "1.1",
                                            "effective_date": dt.date(2026, 12, 1)})
    return code.model_copy(update={"metadata": meta, "changes": (*code.changes, entry)})


def _published(site: Path, version: str) -> web.Published:
    """A published site of ``version``: its PDFs, a BRF, and 0.9 in the archive."""
    (site / "downloads" / "archive" / "0.9").mkdir(parents=True)
    (site / "downloads" / "complaints-code-large-print.pdf").write_bytes(b"%PDF-1.0-large")
    (site / "downloads" / "complaints-code-print.pdf").write_bytes(b"%PDF-1.0")
    (site / "downloads" / "complaints-code.brf").write_bytes(b"brf")
    (site / "downloads" / "archive" / "0.9" / "complaints-code-print.pdf").write_bytes(b"%PDF9")
    (site / "downloads" / "archive" / "0.9" / "notes.txt").write_text("not a listed file")
    (site / "build-info.json").write_text(json.dumps({"code_version": version,
                                                       "listed": LISTED}))
    return web.Published(site, version, tuple(LISTED))


def test_the_archive_folder_is_the_one_publish_keeps() -> None:
    assert web.ARCHIVE == publish.ARCHIVE


def test_past_downloads_lists_the_archive_and_the_pdfs_a_release_will_archive(
        tmp_path: Path) -> None:
    found = web.past_downloads(_published(tmp_path, "1.0"), "1.1")
    assert [(d.version, d.path, d.label, d.size) for d in found] == [
        ("0.9", "downloads/archive/0.9/complaints-code-print.pdf", "Standard print", 5),
        ("1.0", "downloads/archive/1.0/complaints-code-large-print.pdf", "Large print", 14),
        ("1.0", "downloads/archive/1.0/complaints-code-print.pdf", "Standard print", 8)]
    assert web.past_download_source(_published(tmp_path / "x", "1.0"), found[2]) == \
        tmp_path / "x" / "downloads" / "complaints-code-print.pdf"


def test_the_same_version_again_archives_nothing_new(tmp_path: Path) -> None:
    found = web.past_downloads(_published(tmp_path, "1.1"), "1.1")
    assert [d.version for d in found] == ["0.9"]


def test_no_past_downloads_when_versions_are_not_kept(tmp_path: Path) -> None:
    assert web.past_downloads(_published(tmp_path, "1.0"), "1.1", keep_versions=False) == []


def test_no_past_downloads_without_a_published_site(tmp_path: Path) -> None:
    assert web.past_downloads(web.Published(tmp_path, "", ()), "1.1") == []


@pytest.fixture(scope="module")
def changes_page(code: Code, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("archive")
    _published(out / "site", "1.0")
    pdf = artifact("downloads/complaints-code-large-print.pdf", b"%PDF" + b"n" * 3000,
                   label="Large print", kind="PDF")
    site = build_web(_released(code), out, project_settings(out=str(out)), downloads=(pdf,))
    return (site / "changes" / "index.html").read_text(encoding="utf-8")


def test_changes_page_links_each_versions_pdfs(changes_page: str) -> None:
    assert '<a href="../downloads/archive/1.0/complaints-code-large-print.pdf">' \
        "Large print, version 1.0 (PDF, 14 bytes)</a>" in changes_page
    assert '<a href="../downloads/archive/1.0/complaints-code-print.pdf">' \
        "Standard print, version 1.0 (PDF, 8 bytes)</a>" in changes_page
    assert '<a href="../downloads/complaints-code-large-print.pdf">' \
        "Large print, version 1.1 (PDF, 3 KB)</a>" in changes_page


def test_a_version_without_kept_copies_says_how_to_ask_for_one(code: Code,
                                                               tmp_path: Path) -> None:
    page = web.changes_page_markdown(_released(code), project_settings(), [])
    assert "No copies of this version are kept on this site." in page
