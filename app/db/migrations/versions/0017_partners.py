"""Dropship and 3PL partners: the orders sent to each, and the tracking files applied.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.models import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partner_orders",
        sa.Column("order_number", sa.String(32), primary_key=True),
        sa.Column("partner", sa.String(64), nullable=False),
        sa.Column("file", sa.String(200), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_partner_orders_partner", "partner_orders", ["partner"])
    op.create_table(
        "partner_files",
        sa.Column("partner", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("applied_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("partner_files")
    op.drop_index("ix_partner_orders_partner", table_name="partner_orders")
    op.drop_table("partner_orders")
