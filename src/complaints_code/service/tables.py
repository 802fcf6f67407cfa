"""The service's tables (SQLAlchemy Core). The migrations in ``migrations/``
create them; this module is what the code reads and writes through.

Personal data lives only in the columns marked ``personal``; purging sets
them to NULL and keeps the row, so counts by format, month and status stay.

A copy request moves through ``received`` → ``queued`` → ``made`` → ``sent``
(see ``jobs/``): ``jobs`` holds what the workers do, one row per "Make copy"
or print run, and ``job_requests`` each request's outcome in its job.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

copy_requests = Table(
    "copy_requests", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(20), nullable=False, unique=True),
    Column("idempotency_key", String(200), unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("format", String(40), nullable=False),
    Column("size", Integer),
    Column("grade", Integer),
    Column("name", String(200), info={"personal": True}),
    Column("address", Text, info={"personal": True}),
    Column("postcode", String(10), info={"personal": True}),
    Column("email", String(254), info={"personal": True}),
    Column("access_needs", Text, info={"personal": True}),
    Column("status", String(20), nullable=False, index=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("due_by", DateTime(timezone=True), nullable=False, index=True),
    Column("sent_at", DateTime(timezone=True)),
    Column("sent_by", String(100)),
    Column("purged_at", DateTime(timezone=True)),
    Column("job_id", Integer, ForeignKey("jobs.id"), index=True),
    Column("made_at", DateTime(timezone=True)),
    Column("problem", Text),
    Column("mail_attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("mail_next_at", DateTime(timezone=True), index=True),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(20), nullable=False, unique=True),
    Column("idempotency_key", String(200), unique=True, index=True),  # the form's key (0004)
    Column("section_id", String(100), index=True),
    Column("comment", Text, info={"personal": True}),
    Column("name", String(200), info={"personal": True}),
    Column("email", String(254), info={"personal": True}),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("reviewed_by", String(100)),
    Column("purged_at", DateTime(timezone=True)),
)

staff = Table(
    "staff", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("approver", Boolean, nullable=False, default=False),
)

staff_sessions = Table(
    "staff_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)
"""One row a signed-in browser: the cookie holds a random value, the row its
SHA-256. Signing out deletes the row; removing the account deletes them all."""

signin_failures = Table(
    "signin_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("address", String(64), nullable=False, index=True),
    Column("account_key", String(64), nullable=False, index=True),
)
"""Failed sign-ins in the throttling window, by client address and by the
name tried (as a hash: a token pasted into the name field is never stored)."""
jobs = Table(
    "jobs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("enqueued_at", DateTime(timezone=True)),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("worker", String(200)),
    Column("lease_token", String(40)),
    Column("lease_until", DateTime(timezone=True)),
    Column("files", Text),
    Column("reason", Text),
)
"""What the workers do: one "Make copy" (kind ``copy``) or one print run
(``print-run``), ``queued`` → ``running`` → ``made`` or ``failed``. A running
job's worker renews ``lease_until``; a job whose lease ran out is queued again."""

job_requests = Table(
    "job_requests", metadata,
    Column("job_id", Integer, ForeignKey("jobs.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("reference", String(40), nullable=False),
    Column("request_id", Integer, ForeignKey("copy_requests.id")),
    Column("outcome", String(20), nullable=False),
    Column("reason", Text),
    PrimaryKeyConstraint("job_id", "position"),
    UniqueConstraint("job_id", "reference"),
)
"""Each reference a job was given, in order, and its outcome there: ``queued``
(not made yet), ``made`` or ``failed`` (with the reason)."""

Index("ix_job_requests_request_id", job_requests.c.request_id)
Index("uq_job_requests_live", job_requests.c.request_id, unique=True,
      sqlite_where=job_requests.c.outcome.in_(("queued", "made")),
      postgresql_where=job_requests.c.outcome.in_(("queued", "made")))
"""One request, at most one job: the database refuses a second live one."""

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", String(200)),
    Column("detail", Text),
)

drafts = Table(
    "drafts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("author", String(100), nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("revision", Integer, nullable=False, default=1, server_default="1"),
    Column("base_version", String(20), nullable=False),
    Column("base_text", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
    Column("summary", Text, nullable=False, default="", server_default=""),
    Column("conflicts", Text, nullable=False, default="[]", server_default="[]"),
    Column("acknowledged", Text, nullable=False, default="[]", server_default="[]"),
    Column("release_version", String(20)),
    Column("release_date", Date),
    Column("approved_by", String(100)),
    Column("comment", Text, nullable=False, default="", server_default=""),
    Column("version", String(20)),
    Column("release_error", Text),
    Column("release_progress", Text),
    Column("job_id", Integer, ForeignKey("jobs.id"), index=True),
)
"""The legal team's drafts of the next version of the Code (``legal_store``):
the draft's whole source and the published source it started from, its
status, and what the lifecycle records (the summary, the warnings
acknowledged, the conflicts left, who approved it, the comment it was
returned with, the version it was published as). ``revision`` goes up at
every change, so two saves from stale pages cannot overwrite each other;
``job_id`` is its release job. Who did what and when is in ``audit_log``
(subject ``draft N``)."""

Index("uq_drafts_approved", drafts.c.status, unique=True,
      sqlite_where=drafts.c.status == "approved",
      postgresql_where=drafts.c.status == "approved")
"""One approved draft at a time: a release is written over the published
source, so a second one waits until the first is published."""

rate_hits = Table(
    "rate_hits", metadata,
    Column("client", String(64), primary_key=True),
    Column("window", Integer, primary_key=True),
    Column("hits", Integer, nullable=False),
)

PERSONAL = {
    table.name: [c.name for c in table.columns if c.info.get("personal")]
    for table in (copy_requests, feedback)
}
"""The personal-data columns of each table, which purging clears."""
