"""What a worker does with a job, run in this process on the real queue and
database (SQLite and PostgreSQL): the same file every time, nothing written
by a worker that lost its job, a copy that kills its workers given up alone."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from complaints_code.service.jobs import records, work
from complaints_code.service.tables import copy_requests, job_requests, jobs

from ..conftest import REQUEST, add_account, bearer
from .drain import drain


@pytest.fixture
def staff(client: TestClient, settings_for: Any) -> dict[str, str]:
    return bearer(add_account(settings_for(), "Sam", "staff"))


def _queue(client: TestClient, staff: dict[str, str], *formats: str) -> tuple[int, list[str]]:
    refs = [client.post("/api/v1/copy-requests", json={**REQUEST, "format": f}).json()[
        "reference"] for f in formats]
    if len(refs) == 1:
        answer = client.post(f"/api/v1/staff/copy-requests/{refs[0]}/fulfil", headers=staff)
    else:
        answer = client.post("/api/v1/staff/print-runs", json={"references": refs},
                             headers=staff)
    return int(answer.json()["job"]), refs


def _file(client: TestClient, staff: dict[str, str], job: int) -> bytes:
    url = client.get(f"/api/v1/staff/jobs/{job}", headers=staff).json()["files"][0]
    return bytes(client.get(url, headers=staff).content)


@pytest.mark.slow
@pytest.mark.parametrize("formats", [("braille",), ("print", "large-print")])
def test_a_job_made_again_makes_the_same_file(client: TestClient, staff: dict[str, str],
                                             settings_for: Any, formats: tuple[str, ...]) -> None:
    job, _ = _queue(client, staff, *formats)
    drain(settings_for())
    first = hashlib.sha256(_file(client, staff, job)).hexdigest()
    # As if the job had never finished: queued again with nothing made.
    with client.app.state.service.db.writer.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job).values(
            status="queued", files=None, attempts=0, enqueued_at=None))
        conn.execute(update(job_requests).values(outcome="queued"))
        conn.execute(update(copy_requests).values(status="queued"))
    queue = drain(settings_for())
    assert queue.sweep() == ([job], [])
    drain(settings_for(), queue=queue)
    assert hashlib.sha256(_file(client, staff, job)).hexdigest() == first


@pytest.mark.both_databases
def test_a_worker_that_lost_its_job_writes_nothing(client: TestClient, staff: dict[str, str],
                                                  settings_for: Any) -> None:
    job, (ref,) = _queue(client, staff, "print")
    db = client.app.state.service.db
    at = dt.datetime.now(dt.UTC)
    with db.writer.begin() as conn:
        assert records.start(conn, job, "first", "token-a", at, 30) is not None
        assert records.start(conn, job, "second", "token-b", at, 30) is None  # it is held
    later = at + dt.timedelta(seconds=31)  # the first worker stalled past its lease
    with db.writer.begin() as conn:
        assert records.start(conn, job, "second", "token-b", later, 30) is not None
    with db.writer.begin() as conn:
        assert not records.renew(conn, job, "token-a", later, 30)
        assert not records.part_made(conn, job, "token-a", ref)
        assert not records.finish(conn, job, "token-a", ["x.pdf"], later)
    with db.reader.connect() as conn:
        row = conn.execute(select(jobs.c.status, jobs.c.files, jobs.c.attempts).where(
            jobs.c.id == job)).one()
    assert tuple(row) == ("running", None, 2)
    with db.writer.begin() as conn:
        assert records.part_made(conn, job, "token-b", ref)
        assert records.finish(conn, job, "token-b", [f"{ref}.pdf"], later)


@pytest.mark.slow
def test_a_copy_its_workers_keep_dying_on_is_given_up_and_the_rest_are_made(
        client: TestClient, staff: dict[str, str], settings_for: Any) -> None:
    settings = settings_for(job_attempts=2)
    job, refs = _queue(client, staff, "print", "print", "print")
    db = client.app.state.service.db
    # Two workers have died on it already; the last lease ran out.
    with db.writer.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job).values(
            status="running", attempts=2, lease_token="dead",
            lease_until=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
    drain(settings, queue=None).sweep()
    drain(settings)
    report = client.get(f"/api/v1/staff/jobs/{job}", headers=staff).json()
    assert report["status"] == "made"
    assert [r["outcome"] for r in report["requests"]] == ["failed", "made", "made"]
    assert report["requests"][0]["reason"].startswith("Making this copy failed 2 times: its "
                                                      "worker stopped or hit an error")
    with db.reader.connect() as conn:
        problem = conn.execute(select(copy_requests.c.status, copy_requests.c.problem).where(
            copy_requests.c.reference == refs[0])).one()
    assert problem[0] == "received" and f"Job {job} could not make it" in problem[1]


def test_a_job_cut_short_goes_back_to_the_queue_without_using_a_try(
        client: TestClient, staff: dict[str, str], settings_for: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    job, _ = _queue(client, staff, "print")

    def stopped(*args: Any) -> None:
        raise KeyboardInterrupt  # what the worker gets when it is told to stop at once

    monkeypatch.setattr(work, "render", stopped)
    shop = work.Workshop(settings_for())
    with pytest.raises(KeyboardInterrupt):
        work.make_job(shop, job, lambda reference: None)
    with client.app.state.service.db.reader.connect() as conn:
        row = conn.execute(select(jobs.c.status, jobs.c.attempts, jobs.c.lease_token).where(
            jobs.c.id == job)).one()
    assert tuple(row) == ("queued", 0, None)
    shop.close()


@pytest.mark.slow
def test_an_unexpected_error_is_a_failed_try_and_the_last_try_fails_the_job(
        client: TestClient, staff: dict[str, str], settings_for: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    job, refs = _queue(client, staff, "print", "print")
    calls = []

    def broken(pdfs: list[bytes]) -> bytes:
        calls.append(len(pdfs))
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(work, "merge", broken)
    settings = settings_for(job_attempts=2)
    queue = drain(settings)
    for _ in range(3):  # each try fails and goes back to the queue for the sweep
        queue.sweep()
        drain(settings, queue=queue)
    assert calls == [2, 2]  # the second try used the copies the first one made
    report = client.get(f"/api/v1/staff/jobs/{job}", headers=staff).json()
    assert report["status"] == "failed" and report["files"] == []
    why = ("It failed 2 times: its worker stopped or hit an error each time; the worker's "
           "log says why")
    assert report["requests"] == [{"reference": r, "outcome": "failed", "reason": why}
                                  for r in refs]
    with client.app.state.service.db.reader.connect() as conn:
        statuses = conn.execute(select(copy_requests.c.status)).scalars().all()
    assert statuses == ["received", "received"]
