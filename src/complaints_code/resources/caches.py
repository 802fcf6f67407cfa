"""Every process-wide cache, in one place.

The service makes copies in threads and the build in worker processes; what
one copy or build made must never change the next. So a cache here is keyed
by what its entry was made from — the SHA-256 of a file's bytes
(:func:`complaints_code.resources.content_key`), of the settings' JSON, of
the HTML laid out (:func:`key`) — or by values that are themselves the
content (a frozen settings section, a tuple of table names), never by a
file's name alone or an object's ``id``: an edited template or font is a new
key, not a stale hit.

Two kinds: :func:`memo` (a function's results, as ``functools.lru_cache``)
and :class:`Table` (objects made on demand, with a lock, for engines whose
objects are costly and not safe to make twice at once: WeasyPrint's).
:func:`clear` empties them all; tests use it, and so does the interpreter's
exit (WeasyPrint's FontConfiguration cannot be finalised once teardown has
begun).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
V = TypeVar("V")

_clearers: list[Callable[[], None]] = []


def key(*parts: str | bytes) -> str:
    """A cache key for content given in parts: one SHA-256 over them all."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def memo(maxsize: int | None = 128) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``functools.lru_cache(maxsize)``, emptied by :func:`clear`. The
    function's arguments are its key: pass content (or a content key), not
    a path."""

    def wrap(func: Callable[P, R]) -> Callable[P, R]:
        cached = functools.lru_cache(maxsize=maxsize)(func)
        _clearers.append(cached.cache_clear)
        return cached  # type: ignore[return-value]

    return wrap


class Table(Generic[V]):
    """Objects made on demand, by content key; at most ``size`` of them (the
    least recently used goes first), or any number when ``size`` is None.
    ``lock`` keeps two threads from making one entry at once."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size
        self.lock = threading.RLock()
        self._items: OrderedDict[str, V] = OrderedDict()
        _clearers.append(self.clear)

    def get(self, key: str, make: Callable[[], V]) -> V:
        """The entry under ``key``, made by ``make()`` (holding the lock) if
        there is none."""
        with self.lock:
            found = self.find(key)
            if found is None:
                found = make()
                self.put(key, found)
            return found

    def find(self, key: str) -> V | None:
        """The entry under ``key``, or None."""
        with self.lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: str, value: V) -> None:
        """Keep ``value`` under ``key`` (dropping the oldest beyond ``size``)."""
        with self.lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while self.size is not None and len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Drop every entry."""
        with self.lock:
            self._items.clear()


def clear() -> None:
    """Empty every cache of this process."""
    for clear_one in _clearers:
        clear_one()


atexit.register(clear)
