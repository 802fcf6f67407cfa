"""Alembic's entry point: migrations run on the connection the service hands
over (``config.attributes["connection"]``), never on a URL of their own."""

from __future__ import annotations

from alembic import context

from complaints_code.service.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
