"""Stopping a copy (issue 19): Ctrl-C to the process group while a copy's
speech is made in this process, or while a batch's copies are made in worker
processes, ends it with one line and 130, no traceback, nothing written (no
half-made folder, no staging) and no program left running."""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from pathlib import Path

import pytest

from tests.publish.test_interrupts import launch, laying_out, marked, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("interrupts")]


def handles_sigint(pid: int) -> bool:
    """Whether the process has a handler of its own for SIGINT (not ignored, not the default)."""
    with contextlib.suppress(OSError, StopIteration):
        status = (Path("/proc") / str(pid) / "status").read_text()
        caught = next(x for x in status.splitlines() if x.startswith("SigCgt:")).split()[1]
        return bool(int(caught, 16) & (1 << (signal.SIGINT - 1)))
    return False


def test_ctrl_c_while_a_copy_is_spoken_writes_nothing(tmp_path: Path) -> None:
    marker = uuid.uuid4().hex
    copy = launch("copy", "--format", "audio", "--out", "smith.zip", cwd=tmp_path,
                  marker=marker)
    wait_for(marker, "espeak-ng", "--stdin")
    os.killpg(copy.pid, signal.SIGINT)
    _, err = copy.communicate(timeout=120)
    assert copy.returncode == 130, err
    assert err == ("complaints-code copy: stopped by Ctrl-C (SIGINT); nothing was written; "
                   "smith.zip and its companions are as they were.\n")
    assert list(tmp_path.iterdir()) == []
    time.sleep(0.5)
    assert marked(marker) == []


@pytest.mark.parametrize("moment", ["starting", "laying out"])
def test_ctrl_c_during_a_batch_writes_nothing(tmp_path: Path, moment: str) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("format,size\n" + "large-print,24\n" * 8, encoding="utf-8")
    marker = uuid.uuid4().hex
    batch = launch("copy", "--batch", "rows.csv", "--out-dir", "copies", "--workers", "2",
                   cwd=tmp_path, marker=marker)
    deadline = time.monotonic() + 120
    while len([p for p in marked(marker) if "multiprocessing" in p[2]]) < 2:
        assert time.monotonic() < deadline, "the batch's workers did not start"
        time.sleep(0.002)
    if moment == "laying out":
        laying_out(marker, batch.pid)
    else:  # as soon as a worker handles Ctrl-C: while it imports the program, a worker
        # once printed the command's own line (its script installs the handler)
        while not any(handles_sigint(p[0]) for p in marked(marker) if "multiprocessing" in p[2]):
            assert time.monotonic() < deadline, "the batch's workers did not start"
            time.sleep(0.002)
    os.killpg(batch.pid, signal.SIGINT)
    _, err = batch.communicate(timeout=120)
    assert batch.returncode == 130, err
    assert err == ("complaints-code copy: stopped by Ctrl-C (SIGINT); nothing was written; "
                   "copies is as it was.\n")  # one line: none from a worker
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.csv"]  # no folder, no staging
    time.sleep(0.5)
    assert marked(marker) == []
