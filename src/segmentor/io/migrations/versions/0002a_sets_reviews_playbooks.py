"""Prediction sets on predictions, the review queue's choices and the segment playbooks.

Revision ID: 0002a
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002a"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: batches stored before prediction sets have none.
    with op.batch_alter_table("predictions") as batch:
        batch.add_column(sa.Column("segment_set", sa.String(7), nullable=True))
        batch.add_column(sa.Column("needs_review", sa.Boolean(), nullable=True))
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey("batches.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("segment", sa.String(1), nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reviews_batch_row", "reviews", ["batch_id", "row"])
    op.create_table(
        "playbook_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("segment", sa.String(1), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("persona", sa.Text(), nullable=False),
        sa.Column("products", sa.String(40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("segment", "version", name="uq_playbook_segment_version"),
    )


def downgrade() -> None:
    op.drop_table("playbook_versions")
    op.drop_index("ix_reviews_batch_row", table_name="reviews")
    op.drop_table("reviews")
    with op.batch_alter_table("predictions") as batch:
        batch.drop_column("needs_review")
        batch.drop_column("segment_set")
