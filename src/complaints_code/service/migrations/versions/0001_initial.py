"""The first tables: copy requests, feedback, staff, audit log, rate-limit counters.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "copy_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(20), nullable=False, unique=True),
        sa.Column("idempotency_key", sa.String(200), unique=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer),
        sa.Column("grade", sa.Integer),
        sa.Column("name", sa.String(200)),
        sa.Column("address", sa.Text),
        sa.Column("postcode", sa.String(10)),
        sa.Column("email", sa.String(254)),
        sa.Column("access_needs", sa.Text),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("due_by", TZ, nullable=False),
        sa.Column("fulfilled_at", TZ),
        sa.Column("fulfilled_by", sa.String(100)),
        sa.Column("purged_at", TZ),
    )
    op.create_index("ix_copy_requests_status", "copy_requests", ["status"])
    op.create_index("ix_copy_requests_due_by", "copy_requests", ["due_by"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(20), nullable=False, unique=True),
        sa.Column("section_id", sa.String(100)),
        sa.Column("comment", sa.Text),
        sa.Column("name", sa.String(200)),
        sa.Column("email", sa.String(254)),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("reviewed_at", TZ),
        sa.Column("reviewed_by", sa.String(100)),
        sa.Column("purged_at", TZ),
    )
    op.create_index("ix_feedback_section_id", "feedback", ["section_id"])
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(200)),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "rate_hits",
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("window", sa.Integer, primary_key=True),
        sa.Column("hits", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("rate_hits", "audit_log", "staff", "feedback", "copy_requests"):
        op.drop_table(table)
