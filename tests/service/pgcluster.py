"""A throwaway PostgreSQL server on loopback, for the tests and the
benchmarks: Debian's PostgreSQL (installed by scripts/ensure-system-packages
where missing), a fresh cluster in a temporary folder, on a free port,
stopped and deleted at the end.

PostgreSQL refuses to run as root, so as root the cluster belongs to the
``postgres`` user (``runuser``); as any other user, to that user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bin() -> Path:
    for _ in range(2):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                       key=lambda p: int(Path(p).parts[-3]))
        if found:
            return Path(found[-1]).parent
        subprocess.run([str(ROOT / "scripts" / "ensure-system-packages"), "test"], check=True)
    raise RuntimeError("PostgreSQL is not installed; run scripts/ensure-system-packages test "
                       "(apt-get install postgresql)")


@dataclass(frozen=True)
class Cluster:
    """A running server."""

    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for one of its databases."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database; return its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def cluster(*, durable: bool = False) -> Iterator[Cluster]:
    """Start a server (``durable``: with fsync, as in production; else
    without, for speed) and stop it at the end, whatever happens."""
    binaries = _bin()
    folder = Path(tempfile.mkdtemp(prefix="cc-pg-"))
    runner: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        runner = ["runuser", "-u", "postgres", "--"]
    data, log = folder / "data", folder / "server.log"
    port = free_port()
    options = f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=200"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    started = False
    try:
        subprocess.run([*runner, str(binaries / "initdb"), "-D", str(data), "-A", "trust",
                        "-U", "postgres", "-E", "UTF8", "--no-sync"],
                       check=True, capture_output=True)
        subprocess.run([*runner, str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
                        "-l", str(log), "-w", "-t", "60", "start"],
                       check=True, capture_output=True)
        started = True
        yield Cluster(port, folder)
    finally:
        if started:
            subprocess.run([*runner, str(binaries / "pg_ctl"), "-D", str(data), "-m",
                            "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
