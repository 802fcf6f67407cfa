"""The one pool of worker processes, for the build.

Started when there is work, or as soon as a build knows it may have some
(:meth:`Pool.start`), with one worker per core unless told otherwise. A
worker starts warm: it imports the slow engines named to it (WeasyPrint,
MkDocs) while the parent is still checking the source, so that the work does
not wait for them. Tasks carry their own arguments, the Code among them: the
parent loads and validates the source once, and each task takes the model
as it is (about 10 KB pickled), rather than every worker reading and
validating the file again. Work that fails in a worker comes back as a typed
error (``WorkerError``) rather than an exception that may not pickle.

fork when this process has not loaded WeasyPrint (the command line): a forked
worker starts in milliseconds and shares the imports already made. spawn
otherwise (a long-running process that has rendered PDFs): WeasyPrint's
fontconfig and cairo state is not safe to fork.

Ctrl-C reaches every worker with the parent (the terminal signals the whole
process group), and SIGTERM may too: a worker then stops the programs it
runs and ends at once, without a traceback. Workers start with both signals
held, so one cannot catch a worker half-started; the parent, interrupted or
failing, ends its workers itself rather than waiting for their work.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ParamSpec, TypeVar

from ..errors import ComplaintsCodeError, InputError
from .interrupts import starting_workers, worker_signals

P = ParamSpec("P")
R = TypeVar("R")

__all__ = ["BrokenProcessPool", "Pool", "WorkerFailed", "cores", "guarded", "terminate"]


class WorkerFailed(ComplaintsCodeError):
    """A task failed in a worker; ``kind`` is "input" for input the task
    refused (with its file position), "failed" otherwise."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


def cores(wanted: int | None = None) -> int:
    """Worker processes to start: ``wanted``, else one per core this process may use."""
    return wanted or len(os.sched_getaffinity(0)) or 1


def _init(warm: tuple[str, ...]) -> None:
    worker_signals()  # first: a signal from here on ends the worker quietly
    for module in warm:
        # A missing engine is the renderer's to report, with its own message.
        with contextlib.suppress(ImportError):
            importlib.import_module(module)


def _ready() -> None:
    """A task that does nothing: submitted to start the workers."""


def guarded(task: Callable[..., R], *args: Any) -> R | tuple[str, str]:
    """Run ``task`` in a worker and return its result, or ("input" | "failed",
    message) for an error: not every exception pickles, and the message (with
    its file position) is what matters."""
    try:
        return task(*args)
    except InputError as exc:
        return ("input", str(exc))
    except ComplaintsCodeError as exc:
        return ("failed", str(exc))
    except Exception as exc:  # a bug: report it, don't hide it
        return ("failed", f"internal error: {type(exc).__name__}: {exc}")


def unpack(result: R | tuple[str, str]) -> R:
    """A worker's result, or its error raised as WorkerFailed."""
    if isinstance(result, tuple) and len(result) == 2 and result[0] in ("input", "failed"):
        raise WorkerFailed(result[0], result[1])
    return result  # type: ignore[return-value]


def _context() -> multiprocessing.context.BaseContext:
    if "weasyprint" in sys.modules:
        return multiprocessing.get_context("spawn")
    return multiprocessing.get_context("fork")


class Pool:
    """Worker processes, started at the first ``submit`` (or ``start``); at
    most ``jobs`` of them (and no more than ``cores(workers)``), each of which
    imports the modules ``warm`` as it starts. Use as a context manager:
    leaving it waits for the workers and cancels what has not started."""

    def __init__(self, jobs: int, workers: int | None = None, *, warm: tuple[str, ...] = ()):
        self.jobs, self.workers, self.warm = jobs, workers, warm
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers now (they warm up while this process goes on)."""
        if self._pool is None:
            self.submit(_ready)

    def submit(self, task: Callable[..., R], *args: Any) -> Future[R | tuple[str, str]]:
        """Run ``task(*args)`` in a worker (through :func:`guarded`)."""
        # Workers start here (at a submit): with the signals held, so that
        # each begins with them held until its _init handles them.
        context = _context()
        with starting_workers(spawn=context.get_start_method() == "spawn"):
            if self._pool is None:
                count = max(1, min(self.jobs, cores(self.workers)))
                self._pool = ProcessPoolExecutor(count, mp_context=context,
                                                 initializer=_init, initargs=(self.warm,))
            return self._pool.submit(guarded, task, *args)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self._pool is None:
            return
        if kind is not None:  # interrupted, or a task failed: nothing more is wanted
            self.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """End every worker now (each stops the programs it runs first)."""
        if self._pool is not None:
            terminate(self._pool)


STOP_SECONDS = 5.0
"""How long ended workers get to stop their programs before they are killed."""


def terminate(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now, cancelling what has not started: for a
    pool whose work is no longer wanted (interrupted, or failed)."""
    # ProcessPoolExecutor has no public way to end its workers (3.14 adds
    # terminate_workers); its process table is the one way in.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, AttributeError):
            process.terminate()  # each stops its programs, then ends
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        with contextlib.suppress(OSError, AttributeError, ValueError):
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():  # stuck: never wait for it
                process.kill()
                process.join(1)
