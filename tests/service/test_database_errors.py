"""A real database error in the middle of real requests, on SQLite and
PostgreSQL: the server's log says what failed and where, and holds none of
the customer's name, address, postcode or email."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from .server import environment, serve

pytestmark = pytest.mark.slow

PERSON = {"name": "Ambrose Featherstonehaugh", "lines": ["Flat 3 Quillet Yard", "Penzance"],
          "postcode": "TR18 4AB", "email": "ambrose.f@example.net"}
BREAK = {
    # Every new request breaks a constraint (PostgreSQL's own message would
    # quote the whole row: "Failing row contains (...)"); the feedback table
    # is gone.
    "postgresql": ["ALTER TABLE copy_requests ADD CONSTRAINT refuse_all CHECK (id < 0)",
                   "DROP TABLE feedback"],
    "sqlite": ["CREATE TRIGGER refuse_all BEFORE INSERT ON copy_requests "
               "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
               "DROP TABLE feedback"],
}


@pytest.fixture
def fresh_database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database of its own (this test breaks it)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'complaints-code.db'}"
    url: str = request.getfixturevalue("postgres").new_database()
    return url


@pytest.mark.timeout(180)
@pytest.mark.both_databases
def test_a_database_error_mid_request_leaves_no_personal_data_in_the_log(
        backend: str, fresh_database: str, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with serve(environment(fresh_database, tmp_path / "var"), log) as server:
        engine = create_engine(fresh_database)
        with engine.begin() as conn:
            for statement in BREAK[backend]:
                conn.execute(text(statement))
        engine.dispose()
        # A fresh connection each time: the server closes one after a 500.
        fresh = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(base_url=server.url, timeout=60, limits=fresh) as http:
            api = http.post("/api/v1/copy-requests", json={
                "name": PERSON["name"], "address_lines": PERSON["lines"],
                "postcode": PERSON["postcode"], "email": PERSON["email"],
                "format": "large-print", "consent": True})
            page = http.get("/request-a-copy").text
            hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
            form = http.post("/request-a-copy", data={
                **hidden, "name": PERSON["name"],
                "address-line-1": PERSON["lines"][0], "town": PERSON["lines"][1],
                "postcode": PERSON["postcode"], "email": PERSON["email"],
                "format": "large-print", "consent": "yes"})
            comment = http.post("/api/v1/feedback", json={
                "comment": f"Written by {PERSON['name']}", "name": PERSON["name"],
                "email": PERSON["email"]})
    assert (api.status_code, form.status_code, comment.status_code) == (500, 500, 500)
    told = log.read_text()
    # The log does say what went wrong, and where...
    assert told.count("Exception in ASGI application") == 3
    assert "refuse_all" in told or "refused by the test" in told
    assert re.search(r"feedback", told)
    # ...and nothing of who was asking.
    details = [PERSON["name"], *PERSON["lines"], PERSON["postcode"], PERSON["email"],
               "Featherstonehaugh", "ambrose.f"]
    assert [d for d in details if d in told] == []
