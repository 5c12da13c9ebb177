"""Staff review on Telegram: where each notification went and how far, and staff prompts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("destination", sa.String(64), nullable=True))
        batch.add_column(sa.Column("progress", JSON, nullable=True))
    op.create_table(
        "staff_prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("seen_status", sa.String(20), nullable=False),
        sa.Column("notice_message_id", sa.String(64), nullable=True),
        sa.Column("staff", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("answered_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_staff_prompts"),
        sa.UniqueConstraint("chat_id", "message_id", name="uq_staff_prompts_message"),
    )


def downgrade() -> None:
    op.drop_table("staff_prompts")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("progress")
        batch.drop_column("destination")
