"""Running queued jobs in the test's own process, as a worker process runs
them: the real queue (Huey on the test's SQLite file), the real tasks."""

from __future__ import annotations

import time
from collections.abc import Callable

from complaints_code.service.jobs import JobQueue
from complaints_code.settings import Settings


def drain(settings: Settings, until: Callable[[], bool] = lambda: True,
          timeout: float = 60, queue: JobQueue | None = None) -> JobQueue:
    """Run every task on the queue, and each delayed one once it is due,
    until the queue is empty and ``until()`` holds; the queue."""
    queue = queue or JobQueue(settings)
    deadline = time.monotonic() + timeout
    while True:
        for task in queue.huey.read_schedule():
            queue.huey.enqueue(task)
        task = queue.huey.dequeue()
        if task is not None:
            queue.huey.execute(task)
            continue
        if until():
            return queue
        if time.monotonic() > deadline:
            raise AssertionError(f"the queue did not finish within {timeout} s")
        time.sleep(0.05)
