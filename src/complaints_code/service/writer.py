"""One writer thread per process that commits writes in batches.

Every public POST is a short write. Run one transaction per request and, on
SQLite, the writers queue on the database lock and the slowest wait for
hundreds of milliseconds (the tail, not the mean, suffers). Here the requests
hand their write to one thread, which runs whatever has queued up as one
transaction (one commit, one fsync) and hands each caller its own result:
more requests per second, and a short, even wait for each.

A job that raises rolls its batch back; the batch is then run again one job
per transaction, so one bad job fails alone.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

T = TypeVar("T")
Job = Callable[[Connection], Any]
MAX_BATCH = 128


class Writer:
    """Runs write jobs (functions of a connection) in batched transactions."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._queue: queue.SimpleQueue[tuple[Job, Future[Any]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="db-writer",
                                                    daemon=True)
                    self._thread.start()

    def submit(self, job: Callable[[Connection], T]) -> Future[T]:
        """Queue a job; its future resolves once its batch has committed."""
        self._ensure_started()
        future: Future[T] = Future()
        self._queue.put((job, future))
        return future

    async def run(self, job: Callable[[Connection], T]) -> T:
        """Run a job and wait for it without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(job))

    def run_sync(self, job: Callable[[Connection], T]) -> T:
        """Run a job and wait for it (from a worker thread)."""
        return self.submit(job).result()

    def stop(self) -> None:
        """Finish the queued jobs and end the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=30)
            self._thread = None

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
            self._run_batch(batch)
            if stop:
                return

    def _run_batch(self, batch: list[tuple[Job, Future[Any]]]) -> None:
        results: list[Any] = []
        try:
            with self.engine.begin() as conn:
                for job, _ in batch:
                    results.append(job(conn))
        except Exception:
            if len(batch) == 1:
                self._run_one(*batch[0])
            else:
                for job, future in batch:
                    self._run_one(job, future)
            return
        for (_, future), result in zip(batch, results, strict=True):
            future.set_result(result)

    def _run_one(self, job: Job, future: Future[Any]) -> None:
        try:
            with self.engine.begin() as conn:
                result = job(conn)
        except BaseException as exc:
            future.set_exception(exc)
        else:
            future.set_result(result)
