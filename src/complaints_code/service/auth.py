"""Staff accounts, API tokens, signed session cookies and CSRF tokens.

A staff member's token (shown once, by ``complaints-code staff add``) is
their API bearer token and their password on the login page. Only its
SHA-256 is stored: the token has 256 random bits, so a salted slow hash would
add nothing.

Sessions and CSRF tokens live in cookies signed with the service's secret
key, so any worker can check them without shared memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ..errors import UsageError
from ..settings import Settings
from .tables import staff

ROLES = ("staff", "legal")
TOKEN_PREFIX = "cc_"
SESSION_COOKIE = "cc_session"
CSRF_COOKIE = "cc_csrf"
SECRET_FILE = "service-secret.key"


@dataclass(frozen=True)
class StaffMember:
    """A signed-in staff member."""

    name: str
    role: str


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def add_staff(conn: Connection, name: str, role: str) -> str:
    """Create an account; return its token (the only time it is seen)."""
    name = " ".join(name.split())
    if role not in ROLES:
        raise UsageError(f"unknown role '{role}'; choose staff or legal")
    if not name or len(name) > 100:
        raise UsageError("give a name of 1 to 100 characters")
    if conn.execute(select(staff.c.id).where(staff.c.name == name)).first():
        raise UsageError(f"there is already an account named '{name}'; remove it first "
                         "or choose another name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(insert(staff).values(name=name, role=role, token_hash=hash_token(token),
                                      created_at=dt.datetime.now(dt.UTC), active=True))
    return token


def remove_staff(conn: Connection, name: str) -> None:
    """Delete an account; its token and sessions stop working at once."""
    if conn.execute(staff.delete().where(staff.c.name == name)).rowcount == 0:
        raise UsageError(f"there is no account named '{name}'; complaints-code staff list "
                         "shows them")


def staff_list(conn: Connection) -> list[tuple[str, str, dt.datetime]]:
    """Every account: name, role and when it was made."""
    rows = conn.execute(select(staff.c.name, staff.c.role, staff.c.created_at)
                        .order_by(staff.c.name))
    return [(n, r, c) for n, r, c in rows]


def by_token(conn: Connection, token: str) -> StaffMember | None:
    """The account a token belongs to."""
    row = conn.execute(select(staff.c.name, staff.c.role).where(
        staff.c.token_hash == hash_token(token), staff.c.active.is_(True))).first()
    return StaffMember(row[0], row[1]) if row else None


def by_name(conn: Connection, name: str) -> StaffMember | None:
    """The account with a name (for a session cookie)."""
    row = conn.execute(select(staff.c.name, staff.c.role).where(
        staff.c.name == name, staff.c.active.is_(True))).first()
    return StaffMember(row[0], row[1]) if row else None


def login(conn: Connection, name: str, token: str) -> StaffMember | None:
    """The account if the name and token (the password) match."""
    member = by_token(conn, token)
    if member is None or not hmac.compare_digest(member.name, " ".join(name.split())):
        return None
    return member


def deactivate(conn: Connection, name: str) -> None:
    """Stop an account without deleting it."""
    conn.execute(update(staff).where(staff.c.name == name).values(active=False))


def secret_key(settings: Settings) -> str:
    """The key that signs cookies: the setting, else one made once and kept
    in VAR/service-secret.key (readable by its owner only)."""
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
        import time
        time.sleep(0.02)
    raise UsageError(f"{path} is empty; delete it and start the service again")


class Signer:
    """Signs and checks session and CSRF values."""

    def __init__(self, key: str, session_hours: float):
        self.sessions = URLSafeTimedSerializer(key, salt="session")
        self.key = key.encode()
        self.max_age = int(session_hours * 3600)

    def session(self, member: StaffMember) -> str:
        """A session cookie value for a member."""
        return self.sessions.dumps({"name": member.name})

    def session_name(self, value: str) -> str | None:
        """The name in a valid, unexpired session cookie."""
        try:
            data = self.sessions.loads(value, max_age=self.max_age)
        except BadSignature:
            return None
        name = data.get("name") if isinstance(data, dict) else None
        return name if isinstance(name, str) else None

    def csrf_token(self, nonce: str) -> str:
        """The form token that goes with a CSRF cookie's nonce."""
        return hmac.new(self.key, b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, nonce: str | None, token: str | None) -> bool:
        """Whether a form's token matches its cookie."""
        if not nonce or not token:
            return False
        return hmac.compare_digest(self.csrf_token(nonce), token)
