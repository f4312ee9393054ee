"""A return names the warehouse it was received in: its restocked units go into that
warehouse's bins, whichever warehouse shipped the order (docs/returns.md).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("returns") as batch:
        batch.add_column(sa.Column("warehouse", sa.String(16), nullable=True))
    with op.batch_alter_table("pick_lists") as batch:
        batch.alter_column(
            "kind", existing_type=sa.String(8), type_=sa.String(12), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pick_lists") as batch:
        batch.alter_column(
            "kind", existing_type=sa.String(12), type_=sa.String(8), existing_nullable=False
        )
    with op.batch_alter_table("returns") as batch:
        batch.drop_column("warehouse")
