"""Writing outputs safely: never a half-written file in place.

Everything is written to a temporary path beside its target and renamed into
place, so a reader (a web server, an embosser queue) sees either the old file
or the new one, never part of one. A location that cannot be written is an
:class:`OutputError` naming the path and the fix, never an ``OSError``.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from .errors import OutputError


def write_atomic(path: Path, content: bytes | str, *, mode: int = 0o644,
                 durable: bool = False) -> Path:
    """Write ``content`` to ``path`` through a temporary file and a rename.
    ``mode``: the file's permissions (0o600: its owner alone reads it);
    ``durable``: flushed to the disk before the rename, and the rename too,
    so that a power cut leaves the old file or the whole new one. Raises
    :class:`OutputError` when ``path`` cannot be written."""
    ensure_dir(path.parent)
    if path.is_dir():
        raise OutputError(path, "is a folder where a file is needed", "give a file name, "
                          f"e.g. {path / 'out'}{path.suffix}")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _output_error(path.parent, exc) from None
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
        if durable:
            _sync_dir(path.parent)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _output_error(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(folder: Path) -> Path:
    """Make ``folder`` (and its parents) if needed. Raises :class:`OutputError`
    when a file stands where a folder is needed or it cannot be created."""
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            raise OutputError(part, "is a file where a folder is needed",
                              "choose another folder, or move that file away")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _output_error(folder, exc) from None
    return folder


def check_writable_dir(folder: Path) -> None:
    """Refuse, before any work starts, a folder that cannot be written into."""
    ensure_dir(folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(folder, "the folder is not writable",
                          "choose a folder you can write to, or ask for write permission")


def staging_dir(target: Path) -> Path:
    """A new empty folder beside ``target``, for writing a whole set of files
    that is then swapped into place with :func:`publish_dir`."""
    parent = ensure_dir(target.parent)
    try:
        staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".staging", dir=parent))
        staged.chmod(0o755)  # mkdtemp's 0700 would become the published folder's mode
    except OSError as exc:
        raise _output_error(parent, exc) from None
    return staged


def publish_dir(staged: Path, target: Path) -> list[Path]:
    """Move every file of ``staged`` into ``target`` (made if needed),
    replacing files of the same name, and remove ``staged``. Each file is
    renamed in one step on the same file system; the caller has already
    written all of them, so a failed render never reaches ``target``. A new
    folder appears whole, in one rename."""
    if not target.exists():
        ensure_dir(target.parent)
        try:
            names = sorted(item.name for item in staged.iterdir())
            os.replace(staged, target)  # one rename: the whole set appears at once
        except OSError as exc:
            shutil.rmtree(staged, ignore_errors=True)
            raise _output_error(target, exc) from None
        return [target / name for name in names]
    ensure_dir(target)
    moved = []
    try:
        for item in sorted(staged.iterdir()):
            dest = target / item.name
            if dest.is_dir():
                raise OutputError(dest, "a folder has the name of an output file",
                                  "move that folder away, or choose another output folder")
            os.replace(item, dest)
            moved.append(dest)
    except OSError as exc:
        raise _output_error(target, exc) from None
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return moved


def _output_error(path: Path, exc: OSError) -> OutputError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(path, "permission denied",
                           "choose a folder you can write to, or ask for write permission")
    if exc.errno == errno.ENOTDIR:
        return OutputError(path, "part of the path is a file, not a folder",
                           "choose another folder, or move that file away")
    if exc.errno == errno.EISDIR:
        return OutputError(path, "is a folder where a file is needed", "give a file name")
    if exc.errno == errno.ENOSPC:
        return OutputError(path, "the disk is full", "free some space and try again")
    return OutputError(path, exc.strerror or str(exc), "choose another location")


def human_size(size: int) -> str:
    """A file size as people read it: "880 bytes", "212 KB", "1.4 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"
