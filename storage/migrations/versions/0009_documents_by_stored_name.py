"""Documents found by their stored name: whether a file is still in use (after an applicant deleted their
data) was a scan of every document.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_documents_stored_name", "documents", ["stored_name"])


def downgrade() -> None:
    op.drop_index("ix_documents_stored_name", table_name="documents")
