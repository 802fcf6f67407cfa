"""Running ``complaints-code serve`` as a real server process on loopback,
and a load generator for it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from .pgcluster import free_port

CLI = Path(sys.executable).parent / "complaints-code"
CONFIG = Path(__file__).resolve().parents[2] / "complaints-code.toml"


@dataclass
class Server:
    """A running server."""

    url: str
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """SIGKILL the server and every worker: no chance to tidy up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def environment(database_url: str, var: Path, rate_limit: str = "0",
                **extra: str) -> dict[str, str]:
    """The environment of a test server."""
    return {**os.environ, "COMPLAINTS_CODE_DATABASE_URL": database_url,
            "COMPLAINTS_CODE_VAR": str(var), "COMPLAINTS_CODE_RATE_LIMIT": rate_limit,
            "COMPLAINTS_CODE_SERVICE__SECRET_KEY": "test-secret",
            "COMPLAINTS_CODE_SERVICE__SECURE_COOKIES": "false",
            # The job workers' warm-up (a few seconds of CPU each) proves
            # nothing most tests ask; the tests of it turn it on.
            "COMPLAINTS_CODE_SERVICE__WARM_WORKERS": "false", **extra}


@contextlib.contextmanager
def serve(env: dict[str, str], log: Path, workers: int = 1) -> Iterator[Server]:
    """Start ``complaints-code serve`` and wait until /healthz answers; stop
    it (and its workers) at the end."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(CLI), "--config", str(CONFIG), "serve", "--port", str(port),
             "--workers", str(workers)], env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(server.url + "/healthz", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


@contextlib.contextmanager
def workers(env: dict[str, str], log: Path, count: int = 1) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``complaints-code worker`` (``count`` job worker processes) and
    wait until it says it is making copies; stop it at the end."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(CLI), "--config", str(CONFIG), "worker", "--job-workers", str(count)],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while "making copies from the queue" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@dataclass(frozen=True)
class Outcome:
    """What one request got: its status and, for a 201, its reference."""

    status: int
    reference: str | None
    seconds: float


def load(url: str, count: int, clients: int, body: Any, *, stop_after: float | None = None,
         headers: dict[str, str] | None = None, fresh_connections: bool = False,
         timeout: float = 30) -> list[Outcome]:
    """POST ``body`` to /api/v1/copy-requests ``count`` times from
    ``clients`` concurrent clients; a failed connection counts as status 0."""
    return asyncio.run(_load(url, count, clients, body, stop_after, headers or {},
                             fresh_connections, timeout))


async def _load(url: str, count: int, clients: int, body: Any, stop_after: float | None,
                headers: dict[str, str], fresh: bool, timeout: float) -> list[Outcome]:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)
    outcomes: list[Outcome] = []
    started = time.monotonic()
    limits = httpx.Limits(max_keepalive_connections=0 if fresh else 1)

    async def client() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as http:
            while not queue.empty():
                if stop_after is not None and time.monotonic() - started > stop_after:
                    return
                n = queue.get_nowait()
                data = body(n) if callable(body) else body
                began = time.perf_counter()
                try:
                    response = await http.post("/api/v1/copy-requests", json=data,
                                               headers=headers)
                except httpx.HTTPError:
                    outcomes.append(Outcome(0, None, time.perf_counter() - began))
                    continue
                reference = response.json().get("reference") if response.status_code in (
                    200, 201) else None
                outcomes.append(Outcome(response.status_code, reference,
                                        time.perf_counter() - began))

    await asyncio.gather(*(client() for _ in range(clients)))
    return outcomes
