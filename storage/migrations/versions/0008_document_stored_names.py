"""A document's stored name is its SHA-256 (64 hex digits) and its type's suffix (``.pdf``, ``.docx``), up to
69 characters: the column held 64, so on PostgreSQL every submission with a document failed to store
(SQLite does not enforce the length, which is why the suite on SQLite never saw it).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("stored_name", existing_type=sa.String(64), type_=sa.String(100), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("stored_name", existing_type=sa.String(100), type_=sa.String(64), existing_nullable=False)
