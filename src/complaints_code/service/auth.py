"""Staff accounts, their API tokens, and the key that signs CSRF tokens.

A staff member's token (shown once, by ``complaints-code staff add``) is
their API bearer token and their password on the sign-in page. Only its
SHA-256 is stored: the token has 256 random bits, so a salted slow hash would
add nothing. Sessions of the staff pages are rows in the database
(``sessions``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from ..errors import UsageError, visible
from ..settings import Settings
from .tables import staff, staff_sessions

ROLES = ("staff", "legal")
TOKEN_PREFIX = "cc_"
SECRET_FILE = "service-secret.key"


@dataclass(frozen=True)
class StaffMember:
    """A signed-in staff member. ``approver``: may approve the legal team's
    drafts (legal accounts only)."""

    name: str
    role: str
    approver: bool = False
    id: int = 0


@dataclass(frozen=True)
class Account:
    """An account as ``complaints-code staff list`` shows it."""

    name: str
    role: str
    approver: bool
    created_at: dt.datetime
    sessions: int
    """Sessions signed in now (not expired)."""


def hash_token(token: str) -> str:
    """The stored form of a token (or of a session cookie's value)."""
    return hashlib.sha256(token.encode()).hexdigest()


def normal_name(name: str) -> str:
    """A name as accounts are stored: runs of white space made one space."""
    return " ".join(name.split())


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text)


def add_staff(conn: Connection, name: str, role: str, *, approver: bool = False) -> str:
    """Create an account; return its token (the only time it is seen)."""
    name = normal_name(name)
    if role not in ROLES:
        raise UsageError(f"unknown role '{role}'; choose staff or legal")
    if approver and role != "legal":
        raise UsageError("only legal accounts can be approvers (they approve the legal "
                         "team's drafts); give the role legal, or leave out the approver right")
    if not name or len(name) > 100:
        raise UsageError("give a name of 1 to 100 characters")
    if _has_control(name):
        raise UsageError(f"'{visible(name)}' holds a control character; a name cannot")
    same = conn.execute(select(staff.c.name).where(func.lower(staff.c.name) == name.lower()))
    if (existing := same.scalar()) is not None:
        raise UsageError(f"there is already an account named '{existing}'; remove it first "
                         "or choose another name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(insert(staff).values(name=name, role=role, token_hash=hash_token(token),
                                      created_at=dt.datetime.now(dt.UTC), active=True,
                                      approver=approver))
    return token


def remove_staff(conn: Connection, name: str) -> tuple[str, int]:
    """Delete an account (its name in any case): its token stops working and
    every session it has ends, in one transaction. Returns the account's
    name and how many sessions ended."""
    name = normal_name(name)
    row = None if _has_control(name) else conn.execute(select(staff.c.id, staff.c.name).where(
        func.lower(staff.c.name) == name.lower())).first()
    if row is None:
        raise UsageError(f"there is no account named '{visible(name)}'; complaints-code staff "
                         "list shows them")
    # The foreign key cascades too; deleting here says how many, and does not
    # depend on SQLite's foreign_keys pragma.
    ended = conn.execute(staff_sessions.delete().where(staff_sessions.c.staff_id == row.id))
    conn.execute(staff.delete().where(staff.c.id == row.id))
    return row.name, int(ended.rowcount)


def staff_list(conn: Connection, at: dt.datetime) -> list[Account]:
    """Every account, by name, with its sessions signed in at ``at``."""
    live = (select(func.count()).where(staff_sessions.c.staff_id == staff.c.id,
                                       staff_sessions.c.expires_at > at)
            .scalar_subquery())
    rows = conn.execute(select(staff.c.name, staff.c.role, staff.c.approver,
                               staff.c.created_at, live).order_by(staff.c.name))
    return [Account(n, r, bool(a), c, int(s)) for n, r, a, c, s in rows]


def by_token(conn: Connection, token: str) -> StaffMember | None:
    """The account a token belongs to."""
    row = conn.execute(select(staff.c.name, staff.c.role, staff.c.approver, staff.c.id)
                       .where(staff.c.token_hash == hash_token(token),
                              staff.c.active.is_(True))).first()
    return StaffMember(row[0], row[1], bool(row[2]), row[3]) if row else None


def known_name(conn: Connection, name: str) -> str | None:
    """The account name ``name`` stands for, if there is one (for the audit
    log of a failed sign-in: a name that is no account is not written down)."""
    if _has_control(name):  # no account has one (and PostgreSQL refuses NUL)
        return None
    found = conn.execute(select(staff.c.name).where(
        func.lower(staff.c.name) == normal_name(name).lower()))
    return found.scalar()


def login(conn: Connection, name: str, token: str) -> StaffMember | None:
    """The account if the name (in any case) and token (the password) match."""
    member = by_token(conn, token)
    if member is None or not hmac.compare_digest(member.name.casefold().encode(),
                                                 normal_name(name).casefold().encode()):
        return None
    return member


def secret_key(settings: Settings) -> str:
    """The key that signs CSRF tokens: the setting, else one made once and
    kept in VAR/service-secret.key (readable by its owner only)."""
    if settings.service.secret_key is not None:
        return settings.service.secret_key.get_secret_value()
    path = Path(settings.var) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    for _ in range(50):  # another worker may be writing it this moment
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.02)
    raise UsageError(f"{path} is empty; delete it and start the service again")


class Signer:
    """Makes and checks CSRF tokens: an HMAC of what the token is bound to
    (a session, or before sign-in a random value in a cookie)."""

    def __init__(self, key: str, session_hours: float):
        self.key = key.encode()
        self.max_age = int(session_hours * 3600)

    def csrf_token(self, basis: str) -> str:
        """The form token that goes with ``basis``."""
        return hmac.new(self.key, b"csrf:" + basis.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, basis: str | None, token: str | None) -> bool:
        """Whether a form's token goes with ``basis``."""
        if not basis or not token:
            return False
        return hmac.compare_digest(self.csrf_token(basis), token)
