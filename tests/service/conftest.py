"""Fixtures of the service tests. A test that takes ``backend`` runs on
SQLite (a file in the test's folder); one marked ``both_databases`` (what it
proves depends on the database: concurrency, constraints, column types,
ordering, transactions, migrations) runs on PostgreSQL too (a fresh database
in a throwaway server, one per test worker)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaints_code.service import auth, create_app
from complaints_code.service.db import migrate, open_database
from complaints_code.settings import Settings
from tests.conftest import project_settings

from .pgcluster import Cluster, cluster, free_port
from .smtp import Inbox, smtp_server

SECRET = "test-secret-key-not-for-production"
BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.slow))
"""The databases of a ``both_databases`` test; PostgreSQL's half is slow (a server)."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``backend``: SQLite, and PostgreSQL too where the test is marked
    ``both_databases``."""
    marks = metafunc.definition.iter_markers("parametrize")
    given = any("backend" in str(m.args[0]) for m in marks)
    if "backend" in metafunc.fixturenames and not given:
        both = metafunc.definition.get_closest_marker("both_databases") is not None
        metafunc.parametrize("backend", BACKENDS if both else ("sqlite",))


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL server for this test worker."""
    with cluster() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_database(postgres: Cluster) -> str:
    """One migrated database for this test worker (each test empties it:
    creating a database per test costs seconds)."""
    url = postgres.new_database()
    db = open_database(url)
    migrate(db)
    db.dispose()
    return url


def empty(url: str) -> None:
    """Delete every row of the service's tables."""
    import psycopg

    from complaints_code.service.tables import metadata

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        conn.execute(f"TRUNCATE {names} RESTART IDENTITY")


@pytest.fixture(scope="session")
def smtp_port() -> int:
    """The loopback port of the test SMTP server."""
    return free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    """A real SMTP server on loopback for one test; what it received."""
    with smtp_server(smtp_port) as received:
        yield received


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An empty database of the backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'var' / 'complaints-code.db'}"
    url: str = request.getfixturevalue("postgres_database")
    empty(url)
    return url


def service_settings(database_url: str, var: Path, smtp_port: int | None = None,
                     rate_limit: str = "0", **service: Any) -> Settings:
    """The project's settings for a test service."""
    options: dict[str, Any] = {"secure_cookies": False, "secret_key": SECRET, **service}
    if smtp_port:
        options.update(smtp_host="127.0.0.1", smtp_port=smtp_port)
    return project_settings(var=var, database_url=database_url, rate_limit=rate_limit,
                            service=options)


@pytest.fixture
def settings_for(database_url: str, tmp_path: Path, smtp_port: int) -> Any:
    """Make settings for this test's database, with changes."""
    def make(**changes: Any) -> Settings:
        return service_settings(database_url, tmp_path / "var", smtp_port, **changes)
    return make


@pytest.fixture
def client(settings_for: Any) -> Iterator[TestClient]:
    """A client of a fresh service (no rate limit)."""
    with TestClient(create_app(settings_for()), base_url="http://testserver") as c:
        yield c


def add_account(settings: Settings, name: str, role: str) -> str:
    """Create a staff account; return its token."""
    db = open_database(settings.database)
    migrate(db)
    with db.writer.begin() as conn:
        token = auth.add_staff(conn, name, role)
    db.dispose()
    return token


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


REQUEST = {"name": "Ann Lee", "address_lines": ["1 High Street", "London"],
           "postcode": "SW1A 1AA", "format": "large-print", "consent": True}
"""A valid copy request."""
