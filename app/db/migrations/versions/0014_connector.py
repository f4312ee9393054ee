"""The connector: channel accounts with their pull cursors and claims, which account each
pulled order came from, and the news waiting to go back to the channels.

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.models import JSONText, UTCDateTime

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_accounts",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("cursor", JSONText(), nullable=False),
        sa.Column("claimed_by", sa.String(120), nullable=True),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.Column("last_pull_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("pulled", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "channel_orders",
        sa.Column("channel", sa.String(32), primary_key=True),
        sa.Column("external_id", sa.String(64), primary_key=True),
        sa.Column("account", sa.String(64), nullable=False),
    )
    op.create_index("ix_channel_orders_account", "channel_orders", ["account"])
    op.create_table(
        "channel_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(80), nullable=False, unique=True),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("order_number", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("payload", JSONText(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_channel_events_account", "channel_events", ["account"])
    op.create_index("ix_channel_events_state", "channel_events", ["state"])


def downgrade() -> None:
    op.drop_table("channel_events")
    op.drop_table("channel_orders")
    op.drop_table("channel_accounts")
