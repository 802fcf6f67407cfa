"""The migrations make the schema the code reads and writes (tables.py), on
SQLite and PostgreSQL, and 0002 carries a database of requests fulfilled
before jobs existed over to "sent"."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from complaints_code.service.db import head_revision, migrate, open_database
from complaints_code.service.tables import copy_requests, metadata


@pytest.mark.both_databases
def test_the_migrations_make_the_tables_the_code_uses(database_url: str) -> None:
    db = open_database(database_url)
    assert migrate(db) == head_revision()
    with db.reader.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    db.dispose()
    assert differences == []


@pytest.mark.both_databases
def test_0002_turns_fulfilled_requests_into_sent_ones(database_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from complaints_code.service.db import MIGRATIONS

    db = open_database(database_url)
    migrate(db)
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    when = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
    with db.writer.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
        conn.execute(text(
            "INSERT INTO copy_requests (reference, fingerprint, format, status, received_at, "
            "due_by, fulfilled_at, fulfilled_by) VALUES ('CR-OLD00000', 'f', 'print', "
            "'fulfilled', :at, :at, :at, 'Sam')"), {"at": when})
    assert migrate(db) == head_revision()
    with db.reader.connect() as conn:
        row = conn.execute(select(copy_requests)).mappings().one()
    db.dispose()
    assert (row["status"], row["sent_by"], row["job_id"], row["mail_attempts"]) == (
        "sent", "Sam", None, 0)
    assert row["sent_at"].replace(tzinfo=dt.UTC) == when
