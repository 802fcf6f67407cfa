"""The queue (Huey) and the sweep that puts back on it what a dead worker
took with it: a job whose lease ran out, a job or an emailed copy whose
message is gone. Nothing that still has a message is queued twice."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from huey import RedisHuey, SqliteHuey
from sqlalchemy import update

from complaints_code.service.jobs import JobQueue
from complaints_code.service.jobs.queue import describe, make_huey
from complaints_code.service.jobs.work import process_name
from complaints_code.service.tables import copy_requests, jobs
from tests.conftest import project_settings

from ..conftest import REQUEST, add_account, bearer

LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@pytest.mark.slow
@pytest.mark.both_databases
def test_the_sweep_puts_back_only_what_lost_its_message(client: TestClient,
                                                        settings_for: Any) -> None:
    staff = bearer(add_account(settings_for(), "Sam", "staff"))
    refs = [client.post("/api/v1/copy-requests", json={**REQUEST, "format": "print"}).json()[
        "reference"] for _ in range(4)]
    made = [client.post(f"/api/v1/staff/copy-requests/{r}/fulfil", headers=staff).json()["job"]
            for r in refs]
    queue = JobQueue(settings_for())
    assert queue.waiting().jobs == set(made)
    db = client.app.state.service.db
    with db.writer.begin() as conn:
        conn.execute(update(jobs).values(enqueued_at=LONG_AGO))
        # Job 1's worker died while it ran; job 2's message was lost; jobs 3
        # and 4 still have theirs.
        conn.execute(update(jobs).where(jobs.c.id == made[0]).values(
            status="running", lease_token="dead", lease_until=LONG_AGO))
        conn.execute(update(copy_requests).where(copy_requests.c.reference == refs[3]).values(
            status="made", format="email-pdf", mail_next_at=LONG_AGO))
    queue.huey.flush()
    for job in made[2:]:
        queue.queue_job(job)
    assert queue.sweep() == ([made[0], made[1]], [refs[3]])
    waiting = queue.waiting()
    assert sorted(waiting.jobs) == made and waiting.mail == {refs[3]}
    assert len(queue.huey.pending()) == 5  # one message each
    assert queue.sweep() == ([], [])  # now nothing is lost
    queue.close()


def test_the_queue_is_a_sqlite_file_in_var_unless_redis_is_named(tmp_path: Path) -> None:
    default = project_settings(var=tmp_path / "var")
    huey = make_huey(default)
    assert isinstance(huey, SqliteHuey)
    assert huey.storage.filename == str(tmp_path / "var" / "jobs.db")
    inside = project_settings(var=tmp_path / "var", service={"queue_url": "sqlite:///q.db"})
    assert make_huey(inside).storage.filename == str(tmp_path / "var" / "q.db")
    shared = project_settings(var=tmp_path / "var", service={
        "queue_url": "redis://:secret@queue.example:6380/2"})
    assert isinstance(make_huey(shared), RedisHuey)  # no connection until it is used
    assert describe(shared) == "Redis at redis://queue.example:6380/2"
    assert describe(default) == f"SQLite file {tmp_path / 'var' / 'jobs.db'}"


def test_a_job_whose_worker_on_this_machine_is_gone_is_queued_without_waiting_for_its_lease(
        client: TestClient, settings_for: Any) -> None:
    staff = bearer(add_account(settings_for(), "Sam", "staff"))
    refs = [client.post("/api/v1/copy-requests", json=REQUEST).json()["reference"]
            for _ in range(3)]
    made = [client.post(f"/api/v1/staff/copy-requests/{r}/fulfil", headers=staff).json()["job"]
            for r in refs]
    ended = subprocess.Popen(["true"])  # a process that has come and gone
    ended.wait()
    gone = process_name(ended.pid)
    alive = process_name(os.getpid())
    elsewhere = gone.replace(socket.gethostname(), "another-machine", 1)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    with client.app.state.service.db.writer.begin() as conn:
        for job, holder in zip(made, (gone, alive, elsewhere), strict=True):
            conn.execute(update(jobs).where(jobs.c.id == job).values(
                status="running", worker=holder, lease_token="t", lease_until=soon))
    queue = JobQueue(settings_for())
    queue.huey.flush()
    assert queue.sweep() == ([made[0]], [])
    queue.close()
