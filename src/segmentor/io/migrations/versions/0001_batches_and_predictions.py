"""Batches and their predictions.

Revision ID: 0001
Revises:
Create Date: 2026-11-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_name", sa.String(255), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("count_a", sa.Integer(), nullable=False),
        sa.Column("count_b", sa.Integer(), nullable=False),
        sa.Column("count_c", sa.Integer(), nullable=False),
        sa.Column("count_d", sa.Integer(), nullable=False),
        sa.Column("known", sa.Integer(), nullable=False),
        sa.Column("with_notes", sa.Integer(), nullable=False),
    )
    op.create_index("ix_batches_created", "batches", ["created"])
    op.create_table(
        "predictions",
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey("batches.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("row", sa.Integer(), primary_key=True),
        sa.Column("customer_id", sa.Text(), nullable=False),
        sa.Column("segmentation", sa.String(1), nullable=False),
        sa.Column("confidence", sa.Float(53), nullable=False),
        sa.Column("prob_a", sa.Float(53), nullable=False),
        sa.Column("prob_b", sa.Float(53), nullable=False),
        sa.Column("prob_c", sa.Float(53), nullable=False),
        sa.Column("prob_d", sa.Float(53), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
    )
    op.create_index("ix_predictions_segmentation", "predictions", ["segmentation"])


def downgrade() -> None:
    op.drop_index("ix_predictions_segmentation", table_name="predictions")
    op.drop_table("predictions")
    op.drop_index("ix_batches_created", table_name="batches")
    op.drop_table("batches")
