"""Alembic environment: the engine is handed in by `convoscope.db.upgrade`."""

from __future__ import annotations

from alembic import context

from convoscope.tables import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
