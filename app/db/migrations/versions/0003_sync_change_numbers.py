"""Sync: change numbers on the rows stations pull, the clock, applied commands, claims.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.models

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYNCED_TABLES = ("products", "bins", "stock_levels", "customers", "addresses", "orders", "users")


def upgrade() -> None:
    op.create_table(
        "applied_commands",
        sa.Column("command_id", sa.String(length=36), nullable=False),
        sa.Column("station", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("applied_at", app.db.models.UTCDateTime(length=32), nullable=False),
        sa.PrimaryKeyConstraint("command_id"),
    )
    op.create_table(
        "sync_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watermark", sa.BigInteger(), nullable=False),
        sa.Column("last_pull_at", app.db.models.UTCDateTime(length=32), nullable=True),
        sa.Column("last_push_at", app.db.models.UTCDateTime(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "order_claims",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("station", sa.String(length=16), nullable=False),
        sa.Column("user_name", sa.String(length=120), nullable=True),
        sa.Column("claimed_at", app.db.models.UTCDateTime(length=32), nullable=False),
        sa.Column("expires_at", app.db.models.UTCDateTime(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("order_id"),
    )
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_addresses_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_bins_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_customers_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_orders_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_products_change_seq"), ["change_seq"], unique=False)

    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_stock_levels_change_seq"), ["change_seq"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_users_change_seq"), ["change_seq"], unique=False)

    # Rows that existed before change numbers get the first one, so every station pulls them.
    for table in SYNCED_TABLES:
        op.execute(f"UPDATE {table} SET change_seq = 1")
    op.execute("INSERT INTO sync_clock (id, seq) VALUES (1, 1)")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_levels_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_products_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bins_change_seq"))
        batch_op.drop_column("change_seq")

    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_addresses_change_seq"))
        batch_op.drop_column("change_seq")

    op.drop_table("order_claims")
    op.drop_table("sync_state")
    op.drop_table("sync_clock")
    op.drop_table("applied_commands")
