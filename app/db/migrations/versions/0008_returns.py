"""Returns: return authorisations and the units taken back (station and central store).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.models

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("station", sa.String(length=16), nullable=False),
        sa.Column("user_name", sa.String(length=120), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("opened_at", app.db.models.UTCDateTime(length=32), nullable=False),
        sa.Column("confirmed_at", app.db.models.UTCDateTime(length=32), nullable=True),
        sa.Column("confirmed_by", sa.String(length=120), nullable=True),
        sa.Column("late_reason", sa.Text(), nullable=True),
        sa.Column("late_accepted_by", sa.String(length=120), nullable=True),
        sa.Column("credit_notes", app.db.models.JSONText(), nullable=False),
        sa.Column("refund", app.db.models.JSONText(), nullable=False),
        sa.Column("command_id", sa.String(length=36), nullable=True),
        sa.Column("held_by", sa.String(length=16), nullable=True),
        sa.CheckConstraint("state IN ('open', 'confirmed')", name="state_known"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_returns_order_number"), ["order_number"])
        batch_op.create_index(batch_op.f("ix_returns_state"), ["state"])
        batch_op.create_index(batch_op.f("ix_returns_confirmed_at"), ["confirmed_at"])

    op.create_table(
        "return_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=24), nullable=True),
        sa.Column("reason_text", sa.Text(), nullable=True),
        sa.Column("condition", sa.String(length=12), nullable=True),
        sa.Column("disposition", sa.String(length=20), nullable=True),
        sa.Column("bin_code", sa.String(length=32), nullable=True),
        sa.Column("unexpected", sa.Boolean(), nullable=False),
        sa.Column("raw_scan", sa.Text(), nullable=True),
        sa.Column("received_at", app.db.models.UTCDateTime(length=32), nullable=False),
        sa.CheckConstraint("units >= 1", name="units_positive"),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["returns.id"],
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("return_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_units_return_id"), ["return_id"])
        batch_op.create_index(batch_op.f("ix_return_units_sku"), ["sku"])
        batch_op.create_index(batch_op.f("ix_return_units_serial"), ["serial"])


def downgrade() -> None:
    op.drop_table("return_units")
    op.drop_table("returns")
