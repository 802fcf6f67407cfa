"""Server-side staff sessions, failed sign-ins for throttling, and the
legal team's approvers.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("approver", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_index("ix_staff_sessions_staff_id", "staff_sessions", ["staff_id"])
    op.create_index("ix_staff_sessions_expires_at", "staff_sessions", ["expires_at"])
    op.create_table(
        "signin_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("account_key", sa.String(64), nullable=False),
    )
    op.create_index("ix_signin_failures_at", "signin_failures", ["at"])
    op.create_index("ix_signin_failures_address", "signin_failures", ["address"])
    op.create_index("ix_signin_failures_account_key", "signin_failures", ["account_key"])


def downgrade() -> None:
    op.drop_table("signin_failures")
    op.drop_table("staff_sessions")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("approver")
