"""Several warehouses: today's data becomes warehouse 1 (MAIN), losing nothing.

Every bin, stock level and order takes ``warehouse_id`` 1; a bin code is unique within its
warehouse instead of everywhere. The warehouse row takes a fresh change number, so every
station pulls it at its next sync. Orders moved out of a warehouse leave an
``order_departures`` row the old warehouse's stations pull (docs/sync.md).

(SQLite copies ``bins`` to drop its old UNIQUE(code): app.db.migrate runs migrations with
the foreign keys off and checks them all before committing.)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.models

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _warehouse_id(table: str) -> "sa.Column[int]":
    return sa.Column(
        "warehouse_id",
        sa.Integer(),
        sa.ForeignKey("warehouses.id", name=f"fk_{table}_warehouse_id"),
        nullable=False,
        server_default="1",
    )


def _bins_as_they_were() -> sa.Table:
    """bins as 0001 and 0003 made it, without naming its UNIQUE(code) (dropped here)."""
    meta = sa.MetaData()
    return sa.Table(
        "bins",
        meta,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("zone", sa.String(length=32), nullable=False),
        sa.Column("walk_sequence", sa.Integer(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_bins_walk_sequence", "walk_sequence"),
        sa.Index("ix_bins_change_seq", "change_seq"),
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "warehouses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("address_lines", app.db.models.JSONText(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("serves", app.db.models.JSONText(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_warehouses_change_seq", "warehouses", ["change_seq"], unique=False)
    # Today's one implicit warehouse. Its address stays empty: labels and documents keep the
    # station's [ship_from] until someone gives it one (packbench warehouse add).
    op.execute("UPDATE sync_clock SET seq = seq + 1 WHERE id = 1")
    op.execute(
        "INSERT INTO warehouses (id, code, name, address_lines, country, serves, priority, "
        "active, change_seq) VALUES (1, 'MAIN', 'Main warehouse', '[]', 'GB', '[]', 0, "
        f"{'1' if sqlite else 'true'}, (SELECT seq FROM sync_clock WHERE id = 1))"
    )
    if not sqlite:  # the next warehouse made takes id 2
        op.execute("SELECT setval(pg_get_serial_sequence('warehouses', 'id'), 1)")

    if sqlite:
        with op.batch_alter_table(
            "bins", copy_from=_bins_as_they_were(), recreate="always"
        ) as batch_op:
            batch_op.add_column(_warehouse_id("bins"))
    else:
        op.drop_constraint("bins_code_key", "bins", type_="unique")
        op.add_column("bins", _warehouse_id("bins"))
    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_bins_warehouse_code", ["warehouse_id", "code"])
        batch_op.create_index("ix_bins_warehouse_change", ["warehouse_id", "change_seq", "id"])

    for table, index, columns in (
        (
            "stock_levels",
            "ix_stock_levels_warehouse_change",
            ["warehouse_id", "change_seq", "product_id", "bin_id"],
        ),
        ("orders", "ix_orders_warehouse_change", ["warehouse_id", "change_seq", "id"]),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_warehouse_id(table))
            batch_op.create_index(index, columns)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warehouse_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("split_of", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_orders_split_of", ["split_of"])
        batch_op.create_index("ix_orders_warehouse_customer", ["warehouse_id", "customer_id"])

    op.create_table(
        "order_departures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("from_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("to_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=120), nullable=True),
        sa.Column("moved_at", app.db.models.UTCDateTime(length=32), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["from_warehouse_id"], ["warehouses.id"]),
        sa.ForeignKeyConstraint(["to_warehouse_id"], ["warehouses.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_order_departures_change_seq", "order_departures", ["change_seq"], unique=False
    )
    op.create_index(
        "ix_order_departures_from_change",
        "order_departures",
        ["from_warehouse_id", "change_seq", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("order_departures")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_warehouse_customer")
        batch_op.drop_index("ix_orders_split_of")
        batch_op.drop_column("split_of")
        batch_op.drop_column("warehouse_reason")
    for table, index in (
        ("orders", "ix_orders_warehouse_change"),
        ("stock_levels", "ix_stock_levels_warehouse_change"),
        ("bins", "ix_bins_warehouse_change"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
            if table == "bins":
                batch_op.drop_constraint("uq_bins_warehouse_code", type_="unique")
            batch_op.drop_column("warehouse_id")
    with op.batch_alter_table("bins", schema=None) as batch_op:
        batch_op.create_unique_constraint("bins_code_key", ["code"])
    op.drop_table("warehouses")
