"""The staged site's checks before it is published (issue 19: engines are
trusted only after their output is checked): an archive (the audio zip, the
EPUB, the Word document) is read back member by member, an audio file must
begin as its format does; and a build asked for no format is refused."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from complaints_code.errors import UsageError
from complaints_code.publish import buildinfo, publish
from complaints_code.publish.buildinfo import BuildInfo, FormatRecord
from complaints_code.publish.checks import BuildError, verify
from tests.conftest import project_settings


def archive(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for name, data in members:
            z.writestr(name, data)
    return buffer.getvalue()


def staged(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """A staged site holding ``files``, recorded as a build records them."""
    site = tmp_path / "site"
    for name, data in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
    buildinfo.write(site, BuildInfo(
        code_version="1.0", effective_date=dt.date(2026, 11, 25), source_sha256="0" * 64,
        built_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC), engines={},
        formats={"audio": FormatRecord(fingerprint="", files=tuple(files), seconds=0,
                                       reused=False)},
        listed=(), files=buildinfo.file_records(site)))
    return site


WHOLE = archive(("a/1.mp3", b"ID3" + bytes(2000)), ("a/list.m3u", b"#EXTM3U\n" * 50))


def test_whole_archives_and_audio_files_pass(tmp_path: Path) -> None:
    verify(staged(tmp_path, {"downloads/a.zip": WHOLE, "downloads/b.epub": WHOLE,
                             "downloads/audio/1.mp3": b"ID3" + bytes(100),
                             "downloads/audio/2.opus": b"OggS" + bytes(100)}))


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("downloads/a.zip", WHOLE[: len(WHOLE) // 2], "not a whole archive (File is not a zip "
     "file)"),
    ("downloads/c.docx", WHOLE.replace(b"#EXTM3U", b"#EXTM3X", 1), "the archive's member "
     "a/list.m3u is damaged"),
    ("downloads/b.epub", archive(), "the archive is empty"),
    ("downloads/audio/1.mp3", b"<html>not found</html>", "not an MP3 file (it does not begin "
     "as one)"),
])
def test_a_damaged_archive_or_audio_file_is_not_published(tmp_path: Path, name: str,
                                                          data: bytes, problem: str) -> None:
    with pytest.raises(BuildError) as caught:
        verify(staged(tmp_path, {name: data}))
    assert str(caught.value) == ("the built site failed its checks, so it was not published:\n"
                                 f"{name}: {problem}")


def test_a_build_of_no_format_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    settings = project_settings(out=str(tmp_path / "out"))
    with pytest.raises(UsageError, match="no format was asked for"):
        publish(None, settings, [])  # type: ignore[arg-type]  # refused before the Code is read
    assert not (tmp_path / "out").exists()
