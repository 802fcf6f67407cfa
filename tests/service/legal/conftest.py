"""Fixtures of the legal team's drafts in the service: a scratch copy of the
project's source in a git repository of its own (tagged v1.0), a service
over it whose build folder is a temporary OUT, and the people: Jane Smith
(legal, the author, with approval rights she can never use on her own
drafts), Tom Jones (legal, approver), Sam Patel (legal, no approval rights)
and Stan Staff (the staff role)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from complaints_code.service import auth, create_app
from complaints_code.service.db import migrate, open_database
from complaints_code.service.tables import audit_log
from complaints_code.settings import Settings
from tests.conftest import SOURCE, project_settings

from ..conftest import SECRET

OLD_NUMBER, NEW_NUMBER = "020 8545 8200", "020 8545 8299"
SOURCE_PATH = Path("code_source") / "complaints-code.yaml"


def git(repo: Path, *args: str) -> str:
    """git in ``repo``; its output."""
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


def scratch_project(folder: Path, *, in_git: bool = True) -> Path:
    """A copy of the project's source (the shipped Code), in a git repository
    of its own, committed and tagged v1.0, unless not ``in_git``; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / SOURCE_PATH
    source.parent.mkdir(parents=True)
    source.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    if not in_git:
        return source
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.name", "Complaints service")
    git(folder, "config", "user.email", "service@example.org")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "Version 1.0")
    git(folder, "tag", "-a", "v1.0", "-m", "Version 1.0")
    return source


def legal_settings(database_url: str, folder: Path, source: Path, **service: Any) -> Settings:
    """The project's settings with the scratch source, OUT and VAR in ``folder``."""
    return project_settings(var=folder / "var", database_url=database_url, rate_limit="0",
                            source=source, out=folder / "out",
                            service={"secure_cookies": False, "secret_key": SECRET, **service})


@dataclass(frozen=True)
class People:
    """The tokens' Authorization headers, by first name."""

    jane: dict[str, str]
    tom: dict[str, str]
    sam: dict[str, str]
    stan: dict[str, str]
    tokens: dict[str, str]


def accounts(settings: Settings) -> People:
    """The accounts of the legal team and one of staff."""
    db = open_database(settings.database)
    migrate(db)
    tokens = {}
    with db.writer.begin() as conn:
        for name, role, approver in (("Jane Smith", "legal", True), ("Tom Jones", "legal", True),
                                     ("Sam Patel", "legal", False), ("Stan Staff", "staff", False)):
            tokens[name] = auth.add_staff(conn, name, role, approver=approver)
    db.dispose()
    headers = [{"Authorization": f"Bearer {t}"} for t in tokens.values()]
    return People(*headers, tokens=tokens)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The scratch project's source file (not in git: the release, which
    uses git, overrides this)."""
    return scratch_project(tmp_path / "repo", in_git=False)


@pytest.fixture
def settings(database_url: str, tmp_path: Path, project: Path) -> Settings:
    """The service's settings over the scratch project."""
    return legal_settings(database_url, tmp_path, project)


@pytest.fixture
def people(settings: Settings) -> People:
    return accounts(settings)


@pytest.fixture
def api(settings: Settings, people: People) -> Iterator[TestClient]:
    """A client of the service over the scratch project."""
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client


def audit(client: TestClient, subject: str) -> list[tuple[str, str]]:
    """The audit log's (who, what) about a subject, in order."""
    with client.app.state.service.db.reader.connect() as conn:
        rows = conn.execute(select(audit_log.c.actor, audit_log.c.action)
                            .where(audit_log.c.subject == subject).order_by(audit_log.c.id))
        return [(actor, action) for actor, action in rows]


YAML = {"Content-Type": "application/yaml"}


def put(api: TestClient, who: dict[str, str], draft: int, text: str | bytes,
        **headers: str) -> Any:
    """PUT a draft's whole source."""
    return api.put(f"/api/v1/legal/drafts/{draft}/source", content=text,
                   headers={**who, **YAML, **headers})


def replaced(text: str, *changes: tuple[str, str]) -> str:
    """``text`` with each (old, new) replaced, each old found exactly once."""
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


ADR_TIMESCALE = ("text: 8 weeks\n    clock: calendar_weeks\n    amount: 8",
                 "text: 6 weeks\n    clock: calendar_weeks\n    amount: 6")
"""The timescale of going to the dispute-resolution body, 8 weeks to 6."""
ADR_NAME = ("  name: Ofcom\n", "  name: Communications Ombudsman\n")
"""The second error of the shipped Code: its ADR body."""
