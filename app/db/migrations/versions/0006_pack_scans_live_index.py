"""The packing bench reads a session's live scans from one index (the item scan's hot path).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE = sa.text("undone_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("pack_scans", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pack_scans_live",
            ["session_id", "parcel_no", "line_no", "units", "serial", "lot"],
            unique=False,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        )


def downgrade() -> None:
    with op.batch_alter_table("pack_scans", schema=None) as batch_op:
        batch_op.drop_index("ix_pack_scans_live", sqlite_where=_LIVE, postgresql_where=_LIVE)
