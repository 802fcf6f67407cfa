"""Garbage collection tuned for a long-running server process (the web
server, a job worker), once it has started.

Python's collector walks every tracked object in a full collection. A
server holds hundreds of thousands of them from start-up (the Code, the
settings, the templates, FastAPI's routes and models, SQLAlchemy's tables;
a worker's renderers and fonts), none of which will ever be garbage: under
load a full collection took about a tenth of a second every two seconds,
and every request waiting then took that much longer. ``gc.freeze()`` moves
them out of the collector's sight, so a full collection walks only what was
made since.

The young generation is also allowed to grow larger before it is collected
(``gc.set_threshold``): a request makes a few thousand short-lived objects,
and with Python's default of 700 a collection falls in the middle of most
requests and promotes the objects that request still holds, which then
cost the older generations' collections. Reference cycles are still
collected, only less often.
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 20, 20)
"""Allocations before a young collection, and young (then middle)
collections before an older one (Python's defaults: 700, 10, 10)."""


def settle() -> None:
    """Collect what start-up left behind, freeze what remains (it lives as
    long as the process) and set the server's thresholds. Call it once
    start-up is done: what is made later is collected as usual."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
