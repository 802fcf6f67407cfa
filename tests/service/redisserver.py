"""A throwaway Redis server on loopback, for the tests of the job queue
shared by several machines: Debian's redis-server (installed by
scripts/ensure-system-packages where missing) on a free port, keeping
nothing on disk, stopped and deleted at the end."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .pgcluster import ROOT, free_port


def _binary() -> str:
    for _ in range(2):
        found = shutil.which("redis-server")
        if found:
            return found
        subprocess.run([str(ROOT / "scripts" / "ensure-system-packages")], check=True)
    raise RuntimeError("Redis is not installed; run scripts/ensure-system-packages "
                       "(apt-get install redis-server)")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Start a server; yield its URL (redis://127.0.0.1:PORT/0); stop it at
    the end, whatever happens."""
    binary = _binary()
    folder = Path(tempfile.mkdtemp(prefix="cc-redis-"))
    port = free_port()
    with (folder / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start: "
                                   + (folder / "server.log").read_text()[-2000:])
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
