"""A comment's one-time form key, so that sending the feedback form twice
(refreshing, or Back and send again) stores the comment once.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feedback", sa.Column("idempotency_key", sa.String(200)))
    op.create_index("ix_feedback_idempotency_key", "feedback", ["idempotency_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_feedback_idempotency_key", table_name="feedback")
    op.drop_column("feedback", "idempotency_key")
