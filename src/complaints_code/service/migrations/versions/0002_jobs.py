"""Jobs: copies are made by workers. A request is received, queued, made, then
sent; ``fulfilled`` becomes ``sent`` (its time and who, ``sent_at`` and
``sent_by``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
LIVE = "outcome IN ('queued', 'made')"


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("enqueued_at", TZ),
        sa.Column("started_at", TZ),
        sa.Column("finished_at", TZ),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("worker", sa.String(200)),
        sa.Column("lease_token", sa.String(40)),
        sa.Column("lease_until", TZ),
        sa.Column("files", sa.Text),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_table(
        "job_requests",
        sa.Column("job_id", sa.Integer, sa.ForeignKey("jobs.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("copy_requests.id")),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
        sa.PrimaryKeyConstraint("job_id", "position"),
        sa.UniqueConstraint("job_id", "reference"),
    )
    op.create_index("ix_job_requests_request_id", "job_requests", ["request_id"])
    op.create_index("uq_job_requests_live", "job_requests", ["request_id"], unique=True,
                    sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    with op.batch_alter_table("copy_requests") as batch:
        batch.alter_column("fulfilled_at", new_column_name="sent_at")
        batch.alter_column("fulfilled_by", new_column_name="sent_by")
        batch.add_column(sa.Column("job_id", sa.Integer))
        batch.add_column(sa.Column("made_at", TZ))
        batch.add_column(sa.Column("problem", sa.Text))
        batch.add_column(sa.Column("mail_attempts", sa.Integer, nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("mail_next_at", TZ))
        batch.create_foreign_key("fk_copy_requests_job_id", "jobs", ["job_id"], ["id"])
        batch.create_index("ix_copy_requests_job_id", ["job_id"])
        batch.create_index("ix_copy_requests_mail_next_at", ["mail_next_at"])
    op.execute("UPDATE copy_requests SET status = 'sent' WHERE status = 'fulfilled'")


def downgrade() -> None:
    op.execute("UPDATE copy_requests SET status = 'fulfilled' WHERE status = 'sent'")
    op.execute("UPDATE copy_requests SET status = 'received' "
               "WHERE status IN ('queued', 'made')")
    with op.batch_alter_table("copy_requests") as batch:
        batch.drop_index("ix_copy_requests_mail_next_at")
        batch.drop_index("ix_copy_requests_job_id")
        batch.drop_constraint("fk_copy_requests_job_id", type_="foreignkey")
        for column in ("mail_next_at", "mail_attempts", "problem", "made_at", "job_id"):
            batch.drop_column(column)
        batch.alter_column("sent_by", new_column_name="fulfilled_by")
        batch.alter_column("sent_at", new_column_name="fulfilled_at")
    op.drop_table("job_requests")
    op.drop_table("jobs")
