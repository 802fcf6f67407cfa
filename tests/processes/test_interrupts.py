"""complaints_code.interrupts, in this process: a signal raises Interrupted
and stops the programs started through run() (killed with their whole
process group, not left running); a step under deferred() is not cut in two
and says what it completed; programs start in process groups of their own."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from complaints_code.processes.interrupts import Interrupted, deferred, handling_signals, run


def signal_soon(signum: int, after: float = 0.3) -> threading.Timer:
    timer = threading.Timer(after, os.kill, (os.getpid(), signum))
    timer.start()
    return timer


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_a_running_program_and_everything_it_started(
        tmp_path: Path, signum: int) -> None:
    pids = tmp_path / "pids"
    script = f"sleep 30 & echo $! > {pids}; echo $$ >> {pids}; wait"
    with handling_signals(), pytest.raises(Interrupted) as caught:
        signal_soon(signum, 0.5)
        run(["sh", "-c", script])
    assert caught.value.signum == signum and caught.value.exit_status == 128 + signum
    time.sleep(0.2)
    for pid in map(int, pids.read_text().split()):  # the shell and its sleep: both ended
        assert not running(pid)


def running(pid: int) -> bool:
    """Whether a process runs (a zombie, ended and not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_program_runs_in_a_process_group_of_its_own() -> None:
    done = run(["sh", "-c", "ps -o pgid= -p $$"])
    assert int(done.stdout) != os.getpgrp()


def test_a_step_that_must_not_be_cut_finishes_then_says_what_it_completed() -> None:
    finished = []
    with handling_signals(), pytest.raises(Interrupted) as caught, deferred("the file was "
                                                                            "written"):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)  # the signal has come, and waits
        finished.append(True)
    assert finished == [True]
    assert (caught.value.signum, caught.value.after) == (signal.SIGINT, "the file was written")


def test_outside_such_a_step_a_signal_stops_at_once() -> None:
    reached = []
    with handling_signals(), pytest.raises(Interrupted) as caught:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)
        reached.append(True)
    assert reached == [] and caught.value.after is None
