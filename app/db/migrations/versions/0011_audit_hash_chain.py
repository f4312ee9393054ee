"""The audit trail becomes tamper-evident: each entry is sealed into a hash chain.

Two columns: ``chain_seq`` (the entry's place in this database's chain) and ``hash``
(SHA-256 over the entry's fields, its place and the previous hash; app/domain/audit.py). The
append-only triggers now let exactly one UPDATE through: sealing an unsealed entry, every
other column as it was. Entries written before this are sealed here, in id order.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.audit_chain import seal_pending

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MESSAGE = "audit_events is append-only"
_COLUMNS = (
    "id", "at", "user_id", "user_name", "station", "action", "subject", "detail", "raw_scan",
)  # fmt: skip

_SQLITE_0002 = [
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END""",
]


def _sqlite_seal_only() -> str:
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _COLUMNS)
    return f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       WHEN NOT (OLD.hash IS NULL AND OLD.chain_seq IS NULL AND NEW.hash IS NOT NULL
                 AND NEW.chain_seq IS NOT NULL AND {same})
       BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"""


_POSTGRES_SEAL_ONLY = f"""CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
   LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND OLD.chain_seq IS NULL
        AND NEW.hash IS NOT NULL AND NEW.chain_seq IS NOT NULL
        AND to_jsonb(NEW) - 'hash' - 'chain_seq' = to_jsonb(OLD) - 'hash' - 'chain_seq' THEN
       RETURN NEW;
     END IF;
     RAISE EXCEPTION '{_MESSAGE}';
   END $$"""

_POSTGRES_0002 = f"""CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
   LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$"""


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # ALTER TABLE ... ADD COLUMN on both (no batch copy, which would drop the triggers).
    op.add_column("audit_events", sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.add_column("audit_events", sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_index("ix_audit_events_chain_seq", "audit_events", ["chain_seq"], unique=True)
    op.create_index(
        "ix_audit_events_unsealed",
        "audit_events",
        ["id"],
        unique=False,
        sqlite_where=sa.text("hash IS NULL"),
        postgresql_where=sa.text("hash IS NULL"),
    )
    if sqlite:
        op.execute("DROP TRIGGER audit_events_no_update")
        op.execute(_sqlite_seal_only())
    else:
        op.execute(_POSTGRES_SEAL_ONLY)
    seal_pending(op.get_bind())


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER audit_events_no_update")
        for statement in _SQLITE_0002:
            op.execute(statement)
    else:
        op.execute(_POSTGRES_0002)
    op.drop_index("ix_audit_events_unsealed", table_name="audit_events")
    op.drop_index("ix_audit_events_chain_seq", table_name="audit_events")
    # SQLite drops a column with ALTER TABLE ... DROP COLUMN (3.35+): the triggers stay.
    op.drop_column("audit_events", "hash")
    op.drop_column("audit_events", "chain_seq")
