"""The database engines: SQLite syncs every commit and its writers take
turns; a failed statement's error (and everything chained to it) carries no
value from the row, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
import traceback
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import event, insert, text
from sqlalchemy.exc import IntegrityError

from complaints_code.cli import main
from complaints_code.service import store
from complaints_code.service.db import Database, migrate, now, open_database
from complaints_code.service.tables import rate_hits

PERSON = {"name": "Zelda Quartermaine", "address": "Flat 9 Orchard Row\nKendal",
          "postcode": "LA9 4QR", "email": "zelda.q@example.org"}


def test_sqlite_syncs_every_commit_in_wal_mode(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'service.db'}")
    try:
        for engine in (db.reader, db.writer):
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        db.dispose()


def test_a_sqlite_database_and_its_journal_are_readable_by_the_service_alone(
        tmp_path: Path) -> None:
    # It holds customers' names and addresses, as the made copies do.
    path = tmp_path / "var" / "service.db"
    db = open_database(f"sqlite:///{path}")
    try:
        migrate(db)
        names = sorted(p.name for p in path.parent.iterdir())
        assert {"service.db", "service.db-wal"} <= set(names)
        assert {n: p.stat().st_mode & 0o777 for n, p in
                ((p.name, p) for p in path.parent.iterdir())} == {n: 0o600 for n in names}
    finally:
        db.dispose()


def test_sqlite_writers_of_two_workers_take_turns_without_meeting_the_busy_lock(
        tmp_path: Path) -> None:
    # Two workers each have their own engine on one file. With SQLite's busy
    # wait turned off, a writer that met another on SQLite's lock would fail
    # at once with "database is locked": none does, because writers queue on
    # the lock file first.
    url = f"sqlite:///{tmp_path / 'service.db'}"
    workers = [open_database(url), open_database(url)]
    migrate(workers[0])
    for db in workers:
        event.listen(db.writer, "connect",
                     lambda conn, _: conn.execute("PRAGMA busy_timeout=0"))
    failures: list[BaseException] = []

    def write(db: Database, worker: int) -> None:
        for n in range(40):
            try:
                with db.writer.begin() as conn:
                    conn.execute(insert(rate_hits).values(client=f"w{worker}", window=n,
                                                          hits=1))
                    time.sleep(0.002)  # hold the lock a moment, as a real batch does
            except Exception as exc:
                failures.append(exc)

    threads = [threading.Thread(target=write, args=(db, i)) for i, db in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with workers[0].reader.connect() as conn:
        written = conn.execute(text("SELECT count(*) FROM rate_hits")).scalar()
    for db in workers:
        db.dispose()
    assert [str(f)[:200] for f in failures] == []
    assert written == 80


@pytest.mark.both_databases
def test_a_failed_statement_s_error_holds_no_value_from_the_row(database_url: str) -> None:
    db = open_database(database_url)
    migrate(db)
    with db.writer.begin() as conn:  # a constraint every new request breaks
        if db.dialect == "postgresql":
            conn.execute(text("ALTER TABLE copy_requests ADD CONSTRAINT refuse_all "
                              "CHECK (id < 0)"))
        else:
            conn.execute(text("CREATE TRIGGER refuse_all BEFORE INSERT ON copy_requests "
                              "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    values: dict[str, Any] = {**PERSON, "fingerprint": "0" * 64, "format": "print",
                              "status": "received", "received_at": now(), "due_by": now()}
    with pytest.raises(IntegrityError) as caught, db.writer.begin() as conn:
        store.add_copy_request(conn, values, "key-1")
    try:
        told = "".join(traceback.format_exception(caught.value))  # with the chained errors
        assert "copy_requests" in told or "refuse_all" in told  # it still says where
        for value in PERSON.values():
            for part in value.split("\n"):
                assert part not in told, (part, told)
    finally:
        if db.dialect == "postgresql":
            with db.writer.begin() as conn:
                conn.execute(text("ALTER TABLE copy_requests DROP CONSTRAINT refuse_all"))
        db.dispose()


@pytest.mark.parametrize(("url", "status", "message"), [
    ("nosuch://x", 2, 'error: the database URL "nosuch://x" is not one the service can use'),
    ("not a url", 2, 'error: the database URL "not a url" is not one the service can use'),
    ("mysql://u@h/d", 2, 'error: the database URL "mysql://u@h/d" is not one the service can'),
    ("postgresql://clerk:s3cret@127.0.0.1:1/complaints", 1,
     'error: cannot reach the database at "postgresql://clerk:***@127.0.0.1:1/complaints"'),
])
def test_a_database_that_cannot_be_used_is_one_line_naming_the_setting(
        url: str, status: int, message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["staff", "list"],
                                env={"COMPLAINTS_CODE_DATABASE_URL": url,
                                     "COMPLAINTS_CODE_VAR": str(tmp_path)})
    assert result.exit_code == status, result.output
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.splitlines()) == 1 and "database_url" in result.stderr
    assert "s3cret" not in result.stderr
