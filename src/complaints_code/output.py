"""Writing outputs safely: never a half-written file in place.

Everything is written to a temporary path beside its target and renamed into
place, so a reader (a web server, an embosser queue) sees either the old file
or the new one, never part of one. Several files that belong together (a
copy and its letter) are written all or none (:func:`write_all`). Only a
regular file, or a new name, is ever written: a device, a socket, a named
pipe, a folder or a name with a control character is refused before any
work (:func:`check_target`). A location that cannot be written is an
:class:`OutputError` naming the path and the fix, never an ``OSError``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from .errors import OutputError, visible


def write_atomic(path: Path, content: bytes | str, *, mode: int = 0o644,
                 durable: bool = False) -> Path:
    """Write ``content`` to ``path`` through a temporary file and a rename.
    ``mode``: the file's permissions (0o600: its owner alone reads it);
    ``durable``: flushed to the disk before the rename, and the rename too,
    so that a power cut leaves the old file or the whole new one. Raises
    :class:`OutputError` when ``path`` cannot be written (see
    :func:`check_target`)."""
    return write_all({path: content}, mode=mode, durable=durable)[0]


def write_all(files: Mapping[Path, bytes | str], *, mode: int = 0o644,
              durable: bool = False) -> list[Path]:
    """Write several files as one: every target is checked, then every file
    is written beside its target, then all are renamed into place. If any
    cannot be written, or the process is interrupted, none is left changed:
    a file replaced already is put back. Returns the paths, in order. Raises
    :class:`OutputError` naming the path that failed. ``mode`` and
    ``durable`` as for :func:`write_atomic`."""
    targets = list(files)
    for path in targets:
        check_target(path)
        ensure_dir(path.parent)
    staged: list[tuple[Path, str]] = []
    try:
        for path in targets:
            staged.append((path, _stage(path, files[path], mode, durable)))
        _swap_in(staged)
    finally:
        for _, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
    if durable:
        for folder in dict.fromkeys(path.parent for path in targets):
            sync_dir(folder)
    return targets


def _stage(path: Path, content: bytes | str, mode: int, durable: bool) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{_short(path.name)}.", suffix=".tmp",
                                   dir=path.parent)
    except OSError as exc:
        raise _output_error(path.parent, exc) from None
    try:
        os.chmod(tmp, mode)  # before the data: a secret is never readable by others
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _output_error(path, exc) from None
        raise
    return tmp


def _swap_in(staged: list[tuple[Path, str]]) -> None:
    """Rename each staged file over its target; on any failure, put back
    what was there before (kept as a hard link until all are in place)."""
    done: list[tuple[Path, Path | None]] = []
    current = staged[0][0] if staged else Path()
    try:
        for current, tmp in staged:
            backup = None
            if len(staged) > 1 and current.is_file():
                backup = current.with_name(f".{_short(current.name)}.{os.getpid()}.previous")
                try:
                    os.link(current, backup)
                except OSError:  # a file system without hard links
                    shutil.copy2(current, backup)
            done.append((current, backup))
            os.replace(tmp, current)
    except BaseException as exc:
        for path, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                else:
                    path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _output_error(current, exc) from None
        raise
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _short(name: str) -> str:
    """At most 60 bytes of a file name, for the temporary names made from it
    (a name may have 255 bytes; the temporary one adds to it)."""
    return name.encode("utf-8", "surrogateescape")[:60].decode("utf-8", "ignore")


def check_target(path: Path) -> None:
    """Refuse, before any work, an output path that must not be written: a
    name with a control character in it (a new line, a tab, an escape), a
    folder, or anything but a regular file (a device such as /dev/full, a
    socket, a named pipe), whose replacement by a file would break what
    uses it. A path that does not exist yet is fine."""
    check_name(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return  # a new name (or a link to one)
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            _blocking_file(path.parent)
        raise _output_error(path, exc) from None
    if stat.S_ISDIR(mode):
        raise OutputError(path, "is a folder where a file is needed", "give a file name, "
                          f"e.g. {path / 'out'}{path.suffix}")
    if not stat.S_ISREG(mode):
        raise OutputError(path, f"is {_kind(mode)}, not a regular file, and is never "
                          "replaced", "give the name of a new or ordinary file")


def check_name(path: Path) -> None:
    """Refuse a path with a control character in it (a new line, a tab, an
    escape): a file so named breaks every list and script that shows it."""
    text = str(path)
    bad = next((ch for ch in text if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise OutputError(visible(text), f"the name has a control character in it "
                          f"({visible(bad)[1:-1]})", "choose a name without one")


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    return "a special file"


def sync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename into it survives a
    power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(folder: Path) -> Path:
    """Make ``folder`` (and its parents) if needed. Raises :class:`OutputError`
    when a file stands where a folder is needed or it cannot be created."""
    _blocking_file(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _output_error(folder, exc) from None
    return folder


def _blocking_file(folder: Path) -> None:
    """Raise OutputError naming a file that stands where ``folder`` or one
    of its parents must be a folder."""
    for part in (*reversed(folder.parents), folder):
        if part.exists() and not part.is_dir():
            raise OutputError(part, "is a file where a folder is needed",
                              "choose another folder, or move that file away")


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
        items = sorted(staged.iterdir())
        for item in items:  # every name checked before any file is moved
            dest = target / item.name
            if dest.is_dir():
                raise OutputError(dest, "a folder has the name of an output file",
                                  "move that folder away, or choose another output folder")
            check_target(dest)
        for item in items:
            dest = target / item.name
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
