"""The service's database: engines for SQLite (a file under VAR, WAL mode)
and PostgreSQL, and the Alembic migrations.

No error writes personal data to a log. Both engines hide statement
parameters (``hide_parameters``), and a PostgreSQL error keeps only its
class, SQLSTATE and the names of the table, column and constraint: the
server's own words may quote the row ("Failing row contains (...)"), so they
are left out.

SQLite promises what PostgreSQL does: a request acknowledged has been
written to disk (``synchronous=FULL``: the write-ahead log is synced at
every commit, so a power cut cannot lose it). SQLite allows one writer at a
time. Every write transaction, from any process using this database (each
web worker, each job worker, a command), first takes an exclusive lock on a
file beside the database, then ``BEGIN IMMEDIATE``: writers wait in turn on
the lock and start the moment it is free, instead of polling SQLite's busy
lock and failing half way with "database is locked". Reads use ordinary
deferred transactions, which WAL lets run beside the writer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from ..errors import ComplaintsCodeError, InputError, quoted

MIGRATIONS = "complaints_code.service:migrations"
"""Where Alembic finds the migrations: inside the package, so an installed
package carries them."""


class DatabaseError(ComplaintsCodeError):
    """The database cannot be reached or is not at the schema this code needs."""


class DatabaseURLError(InputError):
    """The database URL (the ``database_url`` setting) is not one the service can use."""


SETTING = "database_url (COMPLAINTS_CODE_DATABASE_URL; complaints-code config shows it)"
"""Where the database is set, for messages."""


def shown_url(url: str) -> str:
    """A database URL for a message, its password hidden."""
    try:
        return quoted(make_url(url).render_as_string(hide_password=True))
    except (ArgumentError, ValueError):
        return quoted(url)


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
    """Engines for a SQLAlchemy URL (sqlite:///FILE or postgresql+psycopg://...).
    Raises DatabaseURLError for a URL that names no database this can use."""
    try:
        parsed = make_url(url)
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise NoSuchModuleError(f"{backend} is not SQLite or PostgreSQL")
        parsed.get_dialect()  # its driver is installed
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise DatabaseURLError(
            f"the database URL {shown_url(url)} is not one the service can use ({exc}); "
            f"write sqlite:///PATH or postgresql://USER@HOST/DATABASE in {SETTING}") from None
    if backend == "sqlite":
        lock = None
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            _private(parsed.database)
            lock = parsed.database + WRITE_LOCK
        return Database(url, _sqlite(parsed, None), _sqlite(parsed, lock, writer=True))
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20,
                               "hide_parameters": True}
    reader, writer = create_engine(parsed, **options), create_engine(parsed, **options)
    for engine in (reader, writer):
        event.listen(engine, "handle_error", _without_values)
    return Database(url, reader, writer)


def _private(path: str) -> None:
    """Make the database file, if new, readable by its owner alone: it holds
    customers' names and addresses. SQLite gives its journal files (-wal,
    -shm) the database file's permissions."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, 0o600))


WRITE_LOCK = "-writelock"
"""The file beside a SQLite database whose lock the writers take in turn."""


class _WritesInTurn(sqlite3.Connection):
    """A SQLite connection whose write transactions hold an exclusive lock
    on ``lock_path`` (flock: released by the kernel if the process dies)
    from ``BEGIN IMMEDIATE`` to commit or rollback."""

    lock_path = ""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._lock: int | None = None
        if self.lock_path:
            self._lock = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)

    def begin_write(self) -> None:
        """Wait for the lock, then begin the write transaction."""
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._lock is not None:
                os.close(self._lock)  # closing the file drops its lock
                self._lock = None

    def _release(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)


def _sqlite(url: Any, lock: str | None, *, writer: bool = False) -> Engine:
    factory = type("WritesInTurn", (_WritesInTurn,), {"lock_path": lock or ""})
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False,
                                              "factory": factory},
                           pool_size=8, max_overflow=16, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Python's sqlite3 begins transactions itself, too late for a writer;
        # take the transaction control back (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        if writer:
            cast(_WritesInTurn, conn.connection.dbapi_connection).begin_write()
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


SAY_WHAT = ("08", "25", "40", "42", "53", "55", "57", "58")
"""SQLSTATE classes whose messages never quote data (connection, transaction
state, rollback, the statement's names and syntax, resources, object state,
operator intervention, system; values travel apart from the statement, so
the statement's errors cannot quote them): their words are kept. Every other
class (data and integrity errors above all) keeps only its names."""


def _without_values(context: ExceptionContext) -> BaseException | None:
    """A PostgreSQL error without the server's words, which may quote the
    row; what stays says what failed, and where."""
    orig = context.original_exception
    sqlstate = getattr(orig, "sqlstate", None)
    if not sqlstate:
        return None  # raised by the client library (no connection, say): no row in it
    diag = getattr(orig, "diag", None)
    parts = [f"{type(orig).__name__} (SQLSTATE {sqlstate})"]
    for label in ("table", "column", "constraint"):
        name = getattr(diag, f"{label}_name", None)
        if name:
            parts.append(f'{label} "{name}"')
    primary = getattr(diag, "message_primary", None)
    words = primary if primary and sqlstate[:2] in SAY_WHAT else \
        "the server's message is left out, as it may quote the row"
    orig.args = (", ".join(parts) + ": " + words,)
    if context.sqlalchemy_exception is None:
        return None
    return DBAPIError.instance(context.statement, context.parameters, orig,
                               context.dialect.loaded_dbapi.Error, hide_parameters=True,
                               connection_invalidated=context.is_disconnect,
                               dialect=context.dialect)


def migrate(db: Database) -> str:
    """Bring the schema up to the newest migration; return its revision.
    On PostgreSQL an advisory lock lets several workers start at once."""
    # lazy: Alembic takes 0.2 s to import; only migrations and their checks need it
    from alembic import command
    from alembic.config import Config

    reachable(db)
    with db.writer.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(727274)"))
        config = Config()
        config.set_main_option("script_location", MIGRATIONS)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return current_revision(db)


def reachable(db: Database) -> None:
    """Connect once; raise DatabaseError saying why the database cannot be reached."""
    try:
        with db.writer.connect():
            pass
    except DBAPIError as exc:
        why = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseError(f"cannot reach the database at {shown_url(db.url)} ({why}); "
                            f"start it, or correct {SETTING}") from None


def current_revision(db: Database) -> str:
    """The revision the database is at ("" when it has none)."""
    from alembic.runtime.migration import MigrationContext  # lazy: Alembic, as in migrate

    with db.reader.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() or ""


def head_revision() -> str:
    """The newest migration this code has."""
    # lazy: Alembic, as in migrate
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
