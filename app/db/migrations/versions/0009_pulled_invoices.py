"""Invoices travel to every station: a change number on invoices, stamped once.

The central store stamps the rows a transaction wrote with an UPDATE of ``change_seq`` just
before commit (app/sync/clock.py). The append-only triggers of 0007 now let exactly that one
change through: ``change_seq`` set where it was empty, every other column as it was. Any
other UPDATE, and every DELETE, is still refused. Documents recorded before this take a
fresh number, so stations pull them at their next sync.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MESSAGE = "invoices is append-only: issue a credit note"

# The columns of 0007's invoices table: none of them may change.
_INVOICE_COLUMNS = (
    "id", "number", "kind", "order_number", "customer_name", "station", "user_name",
    "issued_at", "currency", "locale", "rounding", "net", "tax", "gross", "corrects",
    "partial_index", "document", "command_id",
)  # fmt: skip


def _sqlite_stamp_only() -> str:
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _INVOICE_COLUMNS)
    return f"""CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
       WHEN NOT (OLD.change_seq IS NULL AND NEW.change_seq IS NOT NULL AND {same})
       BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"""


_POSTGRES_STAMP_ONLY = f"""CREATE OR REPLACE FUNCTION invoices_append_only() RETURNS trigger
   LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'UPDATE' AND OLD.change_seq IS NULL AND NEW.change_seq IS NOT NULL
        AND to_jsonb(NEW) - 'change_seq' = to_jsonb(OLD) - 'change_seq' THEN
       RETURN NEW;
     END IF;
     RAISE EXCEPTION '{_MESSAGE}';
   END $$"""

_POSTGRES_0007 = f"""CREATE OR REPLACE FUNCTION invoices_append_only() RETURNS trigger
   LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$"""

_SQLITE_0007 = f"""CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
   BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"""


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # ALTER TABLE ... ADD COLUMN on both (no batch copy, which would drop the triggers).
    op.add_column("invoices", sa.Column("change_seq", sa.BigInteger(), nullable=True))
    op.create_index("ix_invoices_change_seq", "invoices", ["change_seq"], unique=False)
    if sqlite:
        op.execute("DROP TRIGGER invoices_no_update")
        op.execute(_sqlite_stamp_only())
    else:
        op.execute(_POSTGRES_STAMP_ONLY)
    # Documents kept before this: one new change number, so every station pulls them.
    op.execute("UPDATE sync_clock SET seq = seq + 1 WHERE id = 1")
    op.execute(
        "UPDATE invoices SET change_seq = (SELECT seq FROM sync_clock WHERE id = 1) "
        "WHERE change_seq IS NULL"
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER invoices_no_update")
        op.execute(_SQLITE_0007)
    else:
        op.execute(_POSTGRES_0007)
    op.drop_index("ix_invoices_change_seq", table_name="invoices")
    op.drop_column("invoices", "change_seq")
