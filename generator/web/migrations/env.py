"""Alembic environment: uses the connection handed over by ``generator.web.db.connect``."""

from alembic import context
from sqlalchemy import create_engine

from generator.web.db import Base, engine_url

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # plain `alembic` command line: the same addresses as --db
    connection = create_engine(engine_url(config.get_main_option("sqlalchemy.url"))).connect()
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
