"""The service as a real server process under load, on SQLite and
PostgreSQL: nothing lost, nothing stored twice, SIGKILL survived, limits and
idempotency shared by workers, and no personal data in the log."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from .conftest import REQUEST, add_account, bearer
from .server import environment, load, serve

pytestmark = pytest.mark.slow


def references(database_url: str) -> list[str]:
    """Every stored request's reference."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = [r[0] for r in conn.execute(text("SELECT reference FROM copy_requests"))]
    engine.dispose()
    return found


def body(n: int) -> dict[str, Any]:
    return {**REQUEST, "name": f"Load Test {n}"}


@pytest.mark.timeout(240)
@pytest.mark.both_databases
def test_1000_requests_from_50_clients_are_each_stored_once(database_url: str,
                                                          tmp_path: Path) -> None:
    with serve(environment(database_url, tmp_path / "var"), tmp_path / "server.log") as server:
        outcomes = load(server.url, 1000, 50, body)
    assert [o.status for o in outcomes].count(201) == 1000, {o.status for o in outcomes}
    made = [o.reference for o in outcomes]
    assert len(set(made)) == 1000
    stored = references(database_url)
    assert sorted(stored) == sorted(made)  # type: ignore[type-var]


@pytest.mark.timeout(240)
def test_every_201_survives_a_sigkill_of_the_server(database_url: str,
                                                    tmp_path: Path) -> None:
    env = environment(database_url, tmp_path / "var")
    log = tmp_path / "server.log"
    with serve(env, log) as server:
        outcomes: list[Any] = []
        loader = threading.Thread(target=lambda: outcomes.extend(
            load(server.url, 3000, 20, body, timeout=5)))
        loader.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(references(database_url)) < 300:
            time.sleep(0.05)
        server.kill()
        loader.join(timeout=120)
    answered = [o.reference for o in outcomes if o.status == 201]
    assert len(answered) >= 200
    assert any(o.status == 0 for o in outcomes)  # the kill cut requests off
    with serve(env, log) as again:
        assert httpx.get(again.url + "/healthz").status_code == 200
        stored = set(references(database_url))
    missing = [r for r in answered if r not in stored]
    assert missing == []
    assert len(stored) == len(set(stored))


@pytest.mark.timeout(240)
def test_two_workers_on_postgresql_share_rate_limits_and_idempotency(
        postgres_database: str, tmp_path: Path) -> None:
    from .conftest import empty

    empty(postgres_database)
    env = environment(postgres_database, tmp_path / "var", rate_limit="25/hour")
    with serve(env, tmp_path / "server.log", workers=2) as server:
        same_key = load(server.url, 20, 20, REQUEST, headers={"Idempotency-Key": "twice"},
                        fresh_connections=True)
        assert [o.status for o in same_key].count(201) == 1
        assert {o.status for o in same_key} == {200, 201}
        assert len({o.reference for o in same_key}) == 1
        more = load(server.url, 15, 5, body, fresh_connections=True)
    statuses = [o.status for o in more]
    assert statuses.count(201) == 5 and statuses.count(429) == 10
    assert len(references(postgres_database)) == 6
    log = (tmp_path / "server.log").read_text()
    assert len(set(re.findall(r"Started server process \[(\d+)\]", log))) == 2


@pytest.mark.timeout(240)
def test_the_log_of_a_full_run_holds_no_personal_data(database_url: str,
                                                      tmp_path: Path) -> None:
    from tests.conftest import project_settings

    people = [("Zelda Quartermaine", "Flat 9 Orchard Row", "Kendal", "LA9 4QR",
               "zelda@example.org"),
              ("Ambrose Featherstonehaugh", "77 Mill Lane", "Truro", "TR1 2AB",
               "ambrose@example.net")]
    env = environment(database_url, tmp_path / "var")
    settings = project_settings(database_url=database_url, var=tmp_path / "var")
    log = tmp_path / "server.log"
    with serve(env, log) as server:
        token = add_account(settings, "Sam", "staff")
        http = httpx.Client(base_url=server.url, timeout=120)
        refs = []
        for name, line, town, postcode, email in people:
            answer = http.post("/api/v1/copy-requests", json={
                "name": name, "address_lines": [line, town], "postcode": postcode,
                "email": email, "format": "print", "consent": True})
            assert answer.status_code == 201
            refs.append(answer.json()["reference"])
            bad = http.post("/api/v1/copy-requests", json={
                "name": name, "address_lines": [line], "postcode": "nonsense " + postcode,
                "format": "print", "consent": True})
            assert bad.status_code == 422
            http.post("/api/v1/feedback", json={"comment": f"I am {name}", "name": name,
                                                "email": email})
        queued = http.post(f"/api/v1/staff/copy-requests/{refs[0]}/fulfil",
                           headers=bearer(token))
        assert queued.status_code == 202
        deadline = time.monotonic() + 120  # made by the job workers serve runs
        while http.get(queued.headers["location"], headers=bearer(token)).json()[
                "status"] != "made":
            assert time.monotonic() < deadline, "the copy was not made"
            time.sleep(0.2)
        http.close()
    text_of_log = log.read_text()
    assert refs[0] in text_of_log  # the log does record what happened, by reference
    for person in people:
        for detail in person:
            assert detail not in text_of_log, detail
