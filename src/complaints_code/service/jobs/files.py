"""Where made copies are kept: ``VAR/copies/job-N/``, readable by the
service's own user alone (folders 0700, files 0600), each file written whole
(staged, flushed and renamed into place), until the requests in it are sent
and purged.

A print run's copies are kept one by one in ``parts/`` while the run is
made, so a worker that takes over a run from one that died goes on from the
last copy made instead of starting again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ...output import write_atomic

FOLDER = "copies"
PARTS = "parts"
MEDIA_TYPES = {".pdf": "application/pdf", ".zip": "application/zip",
               ".brf": "text/plain; charset=us-ascii", ".docx":
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               ".epub": "application/epub+zip", ".txt": "text/plain; charset=utf-8",
               ".mp3": "audio/mpeg"}


def job_folder(var: Path, job: int) -> Path:
    """The folder of one job's files."""
    return var / FOLDER / f"job-{job}"


def part_path(var: Path, job: int, reference: str) -> Path:
    """Where one copy of a print run waits for the merge."""
    return job_folder(var, job) / PARTS / f"{reference}.pdf"


def private_folder(folder: Path) -> Path:
    """Make ``folder`` (inside VAR/copies) and make it and the folders up to
    VAR/copies readable by the service alone (0700)."""
    if FOLDER not in folder.parts:
        raise ValueError(f"{folder} is not inside a {FOLDER} folder")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for part in (folder, *folder.parents):
        part.chmod(0o700)
        if part.name == FOLDER:
            break
    return folder


def write_private(path: Path, data: bytes) -> Path:
    """Write a made file whole (0600, flushed to the disk, renamed into place)."""
    private_folder(path.parent)
    return write_atomic(path, data, mode=0o600, durable=True)


def made_file(var: Path, job: int, name: str) -> Path | None:
    """A job's made file, if it is on this machine."""
    if "/" in name or "\\" in name or name.startswith("."):
        return None
    path = job_folder(var, job) / name
    return path if path.is_file() else None


def media_type(name: str) -> str:
    """The media type to serve a made file with."""
    return MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def drop_parts(var: Path, job: int) -> None:
    """Remove a finished print run's single copies (the merged run stays)."""
    shutil.rmtree(job_folder(var, job) / PARTS, ignore_errors=True)


def remove(var: Path, job: int) -> bool:
    """Remove every file of a job; whether there were any."""
    folder = job_folder(var, job)
    if not folder.exists():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True


def size(path: Path) -> int:
    """A file's size in bytes (0 if it has gone)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
