"""Saved column and value mapping profiles.

Revision ID: 0002c
Revises: 0002b
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002c"
down_revision = "0002b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mapping_profiles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("shape", sa.String(32), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_mapping_profiles_shape", "mapping_profiles", ["shape"])


def downgrade() -> None:
    op.drop_index("ix_mapping_profiles_shape", table_name="mapping_profiles")
    op.drop_table("mapping_profiles")
