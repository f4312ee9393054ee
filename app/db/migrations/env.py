"""Alembic environment: run by app.db.migrate with a live connection, never from an ini file."""

from alembic import context

from app.db.models import Base
from app.db.order_search import not_search_index

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
    include_name=not_search_index,  # the station's FTS5 search index is SQLite's own
)
with context.begin_transaction():
    context.run_migrations()
