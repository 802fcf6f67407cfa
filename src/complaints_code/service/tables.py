"""The service's tables (SQLAlchemy Core). The migrations in ``migrations/``
create them; this module is what the code reads and writes through.

Personal data lives only in the columns marked ``personal``; purging sets
them to NULL and keeps the row, so counts by format, month and status stay.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
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
    Column("fulfilled_at", DateTime(timezone=True)),
    Column("fulfilled_by", String(100)),
    Column("purged_at", DateTime(timezone=True)),
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
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", String(200)),
    Column("detail", Text),
)

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
