"""Feedback, the model registry and the market check of each batch.

Revision ID: 0002b
Revises: 0002a
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002b"
down_revision = "0002a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(255), nullable=False),
        sa.Column("segment", sa.String(1), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("who", sa.String(128), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey("batches.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("model_version", sa.String(64), nullable=True),
        sa.Column("predicted", sa.String(1), nullable=True),
        sa.Column("attributes", sa.Text(), nullable=True),
    )
    op.create_index("ix_feedback_customer_id", "feedback", ["customer_id"])
    op.create_table(
        "model_versions",
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("directory", sa.Text(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data_sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("cv_accuracy", sa.Float(53), nullable=True),
        sa.Column("cv_log_loss", sa.Float(53), nullable=True),
        sa.Column("parent", sa.String(64), nullable=True),
        sa.Column("card", sa.Text(), nullable=False),
        sa.Column("gate", sa.Text(), nullable=True),
        sa.Column("is_champion", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "promotions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "version", sa.String(64), sa.ForeignKey("model_versions.version"), nullable=False
        ),
        sa.Column("previous", sa.String(64), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("who", sa.String(128), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "batch_checks",
        sa.Column(
            "batch_id",
            sa.Integer(),
            sa.ForeignKey("batches.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("compared", sa.Integer(), nullable=False),
        sa.Column("known_excluded", sa.Integer(), nullable=False),
        sa.Column("psi_max", sa.Float(53), nullable=True),
        sa.Column("psi_attribute", sa.String(32), nullable=True),
        sa.Column("auc", sa.Float(53), nullable=True),
        sa.Column("auc_std", sa.Float(53), nullable=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("psi", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("batch_checks")
    op.drop_table("promotions")
    op.drop_table("model_versions")
    op.drop_index("ix_feedback_customer_id", table_name="feedback")
    op.drop_table("feedback")
