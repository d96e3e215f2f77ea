"""Alembic environment of the batch store (run in code by :func:`segmentor.io.store.upgrade`).

The caller passes an open connection in ``config.attributes["connection"]``; the
``alembic`` command line gives ``sqlalchemy.url`` instead. No logging setup here: the
entry points own logging.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from segmentor.io.store import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    # Batch mode lets ALTER-style migrations run on SQLite too (table copy and move).
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.begin() as own:
        run(own)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
