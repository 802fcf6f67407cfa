"""The archive of past versions' files: the one rule that says which the new
site keeps (those in the published site's archive, and, when a release
changes the version, the PDFs it published), and the Changes page linking
each version's PDFs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from complaints_code.engines.web import site as web
from complaints_code.publish import archive
from complaints_code.publish.buildinfo import BuildInfo, ListedFile
from complaints_code.renderers import artifact
from complaints_code.structure.model import Change, Code
from tests.conftest import build_web, project_settings

pytestmark = pytest.mark.xdist_group("web")

LISTED = (
    ListedFile(path="downloads/complaints-code-large-print.pdf", label="Large print",
               type="PDF", mime="application/pdf"),
    ListedFile(path="downloads/complaints-code-print.pdf", label="Standard print", type="PDF",
               mime="application/pdf"),
    ListedFile(path="downloads/complaints-code.brf", label="Braille", type="BRF",
               mime="application/octet-stream"),
)


def _released(code: Code) -> Code:
    """The Code as released as version 1.1, with 1.0 in its history."""
    entry = Change(version="1.1", date=dt.date(2026, 12, 1), summary="New ADR body.",
                   approved_by="Jane Smith")
    meta = code.metadata.model_copy(update={"version": "1.1",
                                            "effective_date": dt.date(2026, 12, 1)})
    return code.model_copy(update={"metadata": meta, "changes": (*code.changes, entry)})


def _published(site: Path, version: str) -> BuildInfo:
    """A published site of ``version``: its PDFs, a BRF, and 0.9 and 0.10 in
    the archive; returns its record."""
    for old in ("0.9", "0.10"):
        (site / "downloads" / "archive" / old).mkdir(parents=True)
        (site / "downloads" / "archive" / old / "complaints-code-print.pdf").write_bytes(
            b"%PDF" + old.encode())
    (site / "downloads" / "complaints-code-large-print.pdf").write_bytes(b"%PDF-1.0-large")
    (site / "downloads" / "complaints-code-print.pdf").write_bytes(b"%PDF-1.0")
    (site / "downloads" / "complaints-code.brf").write_bytes(b"brf")
    (site / "downloads" / "archive" / "0.9" / "notes.txt").write_text("not a listed file")
    return BuildInfo(code_version=version, effective_date=dt.date(2026, 1, 1),
                     source_sha256="0" * 64, built_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                     engines={}, formats={}, listed=LISTED, files={})


def test_the_archive_keeps_what_it_has_and_the_pdfs_a_release_moves_there(
        tmp_path: Path) -> None:
    found = archive.past_downloads(tmp_path, _published(tmp_path, "1.0"), "1.1")
    assert [(a.version, a.name, a.label, a.size) for a in found] == [
        ("0.9", "downloads/archive/0.9/complaints-code-print.pdf", "Standard print", 7),
        ("0.10", "downloads/archive/0.10/complaints-code-print.pdf", "Standard print", 8),
        ("1.0", "downloads/archive/1.0/complaints-code-large-print.pdf", "Large print", 14),
        ("1.0", "downloads/archive/1.0/complaints-code-print.pdf", "Standard print", 8)]
    assert found[3].path == tmp_path / "downloads" / "complaints-code-print.pdf"


def test_the_archive_is_written_into_the_new_site_and_the_old_site_is_untouched(
        tmp_path: Path) -> None:
    found = archive.past_downloads(tmp_path / "site", _published(tmp_path / "site", "1.0"),
                                   "1.1")
    archive.write(found, tmp_path / "staging")
    kept = sorted(p.relative_to(tmp_path / "staging").as_posix()
                  for p in (tmp_path / "staging").rglob("*") if p.is_file())
    assert kept == [a.name for a in sorted(found, key=lambda a: a.name)]
    assert (tmp_path / "site" / "downloads" / "complaints-code-print.pdf").is_file()


def test_the_same_version_again_archives_nothing_new(tmp_path: Path) -> None:
    found = archive.past_downloads(tmp_path, _published(tmp_path, "1.1"), "1.1")
    assert [a.version for a in found] == ["0.9", "0.10"]


def test_no_past_downloads_when_versions_are_not_kept(tmp_path: Path) -> None:
    assert archive.past_downloads(tmp_path, _published(tmp_path, "1.0"), "1.1",
                                  keep=False) == []


def test_no_past_downloads_without_a_published_site(tmp_path: Path) -> None:
    assert archive.past_downloads(tmp_path, None, "1.1") == []


@pytest.fixture(scope="module")
def changes_page(code: Code, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("archive")
    past = archive.past_downloads(out / "site", _published(out / "site", "1.0"), "1.1")
    pdf = artifact("downloads/complaints-code-large-print.pdf", b"%PDF" + b"n" * 3000,
                   label="Large print", kind="PDF")
    site = build_web(_released(code), out, project_settings(out=str(out)), downloads=(pdf,),
                     past=tuple(past))
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
