"""The published folder: ``OUT/site`` is a symbolic link to one complete
build, ``OUT/.site-ID``. A build is staged in ``OUT/.staging-ID``, renamed to
``OUT/.site-ID`` and then ``OUT/site`` is pointed at it with one atomic rename
of a new link over the old. A reader (a web server, a member of staff) sees
the old site or the new one, never a mixture; a build killed at any moment
leaves the old one whole, and the next build removes what it left behind.

A lock file (``OUT/.build.lock``, an advisory ``flock`` that the system
releases if the process dies) keeps two builds out of one folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BusyError, OutputError
from ..output import check_name, sync_dir

LOCK_NAME = ".build.lock"


class BuildLockedError(BusyError):
    """Another build is publishing into the same folder."""


def new_staging(out: Path) -> Path:
    """A fresh staging folder under ``out``."""
    staging = out / f".staging-{uuid.uuid4().hex[:12]}"
    (staging / "work").mkdir(parents=True)
    return staging


def prepare(out: Path) -> None:
    """Create the build folder if need be; raise OutputError if it cannot be
    created or written."""
    check_name(out)
    if out.exists() and not out.is_dir():
        what = "a file" if out.is_file() else "a device, socket or named pipe"
        raise OutputError(out, f"is {what}, not a folder", "give --out a folder") from None
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(out, "is a file, not a folder", "give --out a folder") from None
    except OSError as exc:
        raise OutputError(out, f"cannot be created ({exc.strerror})",
                          "choose a folder you can write to with --out") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(out, "is not writable", "choose a folder you can write to with --out")


@contextmanager
def locked(out: Path, wait_seconds: float, wait: Callable[[], None] | None) -> Iterator[None]:
    """Hold the build lock of ``out``: wait up to ``wait_seconds`` for another
    build (calling ``wait`` once, to say so), then raise BuildLockedError."""
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLockedError(
                        f"another build is publishing into {out}; wait for it to finish, "
                        "or give --wait SECONDS to wait for it") from None
                if wait and not told:
                    wait()
                    told = True
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def clean_leftovers(out: Path) -> None:
    """Remove what a killed build left: staging folders, and site folders
    that the link no longer points at."""
    live = live_target(out)
    for path in out.iterdir():
        if path.name.startswith((".staging-", ".site-", ".link-", ".trash-")) and path != live:
            if path.is_dir() and not path.is_symlink():
                # Renamed first, in one step: a reader still inside the old
                # build loses it whole rather than watching it empty.
                trash = out / f".trash-{uuid.uuid4().hex[:12]}"
                with contextlib.suppress(OSError):
                    os.replace(path, trash)
                    path = trash
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def live_target(out: Path) -> Path | None:
    """The build folder ``OUT/site`` points at, if it is a link."""
    site = out / "site"
    if site.is_symlink():
        return (out / os.readlink(site)).resolve()
    return None


def swap(out: Path, staging: Path) -> Path:
    """Rename the staged site into place and point OUT/site at it in one rename."""
    target = out / f".site-{staging.name.removeprefix('.staging-')}"
    os.replace(staging / "site", target)
    site = out / "site"
    if site.exists() and not site.is_symlink():
        # A site from before links: move the folder aside once (this one time
        # there is an instant with no site), then link as usual.
        os.replace(site, out / f".site-{uuid.uuid4().hex[:12]}")
    link = out / f".link-{uuid.uuid4().hex[:12]}"
    os.symlink(target.name, link)
    os.replace(link, site)
    sync_dir(out)
    clean_leftovers(out)
    return site
