"""Running the workers: Huey's consumer with worker processes (each makes
one copy at a time, so no native renderer is ever used from two threads, and
a renderer that crashes takes one worker process with it, never the web
server), a scheduler process that also sweeps up lost work, and a health
check that starts a new worker process in place of one that died.

Signals: SIGTERM stops gracefully (each worker finishes the copy it is
making, for up to ``SHUTDOWN_SECONDS``); SIGINT stops at once (a job cut
short goes back to the queue). A consumer started by ``serve`` stops when
``serve`` does.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from typing import Any

from huey.consumer import Consumer, Scheduler

from ...settings import Settings
from .queue import JobQueue

log = logging.getLogger("complaints_code.service.jobs")
SHUTDOWN_SECONDS = 20
"""How long a graceful stop waits for the copies being made."""
HEALTH_CHECK_SECONDS = 2
"""How often the consumer looks for a worker process that died."""
POLL_SECONDS = (0.05, 0.25)
"""How often an idle worker looks at the SQLite queue: first after 0.05 s,
the wait growing to at most a quarter of a second (Huey's own default grows
to 10 s, which a member of staff pressing "Make copy" after a quiet spell
would wait for). A look is one small read of a local file. Redis hands a job
to a waiting worker at once."""


def sweep_seconds(settings: Settings) -> float:
    """How often the scheduler sweeps: a third of the lease, at least 1 s."""
    return max(1.0, settings.service.job_lease_seconds / 3)


class SweepingScheduler(Scheduler):  # type: ignore[misc]
    """Huey's scheduler (which puts delayed tasks on the queue when they are
    due), sweeping up lost work as well: at start-up, then every few seconds."""

    def __init__(self, *args: Any, sweep: Callable[[], object], every: float,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sweep = sweep
        self.every = every
        self.next_sweep = 0.0

    def loop(self, now: Any = None) -> None:
        if time.monotonic() >= self.next_sweep:
            self.next_sweep = time.monotonic() + self.every
            try:
                self.sweep()
            except Exception:
                log.exception("the sweep failed; it runs again in %.0f s", self.every)
        super().loop(now)


class Workers(Consumer):  # type: ignore[misc]
    """The consumer: worker processes, the sweeping scheduler, and (when
    ``parent`` is given) a stop when that process has gone."""

    def __init__(self, queue: JobQueue, count: int, parent: int | None = None):
        self.queue = queue
        self.parent = parent
        super().__init__(queue.huey, workers=count, worker_type="process", periodic=False,
                         check_worker_health=True,
                         health_check_interval=HEALTH_CHECK_SECONDS,
                         graceful_signal="TERM", shutdown_timeout=SHUTDOWN_SECONDS,
                         initial_delay=POLL_SECONDS[0], max_delay=POLL_SECONDS[1])

    def _create_scheduler(self) -> Scheduler:
        return SweepingScheduler(huey=self.huey, stop_flag=self.stop_flag,
                                 interval=self.scheduler_interval, periodic=self.periodic,
                                 sweep=self.queue.sweep,
                                 every=sweep_seconds(self.queue.settings))

    def loop(self, health_check_ts: Any = None) -> Any:
        stopping = getattr(self, "_signum", None) is not None
        if self.parent is not None and os.getppid() != self.parent and not stopping:
            log.warning("the service that started these workers has stopped; stopping")
            self._signum, self._restart, self._graceful = signal.SIGTERM, False, True
        return super().loop(health_check_ts)


def run(settings: Settings, count: int, parent: int | None = None) -> None:
    """Run ``count`` worker processes until stopped (a signal, or ``parent``
    gone)."""
    queue = JobQueue(settings)
    Workers(queue, count, parent).run()
