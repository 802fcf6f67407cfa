"""Settings of the copy-request and feedback service (the ``[service]`` section)."""

from __future__ import annotations

import ipaddress
import re

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from ..errors import quoted
from .print import Section

QUEUE_URL = re.compile(r"^(sqlite:///.+|rediss?://.*|unix://.+)$")
COMMITTER = re.compile(r"^([^<>\n]*[^<>\s])\s*<([^<>\s]+@[^<>\s]+)>$")
"""A git identity: "Name <email>"."""
_PATTERNS = {
    "release_committer": (COMMITTER, 'write the committer as "Name <email>", e.g. '
                          '"Complaints service <legal@example.org>"'),
    "queue_url": (QUEUE_URL, "the job queue is a sqlite:///PATH or a redis://HOST:PORT/DB "
                  "URL (rediss:// with TLS, unix:///PATH for a socket)"),
}
"""Text settings that are left unset when empty, else must match: the
pattern and what to write instead."""


class ServiceSettings(Section):
    """The web service: where it listens and how it treats requests."""

    host: str = "127.0.0.1"
    """Address to listen on."""
    port: int = Field(8000, ge=1, le=65535)
    """Port to listen on."""
    workers: int = Field(1, ge=1, le=64)
    """Web server processes (several need PostgreSQL or SQLite in WAL mode)."""
    due_working_days: int = Field(5, ge=1, le=60)
    """Working days within which a requested copy is due."""
    purge_after_days: int = Field(90, ge=1, le=3650)
    """Days after a copy is sent when its request's personal data (and the made
    file) is removed."""
    feedback_purge_after_days: int = Field(90, ge=1, le=3650)
    """Days after receipt when a comment's personal data (name, email, words) is removed."""
    secret_key: SecretStr | None = None
    """Key that signs the forms' CSRF tokens. Set it in production (the same on
    every worker and machine); unset, one is generated once and kept in VAR/service-secret.key."""
    session_hours: float = Field(8, gt=0, le=24 * 30)
    """How long a staff sign-in lasts, in hours (signing out, or removing the
    account, ends it sooner)."""
    signin_failures_per_account: int = Field(10, ge=1, le=1000)
    """Failed sign-ins allowed on one account name within signin_window_minutes;
    more are refused (429) until the window has passed."""
    signin_failures_per_address: int = Field(30, ge=1, le=10000)
    """Failed sign-ins allowed from one client address within signin_window_minutes
    (higher than per account: an office may share one address)."""
    signin_window_minutes: int = Field(15, ge=1, le=24 * 60)
    """The window, in minutes, over which failed sign-ins are counted."""
    secure_cookies: bool = True
    """Send cookies only over HTTPS, with the __Host- prefix, and send
    Strict-Transport-Security (turn off only for plain-http local use)."""
    max_body_bytes: int = Field(16 * 1024, ge=1024, le=1024 * 1024)
    """Largest request body accepted; a larger one gets 413."""
    legal_max_body_bytes: int = Field(1024 * 1024, ge=16 * 1024, le=16 * 1024 * 1024)
    """Largest request body accepted by the legal team's draft pages and API
    (/legal/..., /api/v1/legal/...), which send a whole Code's YAML or a part
    of it as a form; a larger one gets 413."""
    release_committer: str | None = None
    """Who the service records the legal team's releases as in git, as
    "Name <email>" (e.g. "Complaints service <legal@example.org>"); each
    commit's author is the draft's author, with this email. Unset: git's own
    user.name and user.email for the account the workers run as. Releases
    are recorded in the git repository holding the source file, if it is in
    one."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses of reverse proxies whose X-Forwarded-For names the client (for
    rate limiting); empty: the connecting address is the client."""
    smtp_host: str | None = None
    """SMTP server for acknowledgements and emailed copies; unset: no mail is sent."""
    smtp_port: int = Field(25, ge=1, le=65535)
    """SMTP port (587 with STARTTLS, 25 on a local relay)."""
    smtp_starttls: bool = False
    """Upgrade the SMTP connection with STARTTLS before sending."""
    smtp_user: str | None = None
    """SMTP login name, if the server needs one."""
    smtp_password: SecretStr | None = None
    """SMTP password, if the server needs one."""
    mail_from: str = "Customer Complaints Code <copies@localhost>"
    """The From address of the service's mail."""
    smtp_timeout: float = Field(10, gt=0, le=120)
    """Seconds to wait for the SMTP server."""
    queue_url: str | None = None
    """Where jobs wait for a worker. Unset: a SQLite file in VAR (jobs.db), for
    one machine. redis://HOST:PORT/DB (or rediss://, unix://) when several
    machines share the work: every web server and worker names the same one."""
    job_workers: int = Field(2, ge=0, le=64)
    """Worker processes that make copies, one copy at a time each: ``serve``
    starts this many beside the web server (0: none, the workers run
    elsewhere) and ``complaints-code worker`` starts this many on its own."""
    warm_workers: bool = True
    """Each job worker makes (and throws away) a sample copy in each print
    format and in braille when it starts, a few seconds' work, so that the
    first copy staff make is as quick as the later ones. Off, the first copy
    of each format after a start takes a few seconds longer."""
    job_lease_seconds: float = Field(30, ge=1, le=3600)
    """A working job's worker renews its claim this often (a third of it);
    a job whose claim runs out (its worker died) goes to another worker."""
    job_attempts: int = Field(3, ge=1, le=20)
    """Starts a job gets (its worker dying or failing each time) before the copy
    it stopped on is given up, with the reason; the rest of the job goes on."""
    mail_attempts: int = Field(5, ge=1, le=50)
    """Tries at handing an emailed copy to the SMTP server; after the last
    one the request shows the failure."""
    mail_retry_seconds: float = Field(60, gt=0, le=86400)
    """Wait after the first refused try at an emailed copy; each later wait is
    twice the one before (60 s, 2 min, 4 min, ...)."""

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for proxy in value:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"{quoted(proxy)} is not an IP address or network; write one "
                                 "like 10.0.0.5 or 10.0.0.0/8") from None
        return value

    @field_validator(*_PATTERNS)
    @classmethod
    def _pattern(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value in (None, ""):
            return None
        assert info.field_name is not None
        pattern, fix = _PATTERNS[info.field_name]
        if not pattern.match(value):
            raise ValueError(fix)
        return value
