"""The service's database: engines for SQLite (a file under VAR, WAL mode)
and PostgreSQL, and the Alembic migrations.

SQLite allows one writer at a time. Writes go through a ``BEGIN IMMEDIATE``
engine, so a writer takes the lock when it starts instead of failing half way
with "database is locked"; reads use ordinary deferred transactions, which WAL
lets run beside the writer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url

from ..errors import ComplaintsCodeError

MIGRATIONS = "complaints_code.service:migrations"
"""Where Alembic finds the migrations: inside the package, so an installed
package carries them."""


class DatabaseError(ComplaintsCodeError):
    """The database cannot be reached or is not at the schema this code needs."""


@dataclass(frozen=True)
class Database:
    """A reading engine and a writing engine on one database."""

    url: str
    reader: Engine
    writer: Engine

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.writer.dialect.name

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.reader.dispose()
        self.writer.dispose()


def open_database(url: str) -> Database:
    """Engines for a SQLAlchemy URL (sqlite:///FILE or postgresql+psycopg://...)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return Database(url, _sqlite(parsed, immediate=False), _sqlite(parsed, immediate=True))
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    return Database(url, create_engine(parsed, **options), create_engine(parsed, **options))


def _sqlite(url: Any, *, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                           pool_size=8, max_overflow=16)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Python's sqlite3 begins transactions itself, too late for a writer;
        # take the transaction control back (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def migrate(db: Database) -> str:
    """Bring the schema up to the newest migration; return its revision.
    On PostgreSQL an advisory lock lets several workers start at once."""
    from alembic import command
    from alembic.config import Config

    with db.writer.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(727274)"))
        config = Config()
        config.set_main_option("script_location", MIGRATIONS)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return current_revision(db)


def current_revision(db: Database) -> str:
    """The revision the database is at ("" when it has none)."""
    from alembic.runtime.migration import MigrationContext

    with db.reader.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() or ""


def head_revision() -> str:
    """The newest migration this code has."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_current_head() or ""


def ping(db: Database) -> bool:
    """Whether the database answers."""
    try:
        with db.reader.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def now() -> dt.datetime:
    """The time now, in UTC."""
    return dt.datetime.now(dt.UTC)


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A time read back from the database, in UTC (SQLite forgets the zone)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
