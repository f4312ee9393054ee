"""Transfers: stock moved from one warehouse to another, held in transit on its lines.

A transfer's lines say how much left which bin (sent), how much arrived (received) and how
much was written off when it was closed short; what is in transit is the difference, counted
once (app/domain/stock.py, "transfers between warehouses").

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.models

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("from_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("to_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=True),
        sa.Column("station", sa.String(length=16), nullable=True),
        sa.Column("created_at", app.db.models.UTCDateTime(length=32), nullable=False),
        sa.Column("closed_at", app.db.models.UTCDateTime(length=32), nullable=True),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["from_warehouse_id"], ["warehouses.id"]),
        sa.ForeignKeyConstraint(["to_warehouse_id"], ["warehouses.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    for column in ("change_seq", "from_warehouse_id", "to_warehouse_id", "state"):
        op.create_index(f"ix_transfers_{column}", "transfers", [column], unique=False)
    op.create_table(
        "transfer_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("from_bin_id", sa.Integer(), nullable=False),
        sa.Column("quantity_sent", sa.Integer(), nullable=False),
        sa.Column("quantity_received", sa.Integer(), nullable=False),
        sa.Column("quantity_written_off", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity_sent > 0", name="sent_positive"),
        sa.CheckConstraint(
            "quantity_received >= 0 AND quantity_written_off >= 0 AND "
            "quantity_received + quantity_written_off <= quantity_sent",
            name="arrived_within_sent",
        ),
        sa.ForeignKeyConstraint(["transfer_id"], ["transfers.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"]),
        sa.ForeignKeyConstraint(["from_bin_id"], ["bins.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("transfer_id", "line_no", name="uq_transfer_lines_line"),
    )
    op.create_index("ix_transfer_lines_transfer_id", "transfer_lines", ["transfer_id"])
    op.create_index("ix_transfer_lines_product_id", "transfer_lines", ["product_id"])


def downgrade() -> None:
    op.drop_table("transfer_lines")
    op.drop_table("transfers")
