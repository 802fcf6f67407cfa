"""Real worker processes (``complaints-code worker``), two of them sharing
one queue as two machines would: on the embedded queue (SQLite in VAR, with
a SQLite database) and on the shared one (Redis, with PostgreSQL), each
started on loopback by the test. A worker is killed (SIGKILL) in the middle
of a print run (50 copies on the default set-up): the run completes, every
copy made once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from complaints_code.cli import main
from complaints_code.service import create_app
from complaints_code.service.tables import audit_log, copy_requests, job_requests, jobs

from ..conftest import REQUEST, add_account, bearer, empty, service_settings
from ..redisserver import redis_server
from ..server import environment, workers

RUNS = {"embedded": 50, "shared": 24}
"""Copies in the print run: the 50 the issue names on the default set-up; on
the shared one, fewer (the same proof, with less wall time)."""


@pytest.fixture(scope="module")
def redis() -> Iterator[str]:
    """A Redis server for this module."""
    with redis_server() as url:
        yield url


@pytest.fixture(params=["embedded", "shared"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """Where the jobs and the records live: SQLite and the SQLite queue in
    VAR, or PostgreSQL and Redis."""
    if request.param == "embedded":
        return {"database_url": f"sqlite:///{tmp_path / 'var' / 'service.db'}",
                "queue_url": None, "copies": RUNS["embedded"]}
    url: str = request.getfixturevalue("postgres_database")
    empty(url)
    return {"database_url": url, "queue_url": request.getfixturevalue("redis"),
            "copies": RUNS["shared"]}


def _wait(what: str, done: Any, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_a_worker_killed_mid_print_run_loses_nothing_and_makes_each_copy_once(
        where: dict[str, Any], tmp_path: Path) -> None:
    var = tmp_path / "var"
    copies = where["copies"]
    lease = 3
    settings = service_settings(where["database_url"], var, queue_url=where["queue_url"],
                                job_lease_seconds=lease)
    env = environment(where["database_url"], var, COMPLAINTS_CODE_SERVICE__JOB_LEASE_SECONDS=
                      str(lease), **({"COMPLAINTS_CODE_SERVICE__QUEUE_URL": where["queue_url"]}
                                     if where["queue_url"] else {}))
    token = add_account(settings, "Sam", "staff")
    with TestClient(create_app(settings)) as client:
        ask = [client.post("/api/v1/copy-requests", json={**REQUEST, "format": "print"})
               for _ in range(copies)]
        run_refs = [a.json()["reference"] for a in ask]
        singles = [client.post("/api/v1/copy-requests", json={**REQUEST, "format": fmt}).json()[
            "reference"] for fmt in ("print", "large-print", "braille", "print")]
        db = client.app.state.service.db
        with workers(env, tmp_path / "worker-a.log"), workers(env, tmp_path / "worker-b.log"):
            run = client.post("/api/v1/staff/print-runs", headers=bearer(token),
                              json={"references": run_refs})
            job = run.json()["job"]
            for ref in singles:
                assert client.post(f"/api/v1/staff/copy-requests/{ref}/fulfil",
                                   headers=bearer(token)).status_code == 202

            def made_so_far() -> int:
                with db.reader.connect() as conn:
                    return int(conn.execute(select(func.count()).where(
                        job_requests.c.job_id == job, job_requests.c.outcome == "made"))
                        .scalar_one())

            _wait("the run to be under way", lambda: made_so_far() >= copies // 5)
            with db.reader.connect() as conn:
                holder = conn.execute(select(jobs.c.worker).where(jobs.c.id == job)).scalar_one()
            pid = int(re.search(r"pid (\d+)", holder).group(1))  # type: ignore[union-attr]
            os.kill(pid, signal.SIGKILL)
            killed_at = made_so_far()
            assert killed_at < copies

            def all_made() -> bool:
                with db.reader.connect() as conn:
                    return conn.execute(select(func.count()).where(
                        jobs.c.status.not_in(("made", "failed")))).scalar_one() == 0

            _wait("every job to be made", all_made)
        report = client.get(f"/api/v1/staff/jobs/{job}", headers=bearer(token)).json()
        merged = client.get(report["files"][0], headers=bearer(token)).content
        with db.reader.connect() as conn:
            statuses = dict(conn.execute(select(copy_requests.c.reference,
                                                copy_requests.c.status)).all())
            made_events = conn.execute(select(audit_log.c.subject, func.count()).where(
                audit_log.c.action == "made").group_by(audit_log.c.subject)).all()
            held = conn.execute(select(jobs.c.id, jobs.c.attempts, jobs.c.worker)).all()
    assert report["status"] == "made"
    assert [r["outcome"] for r in report["requests"]] == ["made"] * copies
    assert set(statuses.values()) == {"made"}
    # Each copy recorded made once, and in the run's PDF exactly once, in order.
    assert sorted(made_events) == sorted((ref, 1) for ref in run_refs + singles)
    (tmp_path / "run.pdf").write_bytes(merged)
    text = subprocess.run(["pdftotext", str(tmp_path / "run.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert re.findall(r"CR-[0-9A-Z]{8}", text) == run_refs
    attempts = {i: (a, w) for i, a, w in held}
    assert attempts[job][0] == 2  # taken over once, after the kill...
    assert attempts[job][1] != holder  # ...by another process
    assert not (var / "copies" / f"job-{job}" / "parts").exists()


def test_the_worker_command_refuses_zero_workers(tmp_path: Path) -> None:
    env = {"COMPLAINTS_CODE_VAR": str(tmp_path / "var")}
    done = CliRunner().invoke(main, ["worker", "--job-workers", "0"], env=env)
    assert done.exit_code == 2
    assert "job_workers is 0, so there is nothing to run" in done.output
    bad = CliRunner().invoke(main, ["worker"], env={
        **env, "COMPLAINTS_CODE_SERVICE__QUEUE_URL": "amqp://rabbit"})
    assert bad.exit_code == 2
    assert 'service.queue_url = "amqp://rabbit"' in bad.output
    assert "sqlite:///PATH or a redis://HOST:PORT/DB URL" in bad.output
