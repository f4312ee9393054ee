"""The Orders workspace reads its first page newest first without sorting 100,000 rows.

An index on ``orders (placed_at, id)``: ``ORDER BY placed_at DESC, id DESC LIMIT 200`` walks
it backwards and stops after the page, where it sorted the whole table before.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_orders_placed_at_id", "orders", ["placed_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_orders_placed_at_id", table_name="orders")
