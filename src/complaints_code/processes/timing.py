"""Where a render's time goes: the engines name the costly parts of their
work (laying out, tagging, translating, encoding ...) as phases, and the
build records each format's phases in ``build-info.json``, so that the
costly parts of a build are visible (``make bench`` prints them).

Per process: a worker collects the phases of the one format it rendered
(:func:`collect`). Phases run on several threads at once (the audio's
tracks) add up their threads' time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_spent: dict[str, float] = {}


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Count the time of the ``with`` block towards the phase ``name``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        took = time.perf_counter() - started
        with _lock:
            _spent[name] = _spent.get(name, 0.0) + took


def collect() -> dict[str, float]:
    """The seconds spent in each phase since the last call, in the order the
    phases were first entered; the count starts again."""
    with _lock:
        spent = dict(_spent)
        _spent.clear()
    return spent
