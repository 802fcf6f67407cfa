"""Stopping a build (issue 19): Ctrl-C (SIGINT to the process group, as a
terminal sends it) or SIGTERM at any moment ends it with one line and 130 or
143, no traceback from the build or any worker, the published site as it
was, no staging folder and no program left running; and an audio encoder
stopped early, which exits 0 with a short file, publishes nothing.

Each build runs as the installed command does, in a session of its own, so
that a signal to its process group reaches the build and its workers and
nothing else; its programs (espeak-ng, sox) run in groups of their own, as a
terminal's Ctrl-C would not reach them either."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("interrupts")]

SOURCE = ROOT / "code_source" / "complaints-code.yaml"
COMMAND = Path(sys.executable).parent / "complaints-code"
FONT_CACHE = re.compile(r"/fontconfig/[^/\s]+\.cache-\d+$", re.MULTILINE)
"""A fontconfig cache file, as a process maps it (/proc/PID/maps)."""


def launch(*args: str, cwd: Path, marker: str) -> subprocess.Popen[str]:
    """``complaints-code ARGS`` as a user runs it (the installed command: a
    spawned worker imports its script, unlike ``python -m``), in a session of its own,
    marked so that every process it starts can be found (they inherit the
    marker)."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTS_CODE_")},
           "CC_TEST_MARKER": marker}
    return subprocess.Popen([str(COMMAND), *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def start(out: Path, *args: str, marker: str) -> subprocess.Popen[str]:
    """``complaints-code build`` of the shipped Code into ``out``."""
    return launch("build", "--source", str(SOURCE), "--out", str(out), "-q", *args,
                  cwd=out.parent, marker=marker)


def marked(marker: str) -> list[tuple[int, str, str]]:
    """Every running process started by a marked build: (pid, name, command)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"CC_TEST_MARKER={marker}".encode() not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":
                continue
            name = (entry / "comm").read_text().strip()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        found.append((int(entry.name), name, command))
    return found


def wait_for(marker: str, name: str, also: str = "", timeout: float = 120) -> int:
    """The pid of the first marked process called ``name`` (whose command
    has ``also`` in it), as soon as it runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid, comm, command in marked(marker):
            if comm == name and also in command:
                return pid
        time.sleep(0.002)
    raise AssertionError(f"no {name} process started within {timeout} s")


def laying_out(marker: str, build: int, timeout: float = 120) -> int:
    """The pid of the build's worker that lays out a PDF, once it has begun:
    WeasyPrint's first layout loads fontconfig, which maps its font caches
    (FONT_CACHE) into the worker; nothing else in the build uses fontconfig.
    The layout takes a second or more after that, so a signal sent now
    reaches the build before it can publish."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid, _, _ in marked(marker):
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (Path("/proc") / str(pid) / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) != build:
                    continue  # not a worker: a program one runs, or the build itself
                if FONT_CACHE.search((Path("/proc") / str(pid) / "maps").read_text()):
                    return pid
        time.sleep(0.002)
    raise AssertionError(f"no PDF was laid out within {timeout} s")


def encoding_a_long_track(marker: str, timeout: float = 300) -> int:
    """The pid of sox encoding a track of more than half a minute, once it
    has written part of the MP3 (and so handles SIGINT itself)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid, name, command in marked(marker):
            args = command.split()
            if name != "sox" or "-C" not in args:
                continue
            wav, mp3 = Path(args[args.index("-q") + 1]), Path(args[-1])
            with contextlib.suppress(OSError):
                if wav.stat().st_size > 30 * 22050 * 2 and mp3.stat().st_size > 8192:
                    return pid
        time.sleep(0.002)
    raise AssertionError(f"no long track was encoded within {timeout} s")


def site_state(out: Path) -> tuple[str, dict[str, str]]:
    site = out / "site"
    return os.readlink(site), {p.relative_to(site).as_posix(): hashlib.sha256(
        p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published site (the data and the text: quick to make)."""
    out = tmp_path_factory.mktemp("interrupts") / "out"
    done = start(out, "--only", "data,text", marker="setup")
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    return out


@pytest.mark.parametrize(("signum", "moment"), [
    (signal.SIGINT, "start"), (signal.SIGINT, "speaking"), (signal.SIGINT, "laying out"),
    (signal.SIGTERM, "speaking"),
])
def test_a_signal_at_any_moment_stops_the_build_in_one_line_and_changes_nothing(
        published: Path, signum: int, moment: str) -> None:
    before = site_state(published)
    marker = uuid.uuid4().hex
    build = start(published, "--force", "--only", "data,text,braille,audio,print",
                  marker=marker)
    if moment == "start":
        time.sleep(0.3)  # while the command line loads
    elif moment == "speaking":
        wait_for(marker, "espeak-ng", "--stdin")  # a worker's program is running
    else:
        laying_out(marker, build.pid)  # a worker has begun laying out the PDF
    os.killpg(build.pid, signum)
    try:
        _, err = build.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)  # only if it did not stop: clean up
        build.communicate()
    assert build.returncode == 128 + signum, err
    assert "Traceback" not in err and "Error" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    how = "Ctrl-C (SIGINT)" if signum == signal.SIGINT else "SIGTERM"
    assert lines[0] in (
        f"complaints-code build: stopped by {how}; nothing was published; the site at "
        "out/site is as it was.",
        f"complaints-code: stopped by {how}; nothing was written.")  # before the command ran
    assert site_state(published) == before
    assert not [p.name for p in published.iterdir() if p.name.startswith(".staging-")]
    time.sleep(0.5)  # the workers' ends are reaped
    assert marked(marker) == []  # no worker, speech engine or encoder left running


def test_an_encoder_stopped_early_publishes_nothing_truncated(published: Path) -> None:
    before = site_state(published)
    marker = uuid.uuid4().hex
    build = start(published, "--force", "--only", "audio", marker=marker)
    # A long track's encoder, caught half way and given a SIGINT of its own
    # (as from `kill -INT`): sox stops, closes a short MP3 and exits 0.
    sox = encoding_a_long_track(marker)
    os.kill(sox, signal.SIGSTOP)
    os.kill(sox, signal.SIGINT)
    os.kill(sox, signal.SIGCONT)
    _, err = build.communicate(timeout=600)
    assert build.returncode == 1, err
    assert "Traceback" not in err
    assert "error: the encoded track" in err and "sox stopped early (was it interrupted?)" in err
    assert site_state(published) == before  # no audio, no zip, no page listing it
    # Tracks that were whole may be kept for the next build; none that is short.
    for about in (published / ".cache" / "audio").glob("*.json"):
        seconds = json.loads(about.read_text(encoding="utf-8"))["seconds"]
        stat = subprocess.run(["sox", str(about.with_suffix(".mp3")), "-n", "stat"],
                              capture_output=True, text=True, check=True).stderr
        plays = float(stat.split("Length (seconds):")[1].split()[0])
        assert abs(plays - seconds) < 0.3, (about, plays, seconds)
