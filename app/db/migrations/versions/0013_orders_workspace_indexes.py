"""The Orders workspace at 100,000 orders: its first page and its search in SQL.

An index on ``orders (placed_at, id)``: ``ORDER BY placed_at DESC, id DESC LIMIT 200`` walks
it backwards and stops after the page, where it sorted the whole table before. And,
in the station's SQLite file, ``order_search``: each order's searchable words folded once
(app/db/order_search.py) in an FTS5 table with the trigram tokenizer, so a search finds a
word anywhere in 100,000 orders through an index instead of folding and reading every name.
FTS5 keeps its index in shadow tables (``order_search_data``, ``_idx``, ``_content``,
``_docsize``, ``_config``): SQLite's own, not in the models.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_orders_placed_at_id", "orders", ["placed_at", "id"])
    if op.get_bind().dialect.name == "sqlite":
        # The station's own: a full-text index of trigrams finds a word anywhere in the
        # words without reading them all. The central store does not search orders.
        op.execute("CREATE VIRTUAL TABLE order_search USING fts5(words, tokenize='trigram')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE order_search")
    op.drop_index("ix_orders_placed_at_id", table_name="orders")
