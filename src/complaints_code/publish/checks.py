"""The checks a staged site must pass before it is published: every file its
record lists is present, non-empty and unchanged since it was recorded; PDFs
are whole; HTML pages end; archives (the audio zip, the EPUB, the Word
document) read back whole, member by member; audio files begin as their
format does. No engine is trusted on its exit status alone: the audio
engine also decodes each track it made (``engines.audio.synth``)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from ..errors import ComplaintsCodeError
from . import buildinfo
from .buildinfo import FileRecord


class BuildError(ComplaintsCodeError):
    """A format failed, or the build did not pass its checks; nothing was published."""


def verify(site: Path) -> None:
    """Check a staged site. Raises BuildError naming every problem."""
    info = buildinfo.read(site)
    if info is None:
        raise BuildError(f"{site / buildinfo.INFO_NAME}: missing or unreadable")
    problems = []
    for rel, meta in info.files.items():
        problems += [f"{rel}: {p}" for p in file_problems(site / rel, meta)]
    for name, entry in info.formats.items():
        if not entry.files:
            problems.append(f"{name}: the format produced no file")
    if "web" in info.formats and not (site / "index.html").is_file():
        problems.append("index.html: the website's page is missing")
    if problems:
        raise BuildError("the built site failed its checks, so it was not published:\n"
                         + "\n".join(problems))


def file_problems(path: Path, meta: FileRecord) -> list[str]:
    """What is wrong with one file of a staged site ([] if nothing)."""
    if not path.is_file():
        return ["missing"]
    data = path.read_bytes()
    if not data:
        return ["empty"]
    if len(data) != meta.size or hashlib.sha256(data).hexdigest() != meta.sha256:
        return ["changed after it was recorded"]
    if path.suffix == ".pdf" and not (data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]):
        return ["not a whole PDF"]
    if path.suffix == ".html" and not data.rstrip().lower().endswith(b"</html>"):
        return ["the HTML page does not end with </html>"]
    if path.suffix in ARCHIVES:
        return _archive_problems(data)
    if path.suffix in AUDIO and not data.startswith(AUDIO[path.suffix]):
        return [f"not an {path.suffix[1:].upper()} file (it does not begin as one)"]
    return []


ARCHIVES = frozenset({".zip", ".epub", ".docx"})
"""Files that are zip archives, read back whole before they are published."""
AUDIO = {".mp3": (b"ID3", b"\xff"), ".opus": (b"OggS",)}
"""How an audio file of each kind begins (MP3: its tags, or a frame)."""


def _archive_problems(data: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            damaged = archive.testzip()  # reads every member and checks its CRC
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        return [f"not a whole archive ({exc})"]
    if damaged is not None:
        return [f"the archive's member {damaged} is damaged"]
    if not members:
        return ["the archive is empty"]
    return []
