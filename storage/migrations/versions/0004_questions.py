"""Questions applicants passed on to staff, with staff's answers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("channel_user", sa.String(100), nullable=False),
        sa.Column("asker", sa.String(200), nullable=True),
        sa.Column("program", sa.String(64), nullable=True),
        sa.Column("office", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("asked_at", TIME, nullable=False),
        sa.Column("answered_at", TIME, nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["applicants.id"], name="fk_questions_applicant_id_applicants", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_questions"),
        # a staff prompt names its question by id: never reuse one on SQLite
        sqlite_autoincrement=True,
    )
    op.create_index("ix_questions_applicant", "questions", ["applicant_id"])


def downgrade() -> None:
    op.drop_index("ix_questions_applicant", table_name="questions")
    op.drop_table("questions")
