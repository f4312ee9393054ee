"""Pick lists: the walk, each order's share of a line and its tote, short picks.

Station and central store alike: a station builds and walks its lists; the central store
keeps a copy of each list it accepts (``picklist.record``), so two stations never list the
same order.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.models

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pick_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("station", sa.String(length=16), nullable=False),
        sa.Column("warehouse", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("grouping", sa.String(length=60), nullable=True),
        sa.Column("zone", sa.String(length=32), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=True),
        sa.Column("created_at", app.db.models.UTCDateTime(length=32), nullable=False),
        sa.Column("picker", sa.String(length=120), nullable=True),
        sa.Column("picking_at", sa.String(length=16), nullable=True),
        sa.Column("at_line", sa.Integer(), nullable=True),
        sa.Column("in_hand", sa.Integer(), nullable=False),
        sa.Column("done_at", app.db.models.UTCDateTime(length=32), nullable=True),
        sa.Column("refused_reason", sa.Text(), nullable=True),
        sa.Column("command_id", sa.String(length=36), nullable=True),
        sa.CheckConstraint(
            "state IN ('open', 'picking', 'paused', 'done', 'cancelled', 'refused')",
            name="state_known",
        ),
        sa.CheckConstraint("in_hand >= 0", name="in_hand_not_negative"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("pick_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pick_lists_state"), ["state"], unique=False)

    op.create_table(
        "short_picks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pick_list_number", sa.String(length=40), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("bin_code", sa.String(length=32), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("user_name", sa.String(length=120), nullable=True),
        sa.Column("at", app.db.models.UTCDateTime(length=32), nullable=False),
        sa.Column("resolution", sa.String(length=12), nullable=True),
        sa.Column("resolved_by", sa.String(length=120), nullable=True),
        sa.Column("resolved_at", app.db.models.UTCDateTime(length=32), nullable=True),
        sa.Column("follow_up", sa.String(length=40), nullable=True),
        sa.CheckConstraint("missing >= 1", name="missing_positive"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("short_picks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_short_picks_order_number"), ["order_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_short_picks_pick_list_number"), ["pick_list_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_short_picks_resolution"), ["resolution"], unique=False)

    op.create_table(
        "pick_list_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pick_list_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("bin_code", sa.String(length=32), nullable=False),
        sa.Column("zone", sa.String(length=32), nullable=False),
        sa.Column("walk_sequence", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.Column("short", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "picked >= 0 AND short >= 0 AND picked + short <= quantity", name="within"
        ),
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        sa.ForeignKeyConstraint(["pick_list_id"], ["pick_lists.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pick_list_id", "position", name="uq_pick_list_lines_position"),
    )
    with op.batch_alter_table("pick_list_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pick_list_lines_pick_list_id"), ["pick_list_id"], unique=False
        )

    op.create_table(
        "pick_list_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pick_list_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("tote", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["pick_list_id"], ["pick_lists.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pick_list_id", "order_number", name="uq_pick_list_orders_order"),
        sa.UniqueConstraint("pick_list_id", "slot", name="uq_pick_list_orders_slot"),
    )
    with op.batch_alter_table("pick_list_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pick_list_orders_order_number"), ["order_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pick_list_orders_pick_list_id"), ["pick_list_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pick_list_orders_tote"), ["tote"], unique=False)

    op.create_table(
        "pick_list_splits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.Column("short", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "picked >= 0 AND short >= 0 AND picked + short <= quantity", name="within"
        ),
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        sa.ForeignKeyConstraint(["line_id"], ["pick_list_lines.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pick_list_splits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pick_list_splits_line_id"), ["line_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pick_list_splits_order_number"), ["order_number"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pick_list_splits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pick_list_splits_order_number"))
        batch_op.drop_index(batch_op.f("ix_pick_list_splits_line_id"))

    op.drop_table("pick_list_splits")
    with op.batch_alter_table("pick_list_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pick_list_orders_tote"))
        batch_op.drop_index(batch_op.f("ix_pick_list_orders_pick_list_id"))
        batch_op.drop_index(batch_op.f("ix_pick_list_orders_order_number"))

    op.drop_table("pick_list_orders")
    with op.batch_alter_table("pick_list_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pick_list_lines_pick_list_id"))

    op.drop_table("pick_list_lines")
    with op.batch_alter_table("short_picks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_short_picks_resolution"))
        batch_op.drop_index(batch_op.f("ix_short_picks_pick_list_number"))
        batch_op.drop_index(batch_op.f("ix_short_picks_order_number"))

    op.drop_table("short_picks")
    with op.batch_alter_table("pick_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pick_lists_state"))

    op.drop_table("pick_lists")
