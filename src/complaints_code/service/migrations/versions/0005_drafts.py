"""The legal team's drafts of the next version of the Code.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
APPROVED = "status = 'approved'"


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
        sa.Column("base_version", sa.String(20), nullable=False),
        sa.Column("base_text", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("conflicts", sa.Text, nullable=False, server_default="[]"),
        sa.Column("acknowledged", sa.Text, nullable=False, server_default="[]"),
        sa.Column("release_version", sa.String(20)),
        sa.Column("release_date", sa.Date),
        sa.Column("approved_by", sa.String(100)),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.String(20)),
        sa.Column("release_error", sa.Text),
        sa.Column("release_progress", sa.Text),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("jobs.id")),
    )
    op.create_index("ix_drafts_author", "drafts", ["author"])
    op.create_index("ix_drafts_status", "drafts", ["status"])
    op.create_index("ix_drafts_updated_at", "drafts", ["updated_at"])
    op.create_index("ix_drafts_job_id", "drafts", ["job_id"])
    op.create_index("uq_drafts_approved", "drafts", ["status"], unique=True,
                    sqlite_where=sa.text(APPROVED), postgresql_where=sa.text(APPROVED))


def downgrade() -> None:
    op.drop_table("drafts")
