"""The version now published (the source file, read afresh whenever it
changes: a release by a worker, or by ``complaints-code release``), the day
it is in the Code's own time zone, and the check of a draft against it
(kept for the last few drafts looked at: checking costs a few tenths of a
second, and a page is often shown again unchanged)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from ...legal import drafts
from ...legal.drafts import DraftCheck, Published
from ...settings import Settings
from ...timescales.calendar import WorkingCalendar

_lock = threading.Lock()
_published: dict[Path, tuple[tuple[int, int, int], Published]] = {}
_checks: OrderedDict[tuple[str, str, dt.date], DraftCheck] = OrderedDict()
KEEP = 32
"""Checks kept in memory."""


def published(settings: Settings) -> Published:
    """The version now published: the source file as it is now. Raises
    SourceError if it is not a valid Code, OSError if it cannot be read."""
    path = settings.source
    stat = os.stat(path)
    key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    with _lock:
        found = _published.get(path)
    if found is not None and found[0] == key:
        return found[1]
    version = Published.of(path.read_text(encoding="utf-8"))
    version.code  # noqa: B018 (read once, here, rather than in each caller)
    with _lock:
        _published[path] = (key, version)
    return version


def zone(settings: Settings) -> Any:
    """The Code's time zone."""
    return WorkingCalendar(published(settings).code.calendar).zone


def today(settings: Settings) -> dt.date:
    """Today, in the Code's time zone: the day a release takes effect."""
    return dt.datetime.now(zone(settings)).date()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def check(settings: Settings, text: str) -> DraftCheck:
    """A draft's source checked as it will be released after the version now
    published, today: its validation problems, or its findings."""
    version = published(settings)
    key = (_digest(text), _digest(version.text), today(settings))
    with _lock:
        found = _checks.get(key)
        if found is not None:
            _checks.move_to_end(key)
            return found
    result = drafts.check_draft(text, version.code, key[2])
    with _lock:
        _checks[key] = result
        while len(_checks) > KEEP:
            _checks.popitem(last=False)
    return result
