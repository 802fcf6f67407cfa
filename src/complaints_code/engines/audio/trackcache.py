"""The folder of spoken tracks a build keeps for the next one.

Speaking is most of an audio build's time, so a build may keep each track's
encoded file in a cache folder, named by a digest of everything the file is
made from (its speech text, title and number, the album, the audio settings
and the programs' versions: :func:`key`). A paragraph edit then speaks one
track again, not all of them.

Two formats may share one cache (the audio and the talking book, built at
once in separate processes): a lock on each entry (:func:`entry`) means a
track is spoken once; each run holds the folder's lock shared while it uses
it (:func:`shared`), records the entries it used (:func:`record`), and the
last run to finish deletes what no format's latest run used (:func:`prune`).
An entry is the encoded file and its facts (length, each part's length,
size), each written whole and renamed into place, the file first.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FORMAT = 2
"""Changes when what a cache entry holds changes (2: each part's length)."""
USERS = ".users"
"""The cache's folder of manifests: which entries each format's latest run used."""


def key(made_from: list[Any]) -> str:
    """An entry's name: a digest of everything its file is made from."""
    return hashlib.sha256(json.dumps([FORMAT, *made_from], sort_keys=True).encode()).hexdigest()


@contextmanager
def shared(cache: Path) -> Iterator[None]:
    """Hold the cache's lock shared while a run uses it (pruning needs it alone)."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        yield


@contextmanager
def entry(cache: Path, name: str) -> Iterator[None]:
    """Hold an entry's lock: another process wanting the same track waits for
    it rather than speaking it too."""
    with open(cache / f"{name}.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def fetch(cache: Path, name: str, extension: str,
          out: Path) -> tuple[float, tuple[float, ...]] | None:
    """Copy the entry's file to ``out``; its length and its parts' lengths in
    seconds. None when the cache has no whole entry under ``name``."""
    try:
        facts = json.loads((cache / f"{name}.json").read_text(encoding="utf-8"))
        clips = tuple(float(c) for c in facts["clips"])
        shutil.copyfile(cache / f"{name}{extension}", out)
        if out.stat().st_size == int(facts["size"]):  # the file checked when made
            return float(facts["seconds"]), clips
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not there, or half of it
    return None


def store(cache: Path, name: str, extension: str, made: Path, seconds: float,
          clips: tuple[float, ...]) -> None:
    """Keep the file ``made`` (checked) under ``name``, with its lengths."""
    data = made.read_bytes()
    facts = json.dumps({"seconds": seconds, "clips": clips, "size": len(data)})
    for content, path in ((data, cache / f"{name}{extension}"),
                          (facts.encode(), cache / f"{name}.json")):
        partial = path.with_name(f"{path.name}.partial-{os.getpid()}-{made.stem}")
        partial.write_bytes(content)
        os.replace(partial, path)  # the file, then its facts: a reader sees both or none


def record(cache: Path, owner: str, names: list[str]) -> None:
    """Note the entries ``owner``'s latest run used (kept by :func:`prune`)."""
    users = cache / USERS
    users.mkdir(exist_ok=True)
    partial = users / f".{owner}.partial-{os.getpid()}"
    partial.write_text(json.dumps(sorted(names)), encoding="utf-8")
    os.replace(partial, users / f"{owner}.json")


def prune(cache: Path) -> None:
    """Delete the entries no owner's latest run used, and what a killed run
    left half made, if no other run is using the cache now (else the last
    run to finish does it)."""
    with open(cache / ".lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        keep: set[str] = set()
        for manifest in (cache / USERS).glob("*.json"):
            try:
                keep.update(json.loads(manifest.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        for old in cache.iterdir():
            if old.is_file() and old.name != ".lock" and (
                    old.name.split(".")[0] not in keep or ".partial-" in old.name):
                old.unlink(missing_ok=True)
