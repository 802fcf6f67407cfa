"""Rate limits, purging personal data, and schemathesis against the OpenAPI
document; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from complaints_code.cli import main
from complaints_code.service import create_app
from complaints_code.service.tables import copy_requests, feedback

from .conftest import REQUEST


@pytest.mark.slow
def test_public_posts_over_the_rate_limit_get_429_with_retry_after(settings_for: Any) -> None:
    with TestClient(create_app(settings_for(rate_limit="3/minute"))) as client:
        answers = [client.post("/api/v1/copy-requests", json=REQUEST) for _ in range(3)]
        assert [a.status_code for a in answers] == [201, 201, 201]
        refused = client.post("/api/v1/feedback", json={"comment": "hello"})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.json()["detail"].startswith("Too many requests; try again in ")
        form = client.post("/feedback", data={"comment": "x"})
        assert form.status_code in (403, 429)  # no CSRF token: refused either way
        assert client.get("/api/v1/stages").status_code == 200  # reads are not limited


@pytest.mark.both_databases
def test_purge_removes_old_personal_data_and_keeps_counts(settings_for: Any) -> None:
    settings = settings_for()
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=91)
    with TestClient(create_app(settings)) as client:
        old, recent, waiting = (client.post("/api/v1/copy-requests", json=REQUEST).json()[
            "reference"] for _ in range(3))
        old_fb = client.post("/api/v1/feedback", json={"comment": "Old", "name": "Ann Lee",
                                                       "email": "ann@example.org"}).json()
        new_fb = client.post("/api/v1/feedback", json={"comment": "New"}).json()
        db = client.app.state.service.db
        with db.writer.begin() as conn:
            for ref, when in ((old, long_ago), (recent, dt.datetime.now(dt.UTC))):
                conn.execute(update(copy_requests).where(copy_requests.c.reference == ref)
                             .values(status="sent", sent_at=when, sent_by="Sam"))
            conn.execute(update(feedback).where(feedback.c.reference == old_fb["reference"])
                         .values(received_at=long_ago))
    env = {"COMPLAINTS_CODE_DATABASE_URL": settings.database, "COMPLAINTS_CODE_VAR":
           str(settings.var)}
    result = CliRunner().invoke(main, ["service", "purge"], env=env)
    assert result.exit_code == 0, result.output
    assert ("Removed the personal data of 1 copy request(s) sent more than 90 days ago (and "
            "the made files of 0 job(s)) and 1 comment(s) older than 90 days.") in " ".join(
        result.stdout.split())
    with db.reader.connect() as conn:
        rows = {r["reference"]: r for r in conn.execute(select(copy_requests)).mappings()}
        comments = {r["reference"]: r for r in conn.execute(select(feedback)).mappings()}
    assert len(rows) == 3 and len(comments) == 2
    purged = rows[old]
    assert [purged[c] for c in ("name", "address", "postcode", "email", "access_needs")] == [
        None] * 5
    assert purged["format"] == "large-print" and purged["status"] == "sent"
    assert rows[recent]["name"] == "Ann Lee" and rows[waiting]["name"] == "Ann Lee"
    assert comments[old_fb["reference"]]["comment"] is None
    assert comments[old_fb["reference"]]["name"] is None
    assert comments[new_fb["reference"]]["comment"] == "New"


@pytest.mark.slow
@pytest.mark.both_databases
def test_schemathesis_finds_no_server_error(client: TestClient) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        examples = 8 if "/staff/" in operation.path else 15

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def no_5xx(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, (case.method, case.path, case.body,
                                                response.text[:300])

        no_5xx()
        checked += 1
    assert checked >= 7


@pytest.mark.both_databases
def test_every_post_counts_and_one_over_the_limit_is_refused_whatever_it_holds(
        settings_for: Any) -> None:
    with TestClient(create_app(settings_for(rate_limit="3/minute"))) as client:
        bad = client.post("/api/v1/copy-requests", json={**REQUEST, "postcode": "nowhere"})
        not_json = client.post("/api/v1/copy-requests", content=b"name=Ann",
                               headers={"content-type": "text/plain"})
        good = client.post("/api/v1/copy-requests", json=REQUEST)
        assert [bad.status_code, not_json.status_code, good.status_code] == [422, 415, 201]
        over = [client.post("/api/v1/copy-requests", json=REQUEST),
                client.post("/api/v1/copy-requests", json={**REQUEST, "postcode": "nowhere"}),
                client.post("/api/v1/copy-requests", content=b"x",
                            headers={"content-type": "text/plain"})]
        assert [o.status_code for o in over] == [429, 429, 429]
        assert all(int(o.headers["retry-after"]) >= 1 for o in over)
        with client.app.state.service.db.reader.connect() as conn:
            stored = conn.execute(select(copy_requests.c.reference)).all()
    assert len(stored) == 1
