"""The version now published (the source file, read afresh whenever it
changes: a release by a worker, or by ``complaints-code release``), the day
it is in the Code's own time zone, and the check of a draft against it
(kept for the last few drafts looked at: checking costs a few tenths of a
second, and a page is often shown again unchanged)."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from ...legal import drafts
from ...legal.drafts import DraftCheck, Published
from ...resources import caches
from ...settings import Settings
from ...timescales.calendar import WorkingCalendar

KEEP = 32
"""Checks kept in memory."""
_published: caches.Table[Published] = caches.Table(4)
_checks: caches.Table[DraftCheck] = caches.Table(KEEP)


def published(settings: Settings) -> Published:
    """The version now published: the source file as it is now. Raises
    SourceError if it is not a valid Code, OSError if it cannot be read."""
    path = settings.source
    stat = os.stat(path)  # the file as it is now: a release replaces it (a new inode)
    key = caches.key(str(path), f"{stat.st_mtime_ns} {stat.st_size} {stat.st_ino}")
    found = _published.find(key)
    if found is not None:
        return found
    version = Published.of(path.read_text(encoding="utf-8"))
    version.code  # noqa: B018 (read once, here, rather than in each caller)
    _published.put(key, version)
    return version


def zone(settings: Settings) -> Any:
    """The Code's time zone."""
    return WorkingCalendar(published(settings).code.calendar).zone


def today(settings: Settings) -> dt.date:
    """Today, in the Code's time zone: the day a release takes effect."""
    return dt.datetime.now(zone(settings)).date()


def check(settings: Settings, text: str) -> DraftCheck:
    """A draft's source checked as it will be released after the version now
    published, today: its validation problems, or its findings."""
    version, day = published(settings), today(settings)
    key = caches.key(text, version.text, day.isoformat())
    found = _checks.find(key)
    if found is not None:
        return found
    result = drafts.check_draft(text, version.code, day)
    _checks.put(key, result)
    return result
