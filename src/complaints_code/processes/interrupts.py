"""Stopping cleanly: Ctrl-C, SIGTERM, and the programs the engines run.

A terminal's Ctrl-C sends SIGINT to every process of the foreground process
group; ``kill -TERM -PGID`` sends SIGTERM to all of them. Either may come at
any moment. What must then hold: the command stops, says in one line what
was stopped, leaves the published site (or the previous output) as it was,
and no process prints a traceback.

- The command line's process turns both signals into an exception
  (:class:`Interrupted`, or Python's own ``KeyboardInterrupt`` for a SIGINT
  that comes before :func:`handling_signals`), so that every ``finally``
  and ``except BaseException`` on the way up removes its staging, and the
  edge prints the line. Before raising, it stops every program an engine
  runs (:func:`stop_children`), so nothing keeps working after it.
- Programs an engine runs (the speech engine, the audio encoder, git) start
  through :func:`run`, each in a process group of its own: the terminal's
  Ctrl-C does not reach them, and a program interrupted half way (sox stops
  early, and exits 0, on a SIGINT) cannot pass a short file off as whole.
  The tool stops them itself; an engine still checks what they made.
- Worker processes call :func:`worker_signals` first: on either signal
  they stop their programs and end at once, quietly; the parent sees the
  pool broken, or has raised already.
- A few steps must not be cut in two (a release's commit and tag): inside
  :func:`deferred`, a signal waits for the end of the step and is then
  raised with a note of what was completed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)
NAMES: dict[int, str] = {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}


class Interrupted(BaseException):
    """The process was asked to stop by a signal. A BaseException, so that
    ``except Exception`` blocks let it through, as they do KeyboardInterrupt."""

    def __init__(self, signum: int, after: str | None = None) -> None:
        super().__init__(signum)
        self.signum = signum
        """The signal: SIGINT or SIGTERM."""
        self.after = after
        """What had been completed when it was raised, when that matters
        (a step :func:`deferred` finished); None: nothing of it."""

    @property
    def exit_status(self) -> int:
        """128 + the signal's number: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


class _State:
    def __init__(self) -> None:
        # Re-entrant: a signal handler (which stops the children) may run in
        # the thread that holds the lock while it starts a program.
        self.lock = threading.RLock()
        self.children: set[subprocess.Popen[bytes]] = set()
        self.stopping: int | None = None
        self.deferring = 0
        self.pending: int | None = None


_state = _State()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _state.deferring:
        _state.pending = _state.pending or signum
        return
    stop_children(signum)
    raise Interrupted(signum)


@contextlib.contextmanager
def handling_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` (after stopping every
    program started with :func:`run`) while the block runs; the previous
    handlers are restored after it. Only in the main thread (elsewhere it
    does nothing, as Python allows handlers only there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.getsignal(s) for s in SIGNALS}
    for s in SIGNALS:
        signal.signal(s, _on_signal)
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        with _state.lock:
            _state.stopping = None


@contextlib.contextmanager
def deferred(after: str) -> Iterator[None]:
    """A step that must not be cut in two: a signal during it is held until
    it ends, and then raised as :class:`Interrupted` with ``after`` saying
    what was completed. An error inside the step propagates as usual."""
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1
    pending, _state.pending = _state.pending, None
    if pending is not None and not _state.deferring:
        stop_children(pending)
        raise Interrupted(pending, after)


def worker_signals() -> None:
    """In a worker process: on SIGINT or SIGTERM, stop the programs it runs
    and end at once, without a traceback (the parent cleans up). Also makes
    sure neither signal is blocked (the parent holds them while it starts
    its workers, :func:`starting_workers`)."""
    for s in SIGNALS:
        signal.signal(s, _end_worker)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


def _end_worker(signum: int, frame: FrameType | None) -> None:
    stop_children(signum)
    os._exit(128 + signum)


@contextlib.contextmanager
def starting_workers(spawn: bool) -> Iterator[None]:
    """While worker processes start in the block, keep SIGINT and SIGTERM
    from reaching them before :func:`worker_signals` handles them: both are
    held in this thread, which a forked worker inherits; a spawned one (a new
    interpreter) inherits only an ignored disposition, so with ``spawn``
    SIGINT is also ignored for these few milliseconds (SIGTERM's default,
    ending at once, prints nothing). Restored after the block."""
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    old_int = signal.getsignal(signal.SIGINT)
    main = threading.current_thread() is threading.main_thread()
    if spawn and main:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        if spawn and main:
            signal.signal(signal.SIGINT, old_int)
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)


def stop_children(signum: int = signal.SIGTERM) -> None:
    """Kill every program started with :func:`run` that is still running
    (its whole process group), and refuse to start new ones until the
    signal handling ends."""
    with _state.lock:
        _state.stopping = signum
        children = list(_state.children)
    for child in children:
        _kill(child)


def _kill(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)


def _stopping() -> int | None:
    """The signal that is stopping this process's programs, if any."""
    return _state.stopping


def run(command: Sequence[str], *, stdin: bytes | None = None, cwd: Path | None = None,
        timeout: float | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a program in a process group of its own and wait for it, with
    its output captured: :func:`subprocess.run`, except that a terminal's
    Ctrl-C does not reach the program, and it is killed (with anything it
    started) if the caller is interrupted, times out or fails. Raises
    OSError if it cannot start, subprocess.TimeoutExpired, and Interrupted
    when the process is being stopped."""
    with _state.lock:
        if _state.stopping is not None:
            raise Interrupted(_state.stopping)
        child = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, cwd=cwd, start_new_session=True)
        _state.children.add(child)
    with child:  # closes the pipes, whatever happens
        try:
            out, err = child.communicate(stdin, timeout=timeout)
        except BaseException:
            _kill(child)
            child.wait()
            raise
        finally:
            with _state.lock:
                _state.children.discard(child)
    stopping = _stopping()
    if stopping is not None and child.returncode < 0:
        raise Interrupted(stopping)  # killed by stop_children, not failed
    return subprocess.CompletedProcess(list(command), child.returncode, out, err)
