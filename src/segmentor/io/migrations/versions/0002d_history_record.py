"""History as a record: file content digest, request groups, and the file's own columns.

Revision ID: 0002d
Revises: 0002c
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002d"
down_revision = "0002c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batches") as batches:
        batches.add_column(sa.Column("content_sha256", sa.String(64), nullable=True))
        batches.add_column(sa.Column("group_key", sa.String(120), nullable=True))
    op.create_index("ix_batches_content_sha256", "batches", ["content_sha256"])
    op.create_index("ix_batches_group_key", "batches", ["group_key"])
    with op.batch_alter_table("predictions") as predictions:
        predictions.add_column(sa.Column("own_columns", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("predictions") as predictions:
        predictions.drop_column("own_columns")
    op.drop_index("ix_batches_group_key", table_name="batches")
    op.drop_index("ix_batches_content_sha256", table_name="batches")
    with op.batch_alter_table("batches") as batches:
        batches.drop_column("group_key")
        batches.drop_column("content_sha256")
