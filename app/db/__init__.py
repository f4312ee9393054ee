"""Databases: the schema, engines and units of work, and Alembic migrations."""
